import type { RequestListener, Server } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../service/logger.js';
import type { OriginPolicy } from '../transport/origins.js';
import { registerCors } from './cors.js';
import { errorAnswer, HttpError, sendError } from './http-errors.js';
import { registerOpenApi } from './openapi.js';
import { valibotValidator } from './schema.js';

/** Bodies over this are refused with 413 `too_large`. */
export const BODY_LIMIT = 64 * 1024;

/** A route as registered: what the OpenAPI document must list unless hidden. */
export interface RegisteredRoute {
  method: string;
  url: string;
  hidden: boolean;
}

export interface HttpAppOptions {
  /** The Node server the app answers on (already listening; see listener.ts). */
  server: Server;
  origins: OriginPolicy;
  log: Logger;
  /** Reports an unexpected failure (a read-only store switches the service to read-only). */
  failed: (error: unknown) => void;
}

/**
 * The HTTP side on Fastify: JSON bodies of at most 64 KiB validated by the
 * routes' valibot schemas, typed error bodies for every failure, CORS, and the
 * OpenAPI description. Routes are added by the caller; the WebSocket server
 * shares the same Node server (`app.server`).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<{ app: FastifyInstance; routes: RegisteredRoute[]; handler: RequestListener }> {
  let handler: RequestListener | undefined;
  const routes: Array<{ method: string; pattern: RegExp }> = [];
  const registered: RegisteredRoute[] = [];
  const app = Fastify({
    serverFactory: (fastifyHandler) => {
      handler = fastifyHandler as RequestListener;
      return options.server;
    },
    bodyLimit: BODY_LIMIT,
    // Browsers keep idle connections open; closing must not wait for them to time out.
    forceCloseConnections: true,
    loggerInstance: options.log as FastifyBaseLogger,
    // One line per request at debug (below); the default two lines at info would drown the rest.
    logController: new LogController({ disableRequestLogging: true }),
    // A request id from the balancer is kept, so one request can be followed across systems.
    requestIdHeader: 'x-request-id',
    // A path that is not valid percent-encoding names nothing here.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, error.code === 'FST_ERR_BAD_URL' ? new HttpError(404, 'not_found', 'No such resource.') : errorAnswer(error, options.failed)),
  });
  app.setValidatorCompiler(valibotValidator);
  // Answers are written as they are; their schemas only describe them in the OpenAPI document.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON only: a text/plain POST needs no CORS preflight, so a page of any origin could send one.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    // An empty body is an empty object, as for bodiless admin calls.
    if (body === '') return done(null, {});
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(new HttpError(400, 'bad_request', 'The body must be JSON.'), undefined);
    }
  });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of methods) registered.push({ method, url: route.url, hidden });
    // Wildcards (static files) answer GET for anything; they say nothing about other methods.
    if (route.url.includes('*')) return;
    const pattern = new RegExp(`^${route.url.replace(/[.]/g, '\\.').replace(/:[^/]+/g, '[^/]+')}$`);
    for (const method of methods) routes.push({ method, pattern });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // A client that goes away mid-request (say, mid-body) is not our failure: one line, below error.
  app.addHook('onRequestAbort', async (request) => {
    request.log.info({ method: request.method, url: request.url }, 'request aborted by the client');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  app.setErrorHandler((error, _request, reply) => sendError(reply, errorAnswer(error, options.failed)));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const methods = routes.filter((candidate) => candidate.pattern.test(path) && !['HEAD', 'OPTIONS'].includes(candidate.method)).map((candidate) => candidate.method);
    if (methods.length > 0 && !methods.includes(request.method)) {
      reply.header('allow', methods.join(', '));
      return sendError(reply, new HttpError(405, 'bad_request', `Use ${methods.join(' or ')}.`));
    }
    return sendError(reply, new HttpError(404, 'not_found', 'No such resource.'));
  });
  await registerCors(app, options.origins);
  await registerOpenApi(app);
  return { app, routes: registered, handler: handler! };
}
