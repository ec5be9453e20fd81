// A web-test-runner plugin that runs real Parley service processes for browser
// tests, driven from the page with executeServerCommand():
//   parley-start   {config?}      → {id}; parley-wait then gives {id, url, adminToken}
//   parley-restart {id}           SIGTERM (drain), then start again on the same port and database
//   parley-stop    {id}           SIGTERM, wait for the exit
//   parley-start-again {id}       start again on the same port and database after a stop
//   parley-wait    {id}           → {done, result?}: the last start, restart or stop finished (done)
//   parley-metrics {id}           open sockets by role, from GET /metrics (Prometheus text)
//   parley-token   {id, agentId}  a signed agent token
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const ADMIN_TOKEN = 'browser-test-admin-token';

const BASE_CONFIG = {
  adminToken: ADMIN_TOKEN,
  secret: 'browser-test-secret-0123456789-0123456789',
  allowedOrigins: ['*'],
  offices: [{ id: 'north', name: 'North' }],
  buttons: [{ id: 'sales', name: 'Sales', office: 'north' }],
  agents: [
    { id: 'ana', name: 'Ana', offices: ['north'], capacity: 5 },
    { id: 'ben', name: 'Ben', offices: ['north'], capacity: 5 },
  ],
  maintenance: { drainWindowMs: 300 },
};

function launch(service) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'packages/server/src/main.ts'), '--config', service.configFile], {
    env: { ...process.env, PORT: String(service.port), PARLEY_TEST_MODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.child = child;
  return new Promise((resolveUrl, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolveUrl(match[1]);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
}

async function stop(service) {
  if (!service.child || service.child.exitCode !== null || service.child.signalCode !== null) return;
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  await exited;
}

// Starting a process can take longer on a busy machine than the 20 s web-test-runner gives one
// command, so starts, restarts and stops run in the background and the page waits for them with
// parley-wait, which answers within 10 s either way ({done: false}: ask again).
function inBackground(service, work) {
  service.pending = work().then(
    (result) => ({ done: true, result }),
    (error) => ({ done: true, error: String(error?.stack ?? error) }),
  );
}

async function waitBriefly(service) {
  let timer;
  const stillRunning = new Promise((resolve) => (timer = setTimeout(() => resolve({ done: false }), 10_000)));
  const outcome = await Promise.race([service.pending ?? { done: true, result: true }, stillRunning]);
  clearTimeout(timer);
  if (outcome.error) throw new Error(outcome.error);
  return outcome;
}

export function parleyServicePlugin() {
  const services = new Map();
  let next = 0;
  return {
    name: 'parley-service',
    async executeCommand({ command, payload }) {
      if (!command.startsWith('parley-')) return undefined;
      if (command === 'parley-start') {
        const folder = mkdtempSync(join(tmpdir(), 'parley-browser-'));
        const configFile = join(folder, 'parley.json');
        writeFileSync(configFile, JSON.stringify({ ...BASE_CONFIG, ...payload?.config, databasePath: join(folder, 'parley.db') }));
        const service = { id: `s${next++}`, configFile, port: 0 };
        services.set(service.id, service);
        inBackground(service, async () => {
          const url = await launch(service);
          service.port = Number(new URL(url).port);
          service.url = url;
          return { id: service.id, url, adminToken: ADMIN_TOKEN };
        });
        return { id: service.id };
      }
      const service = services.get(payload.id);
      if (!service) throw new Error(`no service ${payload.id}`);
      if (command === 'parley-wait') return waitBriefly(service);
      if (command === 'parley-restart') {
        inBackground(service, async () => {
          await stop(service);
          await launch(service);
          return true;
        });
        return true;
      }
      if (command === 'parley-stop') {
        inBackground(service, async () => {
          await stop(service);
          return true;
        });
        return true;
      }
      if (command === 'parley-start-again') {
        inBackground(service, async () => {
          await launch(service);
          return true;
        });
        return true;
      }
      if (command === 'parley-metrics') {
        const text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
        const sockets = (role) => Number(new RegExp(`^parley_connections\\{role="${role}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
        return { connections: { customer: sockets('customer'), agent: sockets('agent') } };
      }
      if (command === 'parley-token') {
        const response = await fetch(`${service.url}/admin/agent-tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ agentId: payload.agentId }),
        });
        return (await response.json()).token;
      }
      return undefined;
    },
    async serverStop() {
      await Promise.all([...services.values()].map(stop));
    },
  };
}
