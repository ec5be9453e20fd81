import type { FastifyInstance } from 'fastify';
import type { ParleyService } from '../service/parley-service.js';
import { HttpError } from './http-errors.js';

/**
 * Only with `--demo`: hands out agent tokens and the admin token so the demo
 * consoles can sign in with one click. A real deployment issues agent tokens
 * from its own sign-in (POST /admin/agent-tokens) and never serves these.
 */
export function demoRoutes(app: FastifyInstance, service: ParleyService): void {
  const { config } = service.context;
  const hide = { schema: { hide: true } };
  app.get('/demo/agents', hide, async () => ({
    agents: config.agents.map(({ id, name, offices }) => ({ id, name, offices })),
    customStatuses: config.customStatuses,
  }));
  app.get('/demo/agent-token', hide, async (request) => {
    const agentId = (request.query as { agent?: unknown }).agent;
    const agent = config.agents.find((candidate) => candidate.id === agentId);
    if (!agent) throw new HttpError(404, 'not_found', 'No such demo agent.');
    return { token: await service.auth.agentToken(agent.id, 12) };
  });
  // The demo's own admin token: the demo refuses to start with a configured one.
  app.get('/demo/admin-token', hide, async () => ({ token: config.adminToken }));
}
