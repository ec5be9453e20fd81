import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

/** The Redis tests share (127.0.0.1:6379 unless told otherwise); each test uses a prefix of its own. */
export const TEST_REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A bus prefix no other test run uses. */
export function testBusPrefix(label = 'test'): string {
  return `parley-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Where test processes listen: `PARLEY_TEST_PORTS=19300-19399` keeps them in a range (a shared
 * machine hands each run its own); unset, the system picks any free port.
 */
const PORT_RANGE = /^(\d+)-(\d+)$/.exec(process.env.PARLEY_TEST_PORTS ?? '');
let nextInRange = PORT_RANGE ? Number(PORT_RANGE[1]) + (process.pid % (Number(PORT_RANGE[2]) - Number(PORT_RANGE[1]) + 1)) : 0;

/** A TCP port free right now on 127.0.0.1 (in PARLEY_TEST_PORTS when set, else the system's pick). */
export async function freePort(): Promise<number> {
  if (!PORT_RANGE) return listenOnce(0);
  const [low, high] = [Number(PORT_RANGE[1]), Number(PORT_RANGE[2])];
  for (let tried = 0; tried <= high - low; tried++) {
    const port = low + ((nextInRange++ - low) % (high - low + 1));
    // Taken (by another process, or a node of this run): the next one.
    const free = await listenOnce(port).then(() => true, () => false);
    if (free) return port;
  }
  throw new Error(`no free port in PARLEY_TEST_PORTS=${process.env.PARLEY_TEST_PORTS}`);
}

async function listenOnce(port: number): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound;
}

/**
 * A Redis server of one test's own (`redis-server` from the system), for tests
 * that kill and restart it: the shared one serves other tests meanwhile.
 */
export class RedisProcess {
  #child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and resolves once it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        output += String(chunk);
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('error', (error) => reject(new Error(`redis-server is needed (apt-get install redis-server, or run .ci/run): ${String(error)}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    });
  }

  /** SIGKILL: connections drop at once, as when the machine dies. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
