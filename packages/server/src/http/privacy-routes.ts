import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { IDENTITY_LIMITS, LIMITS } from '@parley/protocol';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import type { CustomerKey } from '../store/store.js';
import { adminGuard } from './admin-routes.js';
import { ErrorAnswer } from './bodies.js';
import { HttpError } from './http-errors.js';
import { route } from './route.js';

const browserId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength), v.regex(/^[\w.:@-]+$/, 'a browser id: letters, digits and . _ : @ - only'));
const userId = v.pipe(v.string(), v.minLength(1), v.maxLength(IDENTITY_LIMITS.userIdLength));
const email = v.pipe(v.string(), v.maxLength(320), v.email('an email address'));
const Customer = {
  browserId: v.optional(browserId),
  userId: v.optional(userId),
};
const oneCustomer = (input: { browserId?: string | undefined; userId?: string | undefined }) => (input.browserId === undefined) !== (input.userId === undefined);
const ONE = 'give exactly one of browserId and userId';

const ExportQuery = v.pipe(v.object({ ...Customer, email: v.optional(v.union([email, v.array(email)])) }), v.check((input) => oneCustomer(input), ONE));
const EraseBody = v.pipe(v.strictObject({ ...Customer, emails: v.optional(v.pipe(v.array(email), v.maxLength(20)), []) }), v.check((input) => oneCustomer(input), ONE));
const ErasuresQuery = v.object({ limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, 'a number'), v.transform(Number), v.minValue(1), v.maxValue(1000)), '100') });

const Counts = v.object({
  sessions: v.number(),
  messages: v.number(),
  attachments: v.number(),
  ratings: v.number(),
  offlineMessages: v.number(),
  optOuts: v.number(),
});
const Erasure = v.object({
  id: v.number(),
  at: v.number(),
  actor: v.string(),
  subjectKind: v.picklist(['browserId', 'userId', 'retention']),
  subjectHash: v.string(),
  counts: Counts,
});
// The export's shape is documented in docs/server.md "Privacy"; sessions and events are the store's records as they are.
const ExportAnswer = v.object({
  customer: v.record(v.string(), v.string()),
  exportedAt: v.number(),
  sessions: v.array(v.looseObject({ session: v.looseObject({ id: v.string() }) })),
  offlineMessages: v.array(v.looseObject({ id: v.number() })),
  optOuts: v.array(v.looseObject({ browserId: v.string() })),
});

const customerOf = (input: { browserId?: string | undefined; userId?: string | undefined }): CustomerKey =>
  input.browserId !== undefined ? { browserId: input.browserId } : { userId: input.userId! };

/** D7: a customer's data, exported or erased, and the erasure log (docs/server.md "Privacy"); every route behind the admin token. */
export function privacyRoutes(app: FastifyInstance, service: ParleyService): void {
  const admin = { tag: 'admin', security: 'adminToken', guard: adminGuard(service) } as const;

  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/privacy/export',
    summary: 'D7: everything stored about a customer (browserId= or userId=; email= finds their left messages), attachment bytes in base64.',
    query: ExportQuery,
    answers: { 200: ExportAnswer, 400: ErrorAnswer, 401: ErrorAnswer },
    async handler({ query }) {
      const emails = query.email === undefined ? [] : Array.isArray(query.email) ? query.email : [query.email];
      return service.privacy.export(customerOf(query), emails);
    },
  });

  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/privacy/erase',
    summary: 'D7: erases a customer (messages become tombstones, files, ratings, left messages and opt-outs deleted) and logs it; 409 while one of their chats is open.',
    body: EraseBody,
    answers: { 200: v.object({ erasure: Erasure }), 400: ErrorAnswer, 401: ErrorAnswer, 409: ErrorAnswer },
    async handler({ body }) {
      try {
        return { erasure: await service.privacy.erase(customerOf(body), body.emails, 'admin') };
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'session_open') throw new HttpError(409, 'session_open', error.message);
        throw error;
      }
    },
  });

  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/privacy/erasures',
    summary: 'D7: the erasure log (admin erasures and retention purges), newest first.',
    query: ErasuresQuery,
    answers: { 200: v.object({ erasures: v.array(Erasure) }), 400: ErrorAnswer, 401: ErrorAnswer },
    handler: async ({ query }) => ({ erasures: await service.context.store.erasures(query.limit) }),
  });
}
