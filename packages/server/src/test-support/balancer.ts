import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The balancer configuration operators use (docs/server.md), committed at the repository's root. */
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../../../deploy/haproxy.cfg', import.meta.url));
export const HAPROXY = process.env.PARLEY_HAPROXY ?? '/usr/sbin/haproxy';

/**
 * HAProxy from the system, in front of the nodes, on deploy/haproxy.cfg as
 * committed: only the addresses come from the environment. Its log says when
 * it marks a node up or down; tests wait on those lines, never on a timer.
 */
export class Balancer {
  readonly #output = { text: '' };
  readonly #waiters: Array<() => void> = [];

  private constructor(
    readonly child: ChildProcess,
    readonly address: string,
  ) {
    const collect = (chunk: Buffer) => {
      this.#output.text += String(chunk);
      for (const wake of this.#waiters.splice(0)) wake();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  }

  /** `nodes` are `host:port` of node1, node2, node3 in the configuration. */
  static async start(address: string, nodes: readonly string[], checkInterval = '200ms'): Promise<Balancer> {
    const env = { ...process.env, PARLEY_BALANCER: address, PARLEY_CHECK_INTERVAL: checkInterval, ...Object.fromEntries(nodes.map((node, index) => [`PARLEY_NODE${index + 1}`, node])) };
    const child = spawn(HAPROXY, ['-W', '-db', '-f', HAPROXY_CONFIG], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const balancer = new Balancer(child, address);
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`HAProxy is needed at ${HAPROXY} (apt-get install haproxy, or run .ci/run): ${String(error)}`)));
      child.once('exit', (code) => reject(new Error(`HAProxy exited with ${code}:\n${balancer.output}`)));
    });
    exited.catch(() => {});
    await Promise.race([balancer.outputMatching(/Loading success/), exited]);
    return balancer;
  }

  get url(): string {
    return `http://${this.address}`;
  }

  get wsUrl(): string {
    return `ws://${this.address}/v1/socket`;
  }

  get output(): string {
    return this.#output.text;
  }

  /** Resolves once HAProxy's log matches (checked as each write arrives). */
  async outputMatching(pattern: RegExp): Promise<void> {
    while (!pattern.test(this.#output.text)) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** How many times HAProxy logged `node` (node1…) going `state` so far. */
  transitions(node: string, state: 'UP' | 'DOWN'): number {
    return this.#output.text.split(`Server nodes/${node} is ${state}`).length - 1;
  }

  /** Resolves when HAProxy logs `node` going `state` more than `seenBefore` times. */
  async marked(node: string, state: 'UP' | 'DOWN', seenBefore: number): Promise<void> {
    while (this.transitions(node, state) <= seenBefore) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
