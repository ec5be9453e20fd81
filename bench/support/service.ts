import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signToken } from '../../packages/server/src/auth/tokens.js';
import { metricValue, scrape } from '../../packages/server/src/test-support/prometheus.js';

const root = resolve(import.meta.dirname, '../..');
export const SECRET = 'bench-secret-0123456789-0123456789-0123456789';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** A real service process on a temp database, that can be drained (SIGTERM), killed and replaced. */
/** An agent token for the bench's services (they run on the real clock). */
export function agentToken(agentId: string): Promise<string> {
  return signToken({ kind: 'agent', sub: agentId }, SECRET, { now: Date.now(), ttlMs: 24 * 3600_000 });
}

/** Every client of a bench runs on this machine (one address): the per-socket and per-address limits are lifted. */
export const BENCH_LIMITS = {
  framesPerSecond: 1000,
  frameBurst: 10_000,
  connectionsPerAddress: 100_000,
  addressFramesPerSecond: 100_000,
  addressFrameBurst: 1_000_000,
  chatStartsPerAddress: 100_000,
  waitingPerButton: 100_000,
};

/**
 * What every bench cluster's nodes are configured with over the test configuration: the bench's
 * secret and admin token, any origin, real time, one office and one button (`o`, `b`).
 */
export const BENCH_CLUSTER = {
  secret: SECRET,
  adminToken: ADMIN_TOKEN,
  allowedOrigins: ['*'],
  testMode: false,
  customStatuses: [],
  lifecycle: {},
  offices: [{ id: 'o', name: 'Office' }],
  buttons: [{ id: 'b', name: 'Button', office: 'o' }],
};

export class BenchService {
  child!: ChildProcess;
  url = '';
  readyAt = 0;
  readonly configFile: string;
  port = 0;

  /**
   * `checkout`: the root of the code to run (default: this one; see before.ts);
   * `files`: the open-file limit to run it with (raised with the shell's ulimit; the bench runs as root in CI).
   */
  constructor(
    config: Record<string, unknown>,
    private readonly options: { checkout?: string; files?: number } = {},
  ) {
    const folder = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    this.configFile = join(folder, 'parley.json');
    writeFileSync(this.configFile, JSON.stringify({ secret: SECRET, adminToken: ADMIN_TOKEN, allowedOrigins: ['*'], databasePath: join(folder, 'parley.db'), ...config }));
  }

  /** Starts (or starts again, on the same port and database); resolves when it accepts connections. */
  async start(): Promise<void> {
    // BENCH_NODE_ARGS: more options for the service's node (profiling: "--cpu-prof --cpu-prof-dir=<folder>", written when it exits on SIGTERM).
    const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const args = [...extra, '--conditions=source', '--import', 'tsx', join(this.options.checkout ?? root, 'packages/server/src/main.ts'), '--config', this.configFile];
    const command: [string, string[]] = this.options.files
      ? // Where the hard limit cannot be raised (no CAP_SYS_RESOURCE), as far as it goes.
        ['bash', ['-c', `(ulimit -n ${this.options.files} 2>/dev/null || ulimit -n "$(ulimit -Hn)") && exec "$0" "$@"`, process.execPath, ...args]]
      : [process.execPath, args];
    this.child = spawn(...command, {
      cwd: this.options.checkout ?? root,
      env: { ...process.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    this.url = await new Promise<string>((done, fail) => {
      this.child.stdout!.on('data', (chunk: Buffer) => {
        output += String(chunk);
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) done(match[1]!);
      });
      this.child.stderr!.on('data', (chunk: Buffer) => (output = (output + String(chunk)).slice(-4000)));
      this.child.once('exit', (code) => fail(new Error(`the service exited with ${code}:\n${output}`)));
    });
    this.readyAt = performance.now();
    this.port = Number(new URL(this.url).port);
  }

  get wsUrl(): string {
    return `${this.url.replace('http', 'ws')}/v1/socket`;
  }

  /** Sends the signal and resolves when the process has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }

  /** Open sockets by role, from the service's Prometheus metrics. */
  async metrics(): Promise<{ connections: { customer: number; agent: number } }> {
    const text = await scrape(`${this.url}/metrics`, ADMIN_TOKEN);
    return { connections: { customer: metricValue(text, 'parley_connections', { role: 'customer' }) ?? 0, agent: metricValue(text, 'parley_connections', { role: 'agent' }) ?? 0 } };
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (value: number) => `${Math.round(value)} ms`;
