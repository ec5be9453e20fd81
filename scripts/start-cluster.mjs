#!/usr/bin/env node
// `npm run start:cluster`: the demo deployment as three nodes on the local PostgreSQL and Redis,
// behind HAProxy on deploy/haproxy.cfg (docs/server.md, "Scale-out"). Ctrl-C drains and stops all.
//
// Environment (all optional):
//   PARLEY_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/parley_cluster (created if missing)
//   PARLEY_BUS_URL       default redis://127.0.0.1:6379
//   PARLEY_CLUSTER_PORT  the balancer's port, default 8080; the nodes listen on the next three ports
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const main = resolve(repository, 'packages/server/dist/main.js');
const haproxy = process.env.PARLEY_HAPROXY ?? '/usr/sbin/haproxy';
const databaseUrl = process.env.PARLEY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_cluster';
const busUrl = process.env.PARLEY_BUS_URL ?? 'redis://127.0.0.1:6379';
const port = Number(process.env.PARLEY_CLUSTER_PORT ?? 8080);
const balancer = `http://127.0.0.1:${port}`;
const nodePorts = [port + 1, port + 2, port + 3];
const children = [];

await createDatabase(databaseUrl);
const nodeEnv = (nodePort) => ({
  ...process.env,
  PORT: String(nodePort),
  PARLEY_DATABASE_URL: databaseUrl,
  PARLEY_BUS_URL: busUrl,
  PARLEY_BUS_PREFIX: 'parley-local-cluster',
  // Pages and clients reach the service through the balancer: its origin is the service's own.
  PARLEY_PUBLIC_URL: balancer,
  // Per-address limits count the client behind the balancer.
  PARLEY_TRUSTED_PROXIES: 'loopback',
});
// The first node migrates the schema; the others start once it has.
const nodes = [await startNode(0)];
nodes.push(...(await Promise.all([startNode(1), startNode(2)])));
const proxy = spawn(haproxy, ['-W', '-db', '-f', resolve(repository, 'deploy/haproxy.cfg')], {
  env: { ...process.env, PARLEY_BALANCER: `127.0.0.1:${port}`, ...Object.fromEntries(nodePorts.map((nodePort, index) => [`PARLEY_NODE${index + 1}`, `127.0.0.1:${nodePort}`])) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
children.push(proxy);
proxy.on('exit', (code) => stop(`HAProxy exited (${code})`));

console.log(`
Parley cluster: 3 nodes on ${new URL(databaseUrl).pathname.slice(1)} (PostgreSQL) and ${busUrl}, behind HAProxy
  balancer:        ${balancer}
  customer page:   ${balancer}/
  agent console:   ${balancer}/agent.html
  admin console:   ${balancer}/admin.html
  nodes:           ${nodes.map((node, index) => `node${index + 1} ${node.url} (pid ${node.child.pid})`).join(', ')}
A rolling deploy by hand: kill -TERM <pid> drains that node (its clients move to the other nodes);
this script starts it again on its port. Ctrl-C stops everything.`);

function startNode(index) {
  const child = spawn(process.execPath, [main, '--demo'], { env: nodeEnv(nodePorts[index]), stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let output = '';
  return new Promise((resolveNode, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolveNode({ url: match[1], child });
    });
    child.once('exit', (code) => {
      reject(new Error(`node${index + 1} exited with ${code}:\n${output}`));
      if (stopping || output.indexOf('running at') < 0) return;
      // A supervisor's job: a drained node comes back on its port (the balancer's health check sees it).
      startNode(index).then(
        (node) => console.log(`node${index + 1} exited (${code}); started again: ${node.url} (pid ${node.child.pid})`),
        (error) => stop(String(error)),
      );
    });
  });
}

async function createDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  console.log(`${why}: stopping the cluster`);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
