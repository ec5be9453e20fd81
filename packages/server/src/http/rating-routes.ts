import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import type { Rating } from '@parley/protocol';
import { toCsv } from '../admin/csv.js';
import type { ParleyService } from '../service/parley-service.js';
import { adminGuard } from './admin-routes.js';
import { ErrorAnswer } from './bodies.js';
import { HttpError } from './http-errors.js';
import { route } from './route.js';

const DAY = 24 * 3600 * 1000;
const epochMsQuery = v.pipe(v.string(), v.regex(/^\d{1,16}$/, 'ms since the epoch'), v.transform(Number));
const RatingSchema = v.object({
  sessionId: v.string(),
  button: v.string(),
  agentId: v.nullable(v.string()),
  score: v.number(),
  comment: v.string(),
  at: v.pipe(v.number(), v.integer()),
});
const ReportQuery = v.object({
  from: v.optional(epochMsQuery),
  to: v.optional(epochMsQuery),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'a number'), v.transform(Number), v.minValue(1), v.maxValue(10_000)), '1000'),
  format: v.optional(v.picklist(['json', 'csv']), 'json'),
});
const COLUMNS: Array<keyof Rating> = ['at', 'sessionId', 'button', 'agentId', 'score', 'comment'];

/**
 * I3: the ratings customers gave their ended chats, for admins: a time range (default the last 30 days),
 * newest first, with the count and average score; CSV with format=csv (ISO times, formula-safe cells).
 */
export function ratingRoutes(app: FastifyInstance, service: ParleyService): void {
  const { context } = service;
  route(app, {
    tag: 'admin',
    security: 'adminToken',
    guard: adminGuard(service),
    method: 'GET',
    url: '/admin/ratings',
    summary: 'I3: chat ratings in a range (from, to: ms since the epoch; default the last 30 days), newest first; JSON with count and average, or CSV with format=csv.',
    query: ReportQuery,
    answers: { 200: v.object({ ratings: v.array(RatingSchema), count: v.number(), average: v.nullable(v.number()) }), 400: ErrorAnswer, 401: ErrorAnswer },
    async handler({ query, reply }) {
      const now = context.clock.now();
      const from = query.from ?? now - 30 * DAY;
      const to = query.to ?? now;
      if (to < from) throw new HttpError(400, 'bad_request', 'from and to are ms since the epoch, from ≤ to.');
      const ratings = await context.store.ratings({ from, to, limit: query.limit });
      if (query.format === 'json') {
        const average = ratings.length === 0 ? null : Math.round((ratings.reduce((sum, rating) => sum + rating.score, 0) / ratings.length) * 100) / 100;
        return { ratings, count: ratings.length, average };
      }
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="ratings.csv"');
      return toCsv(ratings.map((rating) => ({ ...rating, at: new Date(rating.at).toISOString() })), COLUMNS);
    },
  });
}
