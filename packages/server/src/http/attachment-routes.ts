import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { ATTACHMENT_LIMITS, LIMITS } from '@parley/protocol';
import { tooLarge, type AttachmentRequester } from '../attachments/attachment-service.js';
import { INLINE_TYPES } from '../attachments/attachment-types.js';
import type { ParleyService } from '../service/parley-service.js';
import { ErrorAnswer } from './bodies.js';
import { bearer, HttpError } from './http-errors.js';
import { route } from './route.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength), v.regex(/^[\w.:@-]+$/));
const UploadQuery = v.object({
  /** The cmid of the message the file goes with: the same key again stores nothing more. */
  key: id,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(ATTACHMENT_LIMITS.nameLength)),
  /** Agents: the session the file is for (a customer's token names theirs). */
  session: v.optional(id),
});
const LinkQuery = v.object({ session: v.optional(id) });
const AttachmentParams = v.object({ id });
const ContentQuery = v.object({
  session: id,
  expires: v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'ms since the epoch'), v.transform(Number)),
  sig: v.pipe(v.string(), v.regex(/^[\w-]{43}$/, 'a signature')),
});
const AttachmentAnswer = v.object({ attachment: v.object({ id: v.string(), name: v.string(), type: v.string(), size: v.number() }) });
const LinkAnswer = v.object({ url: v.string(), expiresAt: v.number() });

/**
 * I2: attachments over HTTP (docs/protocol.md "Attachments"). Uploads and links take the
 * customer's resume token or an agent's token as a bearer token, checked before the body is read;
 * the file itself is read through a signed link only, served so that no browser runs it.
 */
export function attachmentRoutes(app: FastifyInstance, service: ParleyService): void {
  const { context, attachments } = service;
  const requesters = new WeakMap<FastifyRequest, AttachmentRequester>();

  /** Who the bearer token says, for which session; agents name the session in the query. */
  const authorize = async (request: FastifyRequest, action: 'upload' | 'read'): Promise<void> => {
    const token = bearer(request);
    if (!token) throw new HttpError(401, 'unauthorized', 'Send your resume token or agent token as a bearer token.');
    const sessionId = (request.query as { session?: unknown }).session;
    if (sessionId === undefined) {
      const check = await service.auth.resume(token);
      if (!check.ok) throw new HttpError(401, 'unauthorized', `The resume token is ${check.reason}.`);
      requesters.set(request, { role: 'customer', session: check.value.session });
      return;
    }
    const check = await service.auth.agent(token);
    if (!check.ok) throw new HttpError(401, 'unauthorized', `The agent token is ${check.reason}.`);
    const session = typeof sessionId === 'string' ? await context.store.getSession(sessionId) : undefined;
    if (!session || !(await attachments.agentMay(check.value, session.id, action))) throw new HttpError(403, 'forbidden', 'You are not working on this session.');
    requesters.set(request, { role: 'agent', agentId: check.value, session });
  };

  app.register(async (scope) => {
    // Raw bytes whatever the declared type (the content decides the type), on this route only: every other
    // route stays JSON-only. The bearer token already makes every upload from a page a preflighted request.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: context.config.attachments.maxBytes }, (_request, body, done) => done(null, body));

    route(scope, {
      method: 'POST',
      url: '/v1/attachments',
      tag: 'public',
      summary: 'I2: uploads a file for a message (the raw bytes; any content-type but JSON, which is ignored); the same key again answers the first upload.',
      description: 'The type is read from the content, never from the name; refused when not allowed (415) or over the size limit (413), storing nothing.',
      security: 'resumeToken',
      query: UploadQuery,
      bodyLimit: context.config.attachments.maxBytes,
      answers: { 201: AttachmentAnswer, 400: ErrorAnswer, 401: ErrorAnswer, 403: ErrorAnswer, 409: ErrorAnswer, 413: ErrorAnswer, 415: ErrorAnswer },
      async guard(request) {
        await authorize(request, 'upload');
        // Refused before a byte of the body is read.
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > context.config.attachments.maxBytes) throw tooLarge(declared, context.config.attachments.maxBytes);
      },
      async handler({ query, request, reply }) {
        if (!Buffer.isBuffer(request.body)) throw new HttpError(415, 'bad_request', 'Send the file as its raw bytes (content-type: application/octet-stream), not as JSON.');
        const attachment = await attachments.upload({ requester: requesters.get(request)!, key: query.key, name: query.name, bytes: request.body });
        reply.code(201);
        return { attachment };
      },
    });
  });

  route(app, {
    method: 'GET',
    url: '/v1/attachments/:id/link',
    tag: 'public',
    summary: "I2: a short-lived signed link to a file of the requester's session.",
    security: 'resumeToken',
    params: AttachmentParams,
    query: LinkQuery,
    answers: { 200: LinkAnswer, 401: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer },
    guard: (request) => authorize(request, 'read'),
    async handler({ params, request, reply }) {
      reply.header('cache-control', 'no-store');
      return attachments.link(params.id, requesters.get(request)!);
    },
  });

  route(app, {
    method: 'GET',
    url: '/v1/attachments/:id/content',
    tag: 'public',
    summary: 'I2: the file a signed link opens: raster images inline, everything else as a download; never sniffed, never run.',
    params: AttachmentParams,
    query: ContentQuery,
    answers: { 200: { mediaType: 'application/octet-stream', description: 'The file.' }, 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer },
    async handler({ params, query, reply }) {
      const { record, bytes, expiresAt } = await attachments.open(params.id, query);
      const disposition = INLINE_TYPES.has(record.type) ? 'inline' : 'attachment';
      const ascii = record.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
      // RFC 5987: percent-encoding leaves ' ( ) * ! as they are, which an ext-value may not hold.
      const encoded = encodeURIComponent(record.name).replace(/['()*!]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
      reply
        .type(record.type)
        .header('content-disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`)
        .header('x-content-type-options', 'nosniff')
        // Opened on its own, a file can run nothing and load nothing.
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', `private, max-age=${Math.max(0, Math.floor((expiresAt - context.clock.now()) / 1000))}`);
      return Buffer.from(bytes);
    },
  });
}
