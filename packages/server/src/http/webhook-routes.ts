import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import type { ParleyService } from '../service/parley-service.js';
import type { WebhookRecord } from '../store/store.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.js';
import { adminGuard } from './admin-routes.js';
import { ErrorAnswer } from './bodies.js';
import { HttpError } from './http-errors.js';
import { route } from './route.js';

/** Only http and https; private addresses are allowed (docs/server.md "Webhooks" says why). */
const webhookUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'url must be an absolute http or https URL without credentials'),
);
const WebhookBody = v.strictObject({
  url: webhookUrl,
  events: v.pipe(v.array(v.picklist(WEBHOOK_EVENTS)), v.minLength(1), v.maxLength(WEBHOOK_EVENTS.length)),
  secret: v.optional(v.pipe(v.string(), v.minLength(16), v.maxLength(256))),
});
const WebhookParams = v.object({ webhookId: v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/)) });
const DeliveriesQuery = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, 'a number'), v.transform(Number), v.minValue(1), v.maxValue(1000)), '100'),
});
const Webhook = v.object({ id: v.string(), url: v.string(), events: v.array(v.string()), createdAt: v.number() });
const CreatedWebhook = v.object({ ...Webhook.entries, secret: v.string() });
const Delivery = v.object({
  id: v.string(),
  event: v.string(),
  status: v.picklist(['pending', 'delivered', 'failed']),
  attempts: v.number(),
  createdAt: v.number(),
  lastAttemptAt: v.nullable(v.number()),
  lastResponse: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
});

const described = ({ id, url, events, createdAt }: WebhookRecord) => ({ id, url, events, createdAt });

/** D5: webhook subscriptions and their delivery log, for admins. */
export function webhookRoutes(app: FastifyInstance, service: ParleyService): void {
  const admin = { tag: 'admin', security: 'adminToken', guard: adminGuard(service) } as const;
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/webhooks',
    summary: 'D5: subscribes a URL to events; the signing secret (given, or generated) is in this answer only.',
    body: WebhookBody,
    answers: { 201: CreatedWebhook, 400: ErrorAnswer, 401: ErrorAnswer },
    async handler({ body, reply }) {
      const webhook = await service.webhooks.create(body);
      reply.code(201);
      return { ...described(webhook), secret: webhook.secret };
    },
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/webhooks',
    summary: 'D5: the webhook subscriptions (without their secrets).',
    answers: { 200: v.object({ webhooks: v.array(Webhook) }), 401: ErrorAnswer },
    handler: async () => ({ webhooks: (await service.webhooks.list()).map(described) }),
  });
  route(app, {
    ...admin,
    method: 'DELETE',
    url: '/admin/webhooks/:webhookId',
    summary: 'D5: deletes a subscription and its delivery log; deliveries not yet made are dropped.',
    params: WebhookParams,
    answers: { 200: v.object({ deleted: v.boolean() }), 400: ErrorAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
    async handler({ params }) {
      if (!(await service.webhooks.delete(params.webhookId))) throw new HttpError(404, 'not_found', 'No such webhook.');
      return { deleted: true };
    },
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/webhooks/:webhookId/deliveries',
    summary: "D5: a subscription's recent deliveries, newest first: status, attempts, the last response code or error.",
    params: WebhookParams,
    query: DeliveriesQuery,
    answers: { 200: v.object({ deliveries: v.array(Delivery) }), 400: ErrorAnswer, 401: ErrorAnswer, 404: ErrorAnswer },
    async handler({ params, query }) {
      if (!(await service.webhooks.list()).some((webhook) => webhook.id === params.webhookId)) throw new HttpError(404, 'not_found', 'No such webhook.');
      const deliveries = await service.webhooks.deliveries(params.webhookId, query.limit);
      return { deliveries: deliveries.map(({ body: _body, webhookId: _webhookId, ...rest }) => rest) };
    },
  });
}
