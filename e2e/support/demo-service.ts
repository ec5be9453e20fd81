import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { metricValue, scrape } from '../../packages/server/src/test-support/prometheus.js';

const root = resolve(import.meta.dirname, '../..');
const ADMIN_TOKEN = 'parley-demo-admin-token';

/** The real service with the demo deployment (`--demo`), in test mode, on a fresh database. */
export class DemoService {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    private readonly database: string,
  ) {}

  static async start(options: { database?: string; port?: number; env?: Record<string, string> } = {}): Promise<DemoService> {
    const database = options.database ?? join(mkdtempSync(join(tmpdir(), 'parley-e2e-')), 'parley.db');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'packages/server/src/main.ts'), '--demo'], {
      cwd: root,
      env: { ...process.env, PORT: String(options.port ?? 0), PARLEY_DB: database, PARLEY_TEST_MODE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((done, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += String(chunk);
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) done(match[1]!);
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
      child.once('exit', (code) => fail(new Error(`the service exited with ${code}:\n${output}`)));
    });
    return new DemoService(child, url, database);
  }

  /** M3 for real: SIGTERM drains and exits; a new process starts on the same port and database. */
  async restart(): Promise<DemoService> {
    await this.stop();
    return this.startAgain();
  }

  /** A crash: SIGKILL, no drain. `startAgain` brings the service back on the same port and database. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  startAgain(): Promise<DemoService> {
    return DemoService.start({ database: this.database, port: Number(new URL(this.url).port) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }

  async admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  /** Moves the service's test clock (test mode only). */
  advance(ms: number): Promise<Record<string, unknown>> {
    return this.admin('POST', '/test/clock', { advanceMs: ms });
  }

  /** Open sockets by role, from the service's Prometheus metrics. */
  async metrics(): Promise<{ connections: { customer: number; agent: number } }> {
    const text = await scrape(`${this.url}/metrics`, ADMIN_TOKEN);
    return { connections: { customer: metricValue(text, 'parley_connections', { role: 'customer' }) ?? 0, agent: metricValue(text, 'parley_connections', { role: 'agent' }) ?? 0 } };
  }
}
