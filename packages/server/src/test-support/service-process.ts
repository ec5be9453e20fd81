import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN, TEST_CONFIG } from './test-server.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** The real service as a child process (`parley-server --config FILE`), for kill and drain tests. */
export class ServiceProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    /** Everything the process wrote to stdout and stderr so far. */
    readonly output: { text: string },
    private readonly waiters: Array<() => void>,
  ) {}

  /** Writes the test configuration (with `overrides`) and a database path in a new temp folder; returns the file. */
  static async configFile(overrides: Record<string, unknown> = {}): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'parley-process-'));
    const file = join(folder, 'parley.json');
    await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db'), ...overrides }));
    return file;
  }

  /** Starts `parley-server` with the configuration file (if any), more arguments (`--demo`) and environment. */
  static async start(configFile: string | undefined, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<ServiceProcess> {
    const args = [...(configFile ? ['--config', configFile] : []), ...(options.args ?? [])];
    // BENCH_NODE_ARGS: more options for the node (the benches' cluster nodes; profiling: "--cpu-prof --cpu-prof-dir=<folder>").
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, '--conditions=source', '--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, PORT: '0', PARLEY_TEST_MODE: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    const waiters: Array<() => void> = [];
    const collect = (chunk: Buffer) => {
      output.text += String(chunk);
      for (const wake of waiters.splice(0)) wake();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', () => {
        const match = /running at (http:\/\/\S+)/.exec(output.text);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output.text}`)));
    });
    return new ServiceProcess(child, url, output, waiters);
  }

  /** The JSON log lines written so far. */
  logLines(): Array<Record<string, unknown>> {
    return this.output.text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Resolves once the output matches (an event: each write is checked as it arrives). */
  async outputMatching(pattern: RegExp): Promise<void> {
    while (!pattern.test(this.output.text)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  get wsUrl(): string {
    return `${this.url.replace('http', 'ws')}/v1/socket`;
  }

  /** Moves the process's test clock and waits for every deadline due to run. */
  async advance(ms: number): Promise<void> {
    const response = await fetch(`${this.url}/test/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: ms }),
    });
    if (response.status !== 200) throw new Error(`clock: ${response.status} ${await response.text()}`);
  }

  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  }
}
