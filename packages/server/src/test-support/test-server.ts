import { FakeClock } from '../clock/fake-clock.js';
import type { ConfigInput } from '../config/config-schema.js';
import { signToken } from '../auth/tokens.js';
import { parseConfig } from '../config/load-config.js';
import { silentLogger, type Logger } from '../service/logger.js';
import { startServer, type RunningServer } from '../server.js';
import { TestClient } from './test-client.js';
import type { Store } from '../store/store.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const SECRET = 'test-secret-0123456789-0123456789-0123456789';

/** An agent token signed with the test secret, valid for 30 days from `now` (service processes run on the real time). */
export function testAgentToken(agentId: string, now = Date.now()): Promise<string> {
  return signToken({ kind: 'agent', sub: agentId }, SECRET, { now, ttlMs: 30 * 24 * 3600_000 });
}

/** Two offices, two buttons, two agents: enough for routing, per-office presence and re-routing. */
export const TEST_CONFIG = {
  port: 0,
  databasePath: ':memory:',
  secret: SECRET,
  adminToken: ADMIN_TOKEN,
  offices: [
    { id: 'north', name: 'North' },
    { id: 'south', name: 'South' },
  ],
  buttons: [
    { id: 'sales', name: 'Sales', office: 'north' },
    { id: 'support', name: 'Support', office: 'south' },
  ],
  agents: [
    { id: 'ana', name: 'Ana', offices: ['north', 'south'], capacity: 2 },
    { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1 },
  ],
  customStatuses: [{ id: 'lunch', label: 'At lunch', base: 'away' }],
  lifecycle: { customerInactivityMinutes: 5 },
} satisfies ConfigInput;

export interface TestService {
  server: RunningServer;
  clock: FakeClock;
  wsUrl: string;
  /** Moves business time and waits until every deadline now due has run. */
  advance(ms: number): Promise<void>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  customer(browserId: string, hello?: Record<string, unknown>): Promise<TestClient>;
  /** Resolves once the service has handled the close of the agent's last socket. */
  agentGone(agentId: string): Promise<void>;
  agent(agentId: string, browserId?: string): Promise<TestClient>;
  close(): Promise<void>;
}

export async function startTestService(overrides: Partial<ConfigInput> = {}, options: { clock?: FakeClock; store?: Store; log?: Logger } = {}): Promise<TestService> {
  const clock = options.clock ?? new FakeClock();
  const config = parseConfig({ ...TEST_CONFIG, ...overrides });
  const server = await startServer({ config, clock, log: options.log ?? silentLogger, ...(options.store ? { store: options.store } : {}) });
  const wsUrl = `${server.url.replace('http', 'ws')}/v1/socket`;
  const clients: TestClient[] = [];
  const track = (client: TestClient) => {
    clients.push(client);
    return client;
  };
  return {
    server,
    clock,
    wsUrl,
    async advance(ms) {
      clock.advance(ms);
      await server.service.context.deadlines.runDue();
      await server.service.router.route();
    },
    async admin(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
    },
    async agentGone(agentId) {
      // Event-loop turns, not a timer: the close is handled within a few of them.
      for (let turn = 0; turn < 1000 && server.service.presence.isConnected(agentId); turn++) await new Promise(setImmediate);
      if (server.service.presence.isConnected(agentId)) throw new Error(`${agentId} is still connected`);
      await server.service.presence.settled();
    },
    async customer(browserId, hello = {}) {
      return track(await TestClient.connect(wsUrl, { role: 'customer', browserId, button: 'sales', ...hello }));
    },
    async agent(agentId, browserId = `browser-${agentId}`) {
      const token = await server.service.auth.agentToken(agentId, 12);
      return track(await TestClient.connect(wsUrl, { role: 'agent', browserId, token }));
    },
    async close() {
      for (const client of clients) client.socket.terminate();
      await server.close();
    },
  };
}
