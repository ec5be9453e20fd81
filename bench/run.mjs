// `npm run bench`: builds, runs every benchmark in turn, and prints one table, each figure with
// the command that made it. Figures are measurements, never pass/fail (only size budgets fail
// `npm test`). Each benchmark is its own process, so one cannot skew another.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsx = ['--conditions=source', '--import', 'tsx'];
const BENCHES = [
  ['size', [resolve(root, 'bench/size.mjs'), '--rows']],
  ['resume after drain', [...tsx, resolve(root, 'bench/resume-after-drain.ts'), '1000']],
  ['chaos', [...tsx, resolve(root, 'bench/chaos.ts'), '10000', '50', '10']],
  ['rolling deploy, 3 nodes', [...tsx, resolve(root, 'bench/rolling-deploy.ts'), '1000']],
  ['chaos on the cluster', [...tsx, resolve(root, 'bench/cluster-chaos.ts'), '10000', '50', '10']],
  ['tabs', [...tsx, resolve(root, 'bench/tabs.ts')]],
  ['service throughput, before', [...tsx, resolve(root, 'bench/service-throughput.ts'), '2000', '2000', '10', '--before']],
  ['service throughput', [...tsx, resolve(root, 'bench/service-throughput.ts'), '2000', '2000', '10']],
  ['service throughput, 1 node on PostgreSQL + Redis', [...tsx, resolve(root, 'bench/service-throughput.ts'), '2000', '2000', '10', '--postgres']],
  ['service throughput, 3 nodes on PostgreSQL + Redis', [...tsx, resolve(root, 'bench/service-throughput.ts'), '2000', '2000', '10', '--nodes=3']],
  ['idle sockets', [...tsx, resolve(root, 'bench/idle-sockets.ts'), '20000', '4']],
];

const rows = [];
for (const [name, args] of BENCHES) {
  process.stderr.write(`running ${name}…\n`);
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 900_000 });
  const lines = (result.stdout ?? '').split('\n').filter((line) => line.startsWith('| '));
  if (result.status !== 0 || lines.length === 0) {
    rows.push(`| ${name} | did not finish (exit ${result.status}): ${(result.stderr ?? '').trim().split('\n').at(-1) ?? ''} | — | — |`);
    continue;
  }
  rows.push(...lines);
}

console.log(`Parley benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
console.log('');
console.log('| figure | measured | target | command |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);
