import type { IncomingMessage, ServerResponse } from 'node:http';
import { signToken } from '../auth/tokens.js';
import type { ParleyService } from '../service/parley-service.js';
import { sendJson } from './http-io.js';

/**
 * Only with `--demo`: hands out agent tokens and the admin token so the demo
 * consoles can sign in with one click. A real deployment issues agent tokens
 * from its own sign-in (POST /admin/agent-tokens) and never serves these.
 */
export function demoRoutes(service: ParleyService): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { config, clock } = service.context;
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' || !url.pathname.startsWith('/demo/')) return false;
    if (url.pathname === '/demo/agents') {
      sendJson(response, 200, { agents: config.agents.map(({ id, name, offices }) => ({ id, name, offices })), customStatuses: config.customStatuses });
      return true;
    }
    if (url.pathname === '/demo/agent-token') {
      const agent = config.agents.find((candidate) => candidate.id === url.searchParams.get('agent'));
      if (!agent) {
        sendJson(response, 404, { error: { code: 'not_found', message: 'No such demo agent.' } });
        return true;
      }
      sendJson(response, 200, { token: signToken({ kind: 'agent', sub: agent.id, exp: clock.now() + 12 * 3600 * 1000 }, config.secret!) });
      return true;
    }
    if (url.pathname === '/demo/admin-token') {
      sendJson(response, 200, { token: config.adminToken });
      return true;
    }
    return false;
  };
}
