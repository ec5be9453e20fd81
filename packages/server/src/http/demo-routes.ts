import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ParleyService } from '../service/parley-service.js';
import { isLoopbackHost } from '../transport/origins.js';
import { demoUserTokenRoute } from './demo-user-tokens.js';
import { HttpError } from './http-errors.js';

/**
 * Only with `--demo`: hands out agent tokens and the admin token so the demo
 * consoles can sign in with one click. A real deployment issues agent tokens
 * from its own sign-in (POST /admin/agent-tokens) and never serves these.
 */
export function demoRoutes(app: FastifyInstance, service: ParleyService): void {
  const { config } = service.context;
  // Only for a browser on this machine at a loopback name: a DNS-rebinding page (Host: evil.example) reads nothing.
  const loopbackOnly = async (request: FastifyRequest) => {
    if (!isLoopbackHost(hostnameOf(request.headers.host)) || !isLoopbackAddress(request.socket.remoteAddress)) {
      throw new HttpError(403, 'forbidden', 'The demo answers only at localhost, from this machine.');
    }
  };
  const hide = { schema: { hide: true }, onRequest: loopbackOnly };
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
  demoUserTokenRoute(app, service, hide);
}

function hostnameOf(host: string | undefined): string {
  try {
    return new URL(`http://${host ?? ''}`).hostname;
  } catch {
    return '';
  }
}

function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}
