import type { Router } from '../routing/router.js';
import type { ServiceContext } from '../service/context.js';
import { HEARTBEAT_MS, NODE_DEAD_AFTER_MS, type PresenceService } from './presence-service.js';

/**
 * N1: tells the store this node is alive, on the clock, and reaps nodes that
 * stopped beating. An agent whose sockets were all on a reaped node gets the
 * disconnect grace (and, with Active chats, the M4 grace) from then on: a node
 * killed outright never ran its own sockets' close handlers. A node taken for
 * dead while alive (a long pause) finds its row gone at its next beat and
 * registers its sockets again. Each beat also runs a routing pass (the
 * router's sweep), the net under the passes every change asks for.
 */
export class NodeHeartbeat {
  #cancel: (() => void) | undefined;
  #stopped = false;
  /** The beat running or last run (tests moving the clock wait for it). */
  latest: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: ServiceContext,
    private readonly presence: PresenceService,
    private readonly router: Router,
    /** The service's handler: a store that cannot take the beat switches the node to read-only (M6). */
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Beats now, then every HEARTBEAT_MS of the clock until stopped. */
  start(): Promise<void> {
    return this.beat();
  }

  beat(): Promise<void> {
    this.latest = this.#beat();
    return this.latest;
  }

  async #beat(): Promise<void> {
    if (this.#stopped) return;
    const { store, clock } = this.context;
    const { nodeId } = this.presence;
    try {
      const now = clock.now();
      if (!(await store.heartbeat(nodeId, now))) for (const connection of this.presence.registered()) await store.addConnection(connection);
      for (const agentId of await store.reapNodes(now - NODE_DEAD_AFTER_MS, nodeId)) {
        if (await this.presence.lostWithNode(agentId)) await this.router.agentGone(agentId);
      }
      // Not awaited: the beat says the node is alive, and must not wait for routing locks to say it.
      void this.router.sweep();
    } catch (error) {
      this.failed(error);
    } finally {
      if (!this.#stopped) this.#cancel = clock.setTimer(() => void this.beat(), HEARTBEAT_MS);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }
}
