import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import type { LeftMessage } from '@parley/protocol';
import { toCsv } from '../admin/csv.js';
import type { ParleyService } from '../service/parley-service.js';
import { adminGuard } from './admin-routes.js';
import { ErrorAnswer } from './bodies.js';
import { HttpError } from './http-errors.js';
import { route } from './route.js';

const epochMs = v.pipe(v.number(), v.integer());
const LeftMessageSchema = v.object({
  id: v.number(),
  button: v.string(),
  name: v.string(),
  email: v.string(),
  text: v.string(),
  at: epochMs,
  handledAt: v.nullable(epochMs),
  handledBy: v.nullable(v.string()),
});
const ListQuery = v.object({
  status: v.optional(v.picklist(['open', 'handled', 'all']), 'open'),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, 'a number'), v.transform(Number), v.minValue(1), v.maxValue(1000)), '100'),
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'a message id'), v.transform(Number))),
  format: v.optional(v.picklist(['json', 'csv']), 'json'),
});
const MessageParams = v.object({ id: v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'a message id'), v.transform(Number)) });
const HandledBody = v.strictObject({ handled: v.boolean() });
const COLUMNS: Array<keyof LeftMessage> = ['id', 'at', 'button', 'name', 'email', 'text', 'handledAt', 'handledBy'];

/**
 * C2: what customers left while nobody could answer, for admins: list (open, handled or all, newest
 * first, a page at a time), mark handled or open again, export as CSV. Times in the CSV are ISO 8601.
 */
export function leftMessageRoutes(app: FastifyInstance, service: ParleyService): void {
  const { context } = service;
  const admin = { tag: 'admin', security: 'adminToken', guard: adminGuard(service) } as const;

  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/offline-messages',
    summary: 'C2: left messages, newest first: open (default), handled or all; JSON, or CSV with format=csv. Page with before=<id of the last one seen>.',
    query: ListQuery,
    answers: { 200: v.object({ messages: v.array(LeftMessageSchema) }), 400: ErrorAnswer, 401: ErrorAnswer },
    async handler({ query, reply }) {
      const messages = await context.store.listOfflineMessages({ status: query.status, limit: query.limit, before: query.before });
      if (query.format === 'json') return { messages };
      const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="left-messages-${query.status}.csv"`);
      return toCsv(messages.map((message) => ({ ...message, at: iso(message.at), handledAt: iso(message.handledAt) })), COLUMNS);
    },
  });

  route(app, {
    ...admin,
    method: 'PUT',
    url: '/admin/offline-messages/:id/handled',
    summary: 'C2: marks a left message handled ({"handled": true}) or open again ({"handled": false}).',
    params: MessageParams,
    body: HandledBody,
    answers: { 200: LeftMessageSchema, 400: ErrorAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
    async handler({ params, body }) {
      const message = await context.store.markOfflineMessage(params.id, body.handled ? { at: context.clock.now(), by: 'admin' } : null);
      if (!message) throw new HttpError(404, 'not_found', `No left message ${params.id}.`);
      return message;
    },
  });
}
