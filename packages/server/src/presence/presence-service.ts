import type { PresenceView } from '@parley/protocol';
import type { DomainEvent } from '../events/domain-events.js';
import type { ServiceContext } from '../service/context.js';
import { ServiceError } from '../service/context.js';
import { initialPresence, reducePresence, toView, type PresenceEvent, type PresenceRules, type PresenceState } from './presence-rules.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Holds every agent's presence (P3: the service is the one source; every
 * socket of the agent gets each change), counts their connections for the
 * disconnect grace, and applies the pure rules in presence-rules.ts.
 */
export class PresenceService {
  readonly #states = new Map<string, PresenceState>();
  readonly #connections = new Map<string, number>();
  readonly #lastActivity = new Map<string, number>();
  readonly #rules: PresenceRules;
  /** Called after every change (routing listens). */
  onChange: (state: PresenceState, event: PresenceEvent) => void = () => {};

  constructor(private readonly context: ServiceContext) {
    this.#rules = { customStatuses: context.config.customStatuses, declineSetsAway: context.config.presence.declineSetsAway };
    context.deadlines.handle('agent-disconnect', async ({ agentId }) => {
      if (this.#states.has(agentId) && !this.isConnected(agentId)) await this.apply(agentId, { type: 'disconnected' });
    });
    context.deadlines.handle('agent-idle', async ({ agentId }, dueAt) => {
      if (this.#states.has(agentId)) await this.apply(agentId, { type: 'idle', since: dueAt - this.context.config.presence.idleMinutes * MINUTE });
    });
  }

  /** Loads stored presence; agents left online by a previous process get their disconnect grace. */
  async start(): Promise<void> {
    const { config, store, clock } = this.context;
    for (const agent of config.agents) {
      const stored = await store.getPresence(agent.id);
      const fresh = initialPresence(agent.id, agent.offices, agent.capacity, clock.now());
      // Offices or capacity may have changed in the configuration since it was stored.
      const state = stored
        ? { ...stored, offices: Object.fromEntries(agent.offices.map((office) => [office, stored.offices[office] ?? 'available' as const])), capacity: { ...stored.capacity, total: agent.capacity } }
        : fresh;
      this.#states.set(agent.id, state);
      if (state.intent !== 'offline') await this.#startGrace(agent.id);
    }
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

  /** A socket of the agent opened: restores presence within the grace (P6, P7), else signs in (A1, P9). */
  async connected(agentId: string): Promise<void> {
    const count = (this.#connections.get(agentId) ?? 0) + 1;
    this.#connections.set(agentId, count);
    if (count > 1) return;
    const state = this.get(agentId);
    await this.context.deadlines.clear({ kind: 'agent-disconnect', agentId });
    if (state.intent === 'offline') {
      const agent = this.context.config.agents.find((candidate) => candidate.id === agentId);
      await this.apply(agentId, { type: 'sign-in', defaultStatus: agent?.defaultStatus });
    }
    await this.recordActivity(agentId, this.context.clock.now());
  }

  /** A socket closed: A7, nothing changes while another is open; after the last, the grace starts. */
  async disconnected(agentId: string): Promise<void> {
    const count = Math.max(0, (this.#connections.get(agentId) ?? 0) - 1);
    this.#connections.set(agentId, count);
    if (count === 0 && this.get(agentId).intent !== 'offline') await this.#startGrace(agentId);
  }

  /** A3: the latest input across the agent's tabs; a time in the future counts as now. */
  async recordActivity(agentId: string, at: number): Promise<void> {
    const now = this.context.clock.now();
    const latest = Math.max(Math.min(at, now), this.#lastActivity.get(agentId) ?? 0);
    this.#lastActivity.set(agentId, latest);
    await this.context.deadlines.set({ kind: 'agent-idle', agentId }, latest + this.context.config.presence.idleMinutes * MINUTE);
  }

  /** Applies one presence event, stores it (with history when the status moved) and pushes it to every socket of the agent. */
  async apply(agentId: string, event: PresenceEvent): Promise<PresenceState> {
    const before = this.get(agentId);
    const after = reducePresence(before, event, this.context.clock.now(), this.#rules);
    if (after === before) return before;
    const statusChanged = after.status !== before.status || after.custom !== before.custom || after.reason.cause !== before.reason.cause;
    await this.context.store.putPresence(after, statusChanged);
    this.#states.set(agentId, after);
    this.context.emit({ type: 'presence-changed', state: after });
    this.onChange(after, event);
    return after;
  }

  /**
   * M2: a planned window is over (or was cancelled): every agent it set Offline is back to what they
   * had, with reason `maintenance` (source `system`), unless they changed it meanwhile. One who is
   * not connected gets the usual disconnect grace, then Offline.
   */
  async maintenanceOver(): Promise<void> {
    for (const state of this.all()) {
      const after = await this.apply(state.agentId, { type: 'maintenance-over' });
      if (after !== state && after.intent !== 'offline' && !this.isConnected(state.agentId)) await this.#startGrace(state.agentId);
    }
  }

  async #startGrace(agentId: string): Promise<void> {
    const due = this.context.clock.now() + this.context.config.presence.disconnectGraceSeconds * SECOND;
    await this.context.deadlines.set({ kind: 'agent-disconnect', agentId }, due);
  }
}
