import type { FastifyInstance, FastifyRequest } from 'fastify';
import { presenceReport, reportCsv } from '../admin/presence-report.js';
import type { ParleyService } from '../service/parley-service.js';
import {
  AdminTokenBody,
  AgentParams,
  AgentTokenBody,
  AwayAnswer,
  CancelledAnswer,
  ConfigAnswer,
  DrainAnswer,
  ErrorAnswer,
  NotificationAnswer,
  NotificationBody,
  OfficeAwayBody,
  OfficeParams,
  OptOutsAnswer,
  PresenceReportAnswer,
  PresenceReportQuery,
  ReadOnlyAnswer,
  ReadOnlyBody,
  ReleaseBody,
  ReleasedAnswer,
  RevokedAnswer,
  StuckWorkAnswer,
  TokenAnswer,
  WindowAnswer,
  WindowBody,
  WindowParams,
  WindowsAnswer,
} from './bodies.js';
import { bearer, HttpError } from './http-errors.js';
import { route } from './route.js';

const HOUR = 3600 * 1000;
const refused = { 400: ErrorAnswer, 401: ErrorAnswer };

/** Refuses a request without the admin bearer token, before anything else about it is looked at. */
export function adminGuard(service: ParleyService): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (!(await service.auth.admin(bearer(request)))) throw new HttpError(401, 'unauthorized', 'Send the admin token as a bearer token.');
  };
}

/** The admin API (docs/server.md "Admin API"), every route behind the admin token. */
export function adminRoutes(app: FastifyInstance, service: ParleyService, drain: () => Promise<void>): void {
  const { context } = service;
  const admin = { tag: 'admin', security: 'adminToken', guard: adminGuard(service) } as const;

  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/maintenance-windows',
    summary: 'Planned maintenance windows (M1).',
    answers: { 200: WindowsAnswer, ...refused },
    handler: async () => ({ windows: service.maintenance.windows() }),
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/maintenance-windows',
    summary: 'Schedules a window (M1, M2); times in ms since the epoch.',
    body: WindowBody,
    answers: { 201: WindowAnswer, ...refused },
    async handler({ body, reply }) {
      reply.code(201);
      return service.maintenance.schedule(body);
    },
  });
  route(app, {
    ...admin,
    method: 'DELETE',
    url: '/admin/maintenance-windows/:windowId',
    summary: 'Cancels a window; everyone is told.',
    params: WindowParams,
    answers: { 200: CancelledAnswer, ...refused, 404: ErrorAnswer },
    async handler({ params }) {
      await service.maintenance.cancel(params.windowId);
      return { cancelled: params.windowId };
    },
  });
  route(app, {
    ...admin,
    method: 'PUT',
    url: '/admin/read-only',
    summary: 'The read-only switch (M6).',
    body: ReadOnlyBody,
    answers: { 200: ReadOnlyAnswer, ...refused },
    async handler({ body }) {
      await service.maintenance.setReadOnly(body.on);
      return { readOnly: body.on };
    },
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/drain',
    summary: 'Drains this node (M3); answers at once.',
    answers: { 202: DrainAnswer, 401: ErrorAnswer },
    async handler({ reply }) {
      reply.code(202);
      void drain();
      return { draining: true };
    },
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/offices/:office/away',
    summary: 'One agent, or every agent, Away for the office (A5).',
    params: OfficeParams,
    body: OfficeAwayBody,
    answers: { 200: AwayAnswer, ...refused, 404: ErrorAnswer },
    async handler({ params: { office }, body: { agentId } }) {
      if (!context.config.offices.some((candidate) => candidate.id === office)) throw new HttpError(404, 'not_found', `No office "${office}".`);
      const agents = context.config.agents.filter((agent) => agent.offices.includes(office) && (agentId === undefined || agent.id === agentId));
      if (agentId !== undefined && agents.length === 0) throw new HttpError(404, 'not_found', `No agent "${agentId}" in office "${office}".`);
      // A5: one agent or every agent of the office, with the admin as the actor.
      for (const agent of agents) await service.presence.apply(agent.id, { type: 'set', status: 'away', office, source: 'admin', actor: 'admin' });
      return { away: agents.map((agent) => agent.id) };
    },
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/stuck-work',
    summary: 'Ended work still holding capacity (P5).',
    answers: { 200: StuckWorkAnswer, 401: ErrorAnswer },
    handler: async () => ({ work: await service.router.stuckWork() }),
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/stuck-work/release',
    summary: 'Releases stuck work (P5).',
    body: ReleaseBody,
    answers: { 200: ReleasedAnswer, ...refused, 409: ErrorAnswer },
    async handler({ body: { sessionId, agentId } }) {
      await service.router.closeWork(agentId, sessionId);
      return { released: { sessionId, agentId } };
    },
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/opt-outs',
    summary: 'Browsers whose customer opted out with a keyword (S8), the latest first.',
    answers: { 200: OptOutsAnswer, 401: ErrorAnswer },
    handler: async () => ({ optOuts: await context.store.optOuts() }),
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/presence-report',
    summary: 'Presence history (P8): JSON, or CSV with format=csv. Default range: the last 24 hours.',
    query: PresenceReportQuery,
    answers: { 200: PresenceReportAnswer, ...refused },
    async handler({ query, reply }) {
      const now = context.clock.now();
      const from = query.from ?? now - 24 * HOUR;
      const to = query.to ?? now;
      if (to < from) throw new HttpError(400, 'bad_request', 'from and to are ms since the epoch, from ≤ to.');
      const rows = presenceReport(await context.store.presenceHistory({ from, to }), { from, to }, now);
      if (query.format === 'json') return { rows };
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="presence-report.csv"');
      return reportCsv(rows);
    },
  });
  route(app, {
    ...admin,
    method: 'GET',
    url: '/admin/config',
    summary: 'The configuration in force, secrets redacted.',
    answers: { 200: ConfigAnswer, 401: ErrorAnswer },
    handler: async () => ({
      ...context.config,
      secret: '(redacted)',
      adminToken: '(redacted)',
      databaseUrl: withoutPassword(context.config.databaseUrl),
      busUrl: withoutPassword(context.config.busUrl),
    }),
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/agent-tokens',
    summary: 'A signed agent token, for your sign-in system to hand out.',
    body: AgentTokenBody,
    answers: { 201: TokenAnswer, ...refused, 404: ErrorAnswer },
    async handler({ body: { agentId, ttlHours }, reply }) {
      if (!context.config.agents.some((agent) => agent.id === agentId)) throw new HttpError(404, 'not_found', `No agent "${agentId}".`);
      reply.code(201);
      return { token: await service.auth.agentToken(agentId, ttlHours) };
    },
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/agents/:agentId/revoke-tokens',
    summary: "Signs the agent out everywhere and revokes every agent token issued to them so far.",
    params: AgentParams,
    answers: { 200: RevokedAnswer, ...refused, 404: ErrorAnswer },
    async handler({ params: { agentId } }) {
      if (!context.config.agents.some((agent) => agent.id === agentId)) throw new HttpError(404, 'not_found', `No agent "${agentId}".`);
      await service.logout(agentId, 'admin');
      return { revoked: agentId };
    },
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/admin-tokens',
    summary: 'A short-lived admin token (JWT), for a console that should not hold the configured admin token.',
    body: AdminTokenBody,
    answers: { 201: TokenAnswer, ...refused },
    async handler({ body: { ttlHours }, reply }) {
      reply.code(201);
      return { token: await service.auth.adminToken(ttlHours) };
    },
  });
  route(app, {
    ...admin,
    method: 'POST',
    url: '/admin/notifications',
    summary: 'S7: an automated notification to the customer of an earlier session.',
    body: NotificationBody,
    answers: { 201: NotificationAnswer, ...refused, 404: ErrorAnswer },
    async handler({ body: { sessionId, text, longevity }, reply }) {
      const session = await service.chat.notify(sessionId, text, longevity);
      reply.code(201);
      return { sessionId: session.id, state: session.state };
    },
  });
}

/** A store or bus URL as an admin may see it: without its password. */
function withoutPassword(url: string | undefined): string | undefined {
  if (!url) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '(redacted)';
  return parsed.toString();
}
