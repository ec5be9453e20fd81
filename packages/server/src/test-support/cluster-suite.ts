import { after, before } from 'node:test';
import { Cluster, type ClusterOptions } from './cluster.js';
import { TestClient } from './test-client.js';

/** Real processes: three nodes, PostgreSQL, Redis and HAProxy. A test that hangs is cut here, and fails. */
export const CLUSTER_LIMIT = { timeout: 120_000 };

/** Many chats and frames from one test address, fast: the rate limits are not what cluster tests are about. */
export const ROOMY_LIMITS = {
  framesPerSecond: 1000,
  frameBurst: 10_000,
  chatStartsPerAddress: 100_000,
  chatStartsPerBrowser: 1000,
  connectionsPerAddress: 100_000,
  addressFramesPerSecond: 100_000,
  addressFrameBurst: 1_000_000,
  waitingPerButton: 1000,
};

/**
 * Polls (every 20 ms of real time) until `condition` holds, which is what the test waits for;
 * fails after `timeoutMs` naming `what` (and what `state` tells then), so a mechanism that breaks shows as a failure, not a hang.
 */
export async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 30_000, state: () => Promise<unknown> = async () => ''): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what} ${JSON.stringify(await state())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `promise`, or a failure naming `what` once `timeoutMs` passed without it: a step that never
 * completes fails the test with its name (and what `state` tells then) rather than a bare timeout.
 */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs = 30_000, state: () => Promise<unknown> = async () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void state().then((seen) => reject(new Error(`not within ${timeoutMs} ms: ${what} ${JSON.stringify(seen)}`)), reject), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ClusterSuite {
  /** The suite's cluster (started before its first test). */
  readonly cluster: Cluster;
  /** Opens a client (`hello` said when given) that is closed when the suite ends. */
  connect(url: string, hello?: Record<string, unknown>): Promise<TestClient>;
  /** Keeps a client opened elsewhere, to close when the suite ends; returns it. */
  track(client: TestClient): TestClient;
}

/**
 * One cluster for the `describe` it is called in: started before the suite's
 * tests (with `options`, read then, so a Redis started by an earlier `before`
 * can be named), stopped after them with every client the tests tracked; then `stopped` runs.
 */
export function useCluster(options: () => ClusterOptions = () => ({}), stopped: () => Promise<void> = async () => {}): ClusterSuite {
  let cluster: Cluster | undefined;
  const clients: TestClient[] = [];
  before(async () => {
    cluster = await Cluster.start(options());
  });
  after(async () => {
    try {
      for (const client of clients) client.socket.terminate();
      await cluster?.stop();
    } finally {
      // What the cluster ran on (a Redis or PostgreSQL of the test's own) goes once its nodes are gone, whatever happened.
      await stopped();
    }
  });
  const track = (client: TestClient) => {
    clients.push(client);
    return client;
  };
  return {
    get cluster() {
      if (!cluster) throw new Error('the cluster did not start');
      return cluster;
    },
    connect: async (url, hello) => track(await TestClient.connect(url, hello)),
    track,
  };
}
