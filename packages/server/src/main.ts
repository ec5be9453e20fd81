#!/usr/bin/env node
// `parley-server [--demo]`: runs the reference service. With --demo it also
// serves the sample site, the agent console and the script-tag bundles.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.js';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const demo = process.argv.includes('--demo');
const port = Number(process.env.PORT ?? 8787);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a whole number from 0 to 65535, not ${JSON.stringify(process.env.PORT)}.`);
  process.exit(2);
}

const server = await startServer({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  staticMounts: demo
    ? [
        { prefix: '/widget/', directory: resolve(repository, 'packages/widget/dist') },
        { prefix: '/agent-badge/', directory: resolve(repository, 'packages/agent-badge/dist') },
        { prefix: '/', directory: resolve(repository, 'demo') },
      ]
    : [],
});

console.log(`Parley is running at ${server.url}`);
if (demo) {
  console.log(`  customer page (shop with the chat widget): ${server.url}/`);
  console.log(`  agent console:                             ${server.url}/agent.html`);
}

const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
