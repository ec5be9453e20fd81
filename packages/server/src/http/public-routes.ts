import type { FastifyInstance } from 'fastify';
import { addressKey, clientAddressOf } from '../limits/client-address.js';
import type { ParleyService } from '../service/parley-service.js';
import { AvailabilityAnswer, AvailabilityQuery, ErrorAnswer, OfflineMessageBody, StoredAnswer, TranscriptAnswer } from './bodies.js';
import { bearer, HttpError } from './http-errors.js';
import { route } from './route.js';

/** What pages and the SDK read and send over plain HTTP (docs/protocol.md "HTTP"). */
export function publicRoutes(app: FastifyInstance, service: ParleyService): void {
  const { context } = service;
  const addressOf = clientAddressOf(context.config.trustedProxies);

  route(app, {
    method: 'GET',
    url: '/v1/availability',
    tag: 'public',
    summary: "A button's availability, cacheable for 5 s: pages render the launcher before any socket opens.",
    query: AvailabilityQuery,
    answers: { 200: AvailabilityAnswer, 400: ErrorAnswer, 404: ErrorAnswer },
    async handler({ query, reply }) {
      reply.header('cache-control', 'public, max-age=5');
      return service.maintenance.availability(query.button);
    },
  });

  route(app, {
    method: 'GET',
    url: '/v1/transcript',
    tag: 'public',
    summary: "The session's whole transcript, for when the service cannot replay.",
    security: 'resumeToken',
    answers: { 200: TranscriptAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
    async handler({ request }) {
      const token = bearer(request);
      const check = token ? await service.auth.resume(token) : undefined;
      if (!check?.ok) throw new HttpError(401, 'unauthorized', check ? `The resume token is ${check.reason}.` : 'Send the resume token as a bearer token.');
      const { session } = check.value;
      return { sessionId: session.id, state: session.state, lastSeq: session.lastSeq, events: await context.store.eventsAfter(session.id, 0) };
    },
  });

  route(app, {
    method: 'POST',
    url: '/v1/offline-messages',
    tag: 'public',
    summary: 'C2: a message left while nobody can answer.',
    description: 'Only from allowed page origins (or without an Origin: not a browser); limited per client address and in total; deleted after the retention.',
    body: OfflineMessageBody,
    answers: { 201: StoredAnswer, 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 413: ErrorAnswer, 415: ErrorAnswer, 429: ErrorAnswer, 503: ErrorAnswer },
    guard(request) {
      // CORS only stops a page from reading the answer; the message would be stored all the same.
      if (!context.origins.allows(request.headers.origin)) throw new HttpError(403, 'forbidden', 'This page may not leave messages here.');
    },
    async handler({ body, request, reply }) {
      if (!context.config.buttons.some((button) => button.id === body.button)) throw new HttpError(404, 'not_found', `No chat button "${body.button}".`);
      if (service.maintenance.readOnly) throw new HttpError(503, 'read_only', 'Messages cannot be stored right now. Please try again in a few minutes.');
      await service.offline.leave(body, addressKey(addressOf(request.raw)));
      reply.code(201);
      return { stored: true };
    },
  });
}
