#!/usr/bin/env node
// `parley-server [--config FILE] [--demo]`: runs the reference service.
// --demo runs the demo deployment and serves the sample site, the agent
// console and the script-tag bundles. SIGTERM drains (M3), then exits.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CONFIG, demoConflicts } from './config/demo-config.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { StaticMount } from './http/static-files.js';
import { startServer } from './server.js';
import { createLogger } from './service/logger.js';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const demo = args.includes('--demo');
const configIndex = args.indexOf('--config');
const configFile = configIndex >= 0 ? args[configIndex + 1] : process.env.PARLEY_CONFIG;

const conflicts = demo ? demoConflicts({ configFile, env: process.env }) : [];
if (conflicts.length > 0) {
  console.error(
    ['Refusing to start: --demo hands its admin token and agent tokens to anyone who asks, so it runs only the demo deployment, with no configuration of yours:', ...conflicts, 'Run without --demo to serve your configuration.'].join('\n'),
  );
  process.exit(2);
}

let config;
try {
  config = loadConfig({ file: configFile, base: demo ? DEMO_CONFIG : {}, env: process.env });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(2);
}

const log = createLogger({ level: config.log.level });
process.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception'));
process.on('unhandledRejection', (error) => log.error({ err: error }, 'unhandled rejection'));

const server = await startServer({
  config,
  log,
  demo,
  // The script-tag bundles are served in every deployment (the documented tag points here);
  // the demo site only with --demo.
  staticMounts: [...bundleMounts(), ...(demo ? [{ prefix: '/', directory: resolve(repository, 'demo') }] : [])],
});

const data = config.databaseUrl ? `PostgreSQL ${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname}` : config.databasePath;
console.log(`Parley is running at ${server.url} (data: ${data})`);
if (server.metricsUrl) console.log(`  metrics (Prometheus): ${server.metricsUrl}`);
if (demo) {
  console.log(`  customer page (shop with the chat widget): ${server.url}/`);
  console.log(`  agent console (sign in as Ana, Ben or Cleo): ${server.url}/agent.html`);
  console.log(`  admin console (maintenance, offices, report): ${server.url}/admin.html`);
}

/** Where the installed widget and badge packages keep their script-tag bundles. */
function bundleMounts(): StaticMount[] {
  const mounts: StaticMount[] = [];
  for (const [prefix, entry] of [
    ['/widget/', '@parley/widget/parley-chat.js'],
    ['/agent-badge/', '@parley/agent-badge/parley-agent-badge.js'],
  ] as const) {
    try {
      mounts.push({ prefix, directory: dirname(fileURLToPath(import.meta.resolve(entry))), public: true });
    } catch {
      console.error(`${entry} is not installed: ${prefix} is not served.`);
    }
  }
  return mounts;
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: draining, clients are told to reconnect`);
  await server.drain();
  await server.close();
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
