import { randomUUID } from 'node:crypto';
import type { PresenceView } from '@parley/protocol';
import type { ConnectionRecord } from '../store/store.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { ServiceContext } from '../service/context.js';
import { ServiceError } from '../service/context.js';
import { initialPresence, reducePresence, toView, type PresenceEvent, type PresenceRules, type PresenceState } from './presence-rules.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** N1: how often a node tells the store it is alive. */
export const HEARTBEAT_MS = 5 * SECOND;
/** N1: a node silent this long is dead: its sockets no longer count, and its agents' graces start. */
export const NODE_DEAD_AFTER_MS = 30 * SECOND;

/**
 * Holds every agent's presence (P3: the service is the one source; every
 * socket of the agent gets each change), counts their connections for the
 * disconnect grace, and applies the pure rules in presence-rules.ts.
 */
export class PresenceService {
  readonly #states = new Map<string, PresenceState>();
  readonly #connections = new Map<string, number>();
  /** This node's agent sockets, as registered in the store (N1). */
  readonly #registered = new Map<string, ConnectionRecord>();
  /** Socket closes still being handled (`settled` waits for them). */
  readonly #closing = new Set<Promise<boolean>>();
  /** This node, in the store's registry of nodes. */
  readonly nodeId = randomUUID();
  readonly #lastActivity = new Map<string, number>();
  readonly #rules: PresenceRules;
  /** Called after every change (routing listens). */
  onChange: (state: PresenceState, event: PresenceEvent) => void = () => {};

  constructor(private readonly context: ServiceContext) {
    this.#rules = { customStatuses: context.config.customStatuses, declineSetsAway: context.config.presence.declineSetsAway };
    context.deadlines.handle('agent-disconnect', async ({ agentId }) => {
      if (this.#states.has(agentId) && !(await this.connectedAnywhere(agentId))) await this.apply(agentId, { type: 'disconnected' });
    });
    context.deadlines.handle('agent-idle', async ({ agentId }, dueAt) => {
      if (this.#states.has(agentId)) await this.apply(agentId, { type: 'idle', since: dueAt - this.context.config.presence.idleMinutes * MINUTE });
    });
  }

  /**
   * Loads stored presence; agents left online by a previous process get their disconnect grace,
   * unless they have a socket on another node that is alive. One SQLite process is the only node:
   * whatever nodes the store remembers are gone.
   */
  async start(): Promise<void> {
    const { config, store, clock } = this.context;
    await store.heartbeat(this.nodeId, clock.now());
    if (store.engine === 'sqlite') await store.reapNodes(Number.MAX_SAFE_INTEGER, this.nodeId);
    const elsewhere = new Set(await store.connectedAgents(this.#aliveSince()));
    for (const agent of config.agents) {
      const stored = await store.getPresence(agent.id);
      const state = stored ? this.#configured(stored) : initialPresence(agent.id, agent.offices, agent.capacity, clock.now());
      this.#states.set(agent.id, state);
      if (state.intent !== 'offline' && !elsewhere.has(agent.id)) await this.#startGrace(agent.id);
    }
  }

  /** This node's sockets, to register again when the store forgot them (this node was taken for dead). */
  registered(): ConnectionRecord[] {
    return [...this.#registered.values()];
  }

  /**
   * A dead node was reaped and the agent had sockets there: when none is left on a live node, their
   * disconnect grace starts now. True when it did (routing then starts the M4 grace).
   */
  async lostWithNode(agentId: string): Promise<boolean> {
    if (!this.#states.has(agentId) || (await this.connectedAnywhere(agentId))) return false;
    if ((await this.#stored(agentId)).intent === 'offline') return false;
    await this.#startGrace(agentId);
    return true;
  }

  /** N1: a socket of the agent on this node, or on another node that is alive. */
  async connectedAnywhere(agentId: string): Promise<boolean> {
    if (this.isConnected(agentId)) return true;
    return (await this.context.store.connectionsOfAgent(agentId, this.#aliveSince())).length > 0;
  }

  /** Agents with a socket on any live node (routing offers only to them). */
  async connectedAgents(): Promise<Set<string>> {
    const agents = new Set(await this.context.store.connectedAgents(this.#aliveSince()));
    for (const [agentId, count] of this.#connections) if (count > 0) agents.add(agentId);
    return agents;
  }

  #aliveSince(): number {
    return this.context.clock.now() - NODE_DEAD_AFTER_MS;
  }

  /** Keeps this node's view in step with changes made on any node (a newer version wins). */
  observe(event: DomainEvent): void {
    if (event.type !== 'presence-changed') return;
    const known = this.#states.get(event.state.agentId);
    if (known && known.version < event.state.version) this.#states.set(event.state.agentId, event.state);
  }

  get(agentId: string): PresenceState {
    const state = this.#states.get(agentId);
    if (!state) throw new ServiceError('not_found', `no agent ${agentId}`);
    return state;
  }

  view(agentId: string): PresenceView {
    return toView(this.get(agentId));
  }

  all(): PresenceState[] {
    return [...this.#states.values()];
  }

  isConnected(agentId: string): boolean {
    return (this.#connections.get(agentId) ?? 0) > 0;
  }

  /**
   * A socket of the agent opened: restores presence within the grace (P6, P7), else signs in (A1, P9).
   * Resolves with the socket's id in the store's registry (N1), for `disconnected`.
   */
  async connected(agentId: string, browserId: string): Promise<string> {
    const count = (this.#connections.get(agentId) ?? 0) + 1;
    this.#connections.set(agentId, count);
    const connection: ConnectionRecord = { id: randomUUID(), nodeId: this.nodeId, agentId, browserId, openedAt: this.context.clock.now() };
    this.#registered.set(connection.id, connection);
    await this.context.store.addConnection(connection);
    if (count > 1) return connection.id;
    const state = await this.#stored(agentId);
    await this.context.deadlines.clear({ kind: 'agent-disconnect', agentId });
    if (state.intent === 'offline') {
      const agent = this.context.config.agents.find((candidate) => candidate.id === agentId);
      await this.apply(agentId, { type: 'sign-in', defaultStatus: agent?.defaultStatus });
    }
    await this.recordActivity(agentId, this.context.clock.now());
    return connection.id;
  }

  /**
   * A socket closed: A7, nothing changes while another is open, on this node or another (N1); after
   * the last, the grace starts. True when it was the agent's last socket anywhere.
   */
  disconnected(agentId: string, connectionId: string): Promise<boolean> {
    const closing = this.#disconnected(agentId, connectionId);
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing)).catch(() => {});
    return closing;
  }

  /** Resolves once every socket close seen so far is handled (the grace set or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#closing]);
  }

  async #disconnected(agentId: string, connectionId: string): Promise<boolean> {
    const count = Math.max(0, (this.#connections.get(agentId) ?? 0) - 1);
    this.#connections.set(agentId, count);
    this.#registered.delete(connectionId);
    await this.context.store.removeConnection(connectionId);
    if (count > 0 || (await this.connectedAnywhere(agentId))) return false;
    if (this.get(agentId).intent !== 'offline') await this.#startGrace(agentId);
    return true;
  }

  /** A3: the latest input across the agent's tabs; a time in the future counts as now. */
  async recordActivity(agentId: string, at: number): Promise<void> {
    const now = this.context.clock.now();
    const latest = Math.max(Math.min(at, now), this.#lastActivity.get(agentId) ?? 0);
    this.#lastActivity.set(agentId, latest);
    await this.context.deadlines.set({ kind: 'agent-idle', agentId }, latest + this.context.config.presence.idleMinutes * MINUTE);
  }

  /**
   * Applies one presence event, stores it (with history when the status moved) and pushes it to
   * every socket of the agent. N1: with the agent held in the store and the stored state read under
   * it, two nodes changing one agent at once apply their events one after the other, each to what
   * the other stored, whatever this node heard so far.
   */
  async apply(agentId: string, event: PresenceEvent): Promise<PresenceState> {
    const { store } = this.context;
    return store.transaction(async () => {
      await store.lockAgent(agentId);
      const known = this.get(agentId);
      const stored = await store.getPresence(agentId);
      const before = stored && stored.version > known.version ? this.#configured(stored) : known;
      const after = reducePresence(before, event, this.context.clock.now(), this.#rules);
      if (after === before) {
        this.#states.set(agentId, before);
        return before;
      }
      const statusChanged = after.status !== before.status || after.custom !== before.custom || after.reason.cause !== before.reason.cause;
      await store.putPresence(after, statusChanged);
      this.#states.set(agentId, after);
      this.context.emit({ type: 'presence-changed', state: after });
      this.onChange(after, event);
      return after;
    });
  }

  /** The agent's presence as stored, when another node changed it since this node last heard (N1). */
  async #stored(agentId: string): Promise<PresenceState> {
    const known = this.get(agentId);
    const stored = await this.context.store.getPresence(agentId);
    if (!stored || stored.version <= known.version) return known;
    const state = this.#configured(stored);
    this.#states.set(agentId, state);
    return state;
  }

  /** A stored state with the offices and capacity the configuration gives now (they may have changed since). */
  #configured(stored: PresenceState): PresenceState {
    const agent = this.context.config.agents.find((candidate) => candidate.id === stored.agentId);
    if (!agent) return stored;
    return { ...stored, offices: Object.fromEntries(agent.offices.map((office) => [office, stored.offices[office] ?? ('available' as const)])), capacity: { ...stored.capacity, total: agent.capacity } };
  }

  /**
   * M2: a planned window is over (or was cancelled): every agent it set Offline is back to what they
   * had, with reason `maintenance` (source `system`), unless they changed it meanwhile. One who is
   * not connected gets the usual disconnect grace, then Offline.
   */
  async maintenanceOver(): Promise<void> {
    for (const state of this.all()) {
      const after = await this.apply(state.agentId, { type: 'maintenance-over' });
      if (after !== state && after.intent !== 'offline' && !(await this.connectedAnywhere(state.agentId))) await this.#startGrace(state.agentId);
    }
  }

  async #startGrace(agentId: string): Promise<void> {
    const due = this.context.clock.now() + this.context.config.presence.disconnectGraceSeconds * SECOND;
    await this.context.deadlines.set({ kind: 'agent-disconnect', agentId }, due);
  }
}
