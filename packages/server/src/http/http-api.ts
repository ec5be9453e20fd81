import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { LIMITS } from '@parley/protocol';
import { presenceReport, toCsv } from '../admin/presence-report.js';
import { signToken, verifyToken } from '../auth/tokens.js';
import type { FakeClock } from '../clock/fake-clock.js';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import { StoreReadOnlyError } from '../store/store.js';
import { isOriginAllowed } from '../transport/origins.js';
import { bearer, HttpError, readJson, sendError, sendJson } from './http-io.js';

export interface HttpApiOptions {
  service: ParleyService;
  /** M3: drains the node (the admin call and SIGTERM share it). */
  drain: () => Promise<void>;
  metrics: () => Record<string, unknown>;
  /** Present only in test mode: the clock the test-only control moves. */
  testClock?: FakeClock | undefined;
}

type Handler = (request: IncomingMessage, response: ServerResponse, params: string[]) => Promise<void>;
interface Route {
  method: string;
  path: RegExp;
  admin: boolean;
  handler: Handler;
}

const HTTP_STATUS: Record<string, number> = {
  bad_request: 400,
  bad_frame: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  offline: 409,
  session_exists: 409,
  session_ended: 409,
  session_inactive: 409,
  not_assigned: 409,
  offer_gone: 410,
  rate_limited: 429,
  maintenance: 503,
  read_only: 503,
  draining: 503,
};

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength));
const OfflineMessageBody = v.strictObject({
  button: id,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  email: v.pipe(v.string(), v.trim(), v.email(), v.maxLength(200)),
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIMITS.textLength)),
});
const WindowBody = v.strictObject({
  startsAt: v.pipe(v.number(), v.integer()),
  endsAt: v.pipe(v.number(), v.integer()),
  message: v.pipe(v.string(), v.maxLength(500)),
});
const ReadOnlyBody = v.strictObject({ on: v.boolean() });
const OfficeAwayBody = v.strictObject({ agentId: v.optional(id) });
const ReleaseBody = v.strictObject({ sessionId: id, agentId: id });
const AgentTokenBody = v.strictObject({ agentId: id, ttlHours: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(24 * 30)), 12) });
const NotificationBody = v.strictObject({ sessionId: id, text: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.textLength)), longevity: v.optional(v.boolean(), false) });
const ClockBody = v.strictObject({ advanceMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(400 * 24 * 3600 * 1000)) });

function parse<T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new HttpError(400, 'bad_request', v.summarize(result.issues));
  return result.output;
}

/** Public reads for pages and the SDK, and the admin API behind a bearer token (docs/server.md). */
export function createHttpApi(options: HttpApiOptions): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const { service } = options;
  const { context } = service;
  const routes: Route[] = [];
  const route = (method: string, path: RegExp, admin: boolean, handler: Handler) => routes.push({ method, path, admin, handler });

  route('GET', /^\/v1\/availability$/, false, async (request, response) => {
    const button = new URL(request.url ?? '/', 'http://localhost').searchParams.get('button') ?? '';
    // Cacheable for a few seconds: pages render the launcher before any socket opens.
    sendJson(response, 200, service.maintenance.availability(button), { 'cache-control': 'public, max-age=5' });
  });
  route('GET', /^\/v1\/transcript$/, false, async (request, response) => {
    const token = bearer(request);
    const check = token ? verifyToken(token, context.config.secret!, context.clock.now()) : undefined;
    if (!check?.ok || check.payload.kind !== 'resume') throw new HttpError(401, 'unauthorized', 'Send the resume token as a bearer token.');
    const session = await service.chat.get(check.payload.sub);
    sendJson(response, 200, { sessionId: session.id, state: session.state, lastSeq: session.lastSeq, events: await context.store.eventsAfter(session.id, 0) });
  });
  route('POST', /^\/v1\/offline-messages$/, false, async (request, response) => {
    const body = parse(OfflineMessageBody, await readJson(request));
    if (!context.config.buttons.some((button) => button.id === body.button)) throw new HttpError(404, 'not_found', `No chat button "${body.button}".`);
    if (service.maintenance.readOnly) throw new HttpError(503, 'read_only', 'Messages cannot be stored right now. Please try again in a few minutes.');
    await context.store.addOfflineMessage({ ...body, at: context.clock.now() });
    sendJson(response, 201, { stored: true });
  });
  route('GET', /^\/metrics$/, false, async (_request, response) => {
    sendJson(response, 200, { ...options.metrics(), sessions: await context.store.countSessionsByState(), messages: await context.store.countMessages() });
  });

  route('GET', /^\/admin\/maintenance-windows$/, true, async (_request, response) => sendJson(response, 200, { windows: service.maintenance.windows() }));
  route('POST', /^\/admin\/maintenance-windows$/, true, async (request, response) => {
    sendJson(response, 201, await service.maintenance.schedule(parse(WindowBody, await readJson(request))));
  });
  route('DELETE', /^\/admin\/maintenance-windows\/([\w-]+)$/, true, async (_request, response, [windowId]) => {
    await service.maintenance.cancel(windowId!);
    sendJson(response, 200, { cancelled: windowId });
  });
  route('PUT', /^\/admin\/read-only$/, true, async (request, response) => {
    const { on } = parse(ReadOnlyBody, await readJson(request));
    await service.maintenance.setReadOnly(on);
    sendJson(response, 200, { readOnly: on });
  });
  route('POST', /^\/admin\/drain$/, true, async (_request, response) => {
    sendJson(response, 202, { draining: true });
    void options.drain();
  });
  route('POST', /^\/admin\/offices\/([\w.:@-]+)\/away$/, true, async (request, response, [office]) => {
    const { agentId } = parse(OfficeAwayBody, await readJson(request));
    if (!context.config.offices.some((candidate) => candidate.id === office)) throw new HttpError(404, 'not_found', `No office "${office}".`);
    const agents = context.config.agents.filter((agent) => agent.offices.includes(office!) && (agentId === undefined || agent.id === agentId));
    if (agentId !== undefined && agents.length === 0) throw new HttpError(404, 'not_found', `No agent "${agentId}" in office "${office}".`);
    // A5: one agent or every agent of the office, with the admin as the actor.
    for (const agent of agents) await service.presence.apply(agent.id, { type: 'set', status: 'away', office, source: 'admin', actor: 'admin' });
    sendJson(response, 200, { away: agents.map((agent) => agent.id) });
  });
  route('GET', /^\/admin\/stuck-work$/, true, async (_request, response) => sendJson(response, 200, { work: await service.router.stuckWork() }));
  route('POST', /^\/admin\/stuck-work\/release$/, true, async (request, response) => {
    const { sessionId, agentId } = parse(ReleaseBody, await readJson(request));
    await service.router.closeWork(agentId, sessionId);
    sendJson(response, 200, { released: { sessionId, agentId } });
  });
  route('GET', /^\/admin\/presence-report$/, true, async (request, response) => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const now = context.clock.now();
    const from = Number(query.get('from') ?? now - 24 * 3600 * 1000);
    const to = Number(query.get('to') ?? now);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) throw new HttpError(400, 'bad_request', 'from and to are ms since the epoch, from ≤ to.');
    const rows = presenceReport(await context.store.presenceHistory({ from, to }), { from, to }, now);
    if (query.get('format') === 'csv') {
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="presence-report.csv"' });
      response.end(toCsv(rows));
    } else sendJson(response, 200, { rows });
  });
  route('GET', /^\/admin\/config$/, true, async (_request, response) => {
    sendJson(response, 200, { ...context.config, secret: '(redacted)', adminToken: '(redacted)' });
  });
  route('POST', /^\/admin\/agent-tokens$/, true, async (request, response) => {
    const { agentId, ttlHours } = parse(AgentTokenBody, await readJson(request));
    if (!context.config.agents.some((agent) => agent.id === agentId)) throw new HttpError(404, 'not_found', `No agent "${agentId}".`);
    const token = signToken({ kind: 'agent', sub: agentId, exp: context.clock.now() + ttlHours * 3600 * 1000 }, context.config.secret!);
    sendJson(response, 201, { token });
  });
  route('POST', /^\/admin\/notifications$/, true, async (request, response) => {
    const { sessionId, text, longevity } = parse(NotificationBody, await readJson(request));
    const session = await service.chat.notify(sessionId, text, longevity);
    sendJson(response, 201, { sessionId: session.id, state: session.state });
  });
  if (options.testClock) {
    const clock = options.testClock;
    route('POST', /^\/test\/clock$/, true, async (request, response) => {
      clock.advance(parse(ClockBody, await readJson(request)).advanceMs);
      await context.deadlines.runDue();
      sendJson(response, 200, { now: clock.now() });
    });
  }

  const adminAllowed = (request: IncomingMessage) => {
    const expected = context.config.adminToken;
    const given = bearer(request);
    if (!expected || !given) return false;
    const [a, b] = [Buffer.from(expected), Buffer.from(given)];
    return a.length === b.length && timingSafeEqual(a, b);
  };

  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // CORS for allowed origins: the public API for pages, the admin API for consoles elsewhere.
    // Safe for the admin API too: it takes a bearer token, never cookies.
    const crossOrigin = path.startsWith('/v1/') || path.startsWith('/admin/');
    if (crossOrigin && request.headers.origin && isOriginAllowed(request.headers.origin, request.headers.host, context.config.allowedOrigins)) {
      response.setHeader('access-control-allow-origin', request.headers.origin);
      response.setHeader('vary', 'origin');
      response.setHeader('access-control-allow-headers', 'authorization, content-type');
      response.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
    }
    if (crossOrigin && request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return true;
    }
    const matches = routes.filter((candidate) => candidate.path.test(path));
    if (matches.length === 0) return false;
    const match = matches.find((candidate) => candidate.method === request.method);
    try {
      if (!match) throw new HttpError(405, 'bad_request', `Use ${matches.map((candidate) => candidate.method).join(' or ')}.`);
      if (match.admin && !adminAllowed(request)) throw new HttpError(401, 'unauthorized', 'Send the admin token as a bearer token.');
      await match.handler(request, response, path.match(match.path)!.slice(1));
    } catch (error) {
      if (response.headersSent) return true;
      if (error instanceof HttpError) sendError(response, error);
      else if (error instanceof ServiceError) sendError(response, new HttpError(HTTP_STATUS[error.code] ?? 400, error.code, error.message));
      else {
        service.failed(error);
        if (error instanceof StoreReadOnlyError) sendError(response, new HttpError(503, 'read_only', 'The store cannot take writes right now.'));
        else sendError(response, new HttpError(500, 'internal', 'Something went wrong on our side; nothing was changed.'));
      }
    }
    return true;
  };
}
