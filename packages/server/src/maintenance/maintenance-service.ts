import type { Availability, MaintenanceWindow } from '@parley/protocol';
import type { PresenceService } from '../presence/presence-service.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import { computeAvailability } from './availability.js';

const MINUTE = 60_000;

export const WINDOW_DEADLINES = {
  /** M1: customers start seeing the notice. */
  notice: 'notice',
  /** M2: agents are set Offline (at the start, or the configured lead before it). */
  agentsOffline: 'agents-offline',
  start: 'start',
  end: 'end',
} as const;

/**
 * Planned windows (M1, M2), the read-only switch (M6) and what each button
 * can promise. Availability is pushed to a button's customers only when it
 * changes, and read over HTTP for pages with no socket yet.
 */
export class MaintenanceService {
  #readOnly = false;
  #windows: MaintenanceWindow[] = [];
  readonly #published = new Map<string, string>();
  pendingOffers: (agentId: string) => number = () => 0;

  constructor(
    private readonly context: ServiceContext,
    private readonly presence: PresenceService,
  ) {}

  async start(): Promise<void> {
    this.#readOnly = (await this.context.store.getMeta('read_only')) === 'true';
    this.#windows = await this.context.store.windows();
  }

  get readOnly(): boolean {
    return this.#readOnly;
  }

  windows(): MaintenanceWindow[] {
    return [...this.#windows];
  }

  /** M6: the admin switch. Stored so every node and a restart agree. */
  async setReadOnly(on: boolean): Promise<void> {
    if (on) this.#readOnly = true; // before the write: if the store is already read-only, we still know
    await this.context.store.setMeta('read_only', String(on)).catch((error: unknown) => {
      if (!on) throw error;
    });
    this.#readOnly = on;
    this.context.bus.publish('customers', { type: 'notice', kind: 'read-only', on });
    this.context.bus.publish('agents', { type: 'notice', kind: 'read-only', on });
    this.publishAvailability();
  }

  /** M6, detected: the store refused a write. Held in memory until an admin clears it. */
  storeWentReadOnly(): void {
    if (this.#readOnly) return;
    this.#readOnly = true;
    this.context.log.error('the store refused a write: switching to read-only');
    this.publishAvailability();
  }

  /** M1: schedules a window; agents and admins hear of it at once, customers within the notice lead. */
  async schedule(window: Omit<MaintenanceWindow, 'id'>): Promise<MaintenanceWindow> {
    const now = this.context.clock.now();
    if (window.endsAt <= window.startsAt) throw new ServiceError('bad_request', 'endsAt must be after startsAt.');
    if (window.endsAt <= now) throw new ServiceError('bad_request', 'The window has already ended.');
    const scheduled = { ...window, id: this.context.newId() };
    const { maintenance } = this.context.config;
    await this.context.store.addWindow(scheduled, now);
    this.#windows = await this.context.store.windows();
    const subject = `window:${scheduled.id}`;
    const set = (kind: string, at: number) => this.context.deadlines.set(subject, kind, Math.max(at, now));
    await set(WINDOW_DEADLINES.notice, scheduled.startsAt - maintenance.customerNoticeLeadMinutes * MINUTE);
    await set(WINDOW_DEADLINES.agentsOffline, scheduled.startsAt - maintenance.agentOfflineLeadMinutes * MINUTE);
    await set(WINDOW_DEADLINES.start, scheduled.startsAt);
    await set(WINDOW_DEADLINES.end, scheduled.endsAt);
    this.context.bus.publish('agents', { type: 'notice', kind: 'maintenance-planned', window: scheduled });
    return scheduled;
  }

  async cancel(id: string): Promise<void> {
    const window = this.#windows.find((candidate) => candidate.id === id);
    if (!window || !(await this.context.store.deleteWindow(id))) throw new ServiceError('not_found', 'No such maintenance window.');
    for (const kind of Object.values(WINDOW_DEADLINES)) await this.context.deadlines.clear(`window:${id}`, kind);
    this.#windows = await this.context.store.windows();
    this.context.bus.publish('agents', { type: 'notice', kind: 'maintenance-cancelled', window });
    this.context.bus.publish('customers', { type: 'notice', kind: 'maintenance-cancelled', window });
    this.publishAvailability();
  }

  async onDeadline(kind: string, windowId: string): Promise<void> {
    const window = this.#windows.find((candidate) => candidate.id === windowId);
    if (!window) return;
    if (kind === WINDOW_DEADLINES.notice) this.context.bus.publish('customers', { type: 'notice', kind: 'maintenance-planned', window });
    if (kind === WINDOW_DEADLINES.agentsOffline) {
      // M2: nobody is left Available to be routed a chat that the window would cut.
      for (const state of this.presence.all()) await this.presence.apply(state.agentId, { type: 'maintenance' });
    }
    if (kind === WINDOW_DEADLINES.end) {
      await this.context.store.deleteWindow(window.id);
      this.#windows = await this.context.store.windows();
    }
    this.publishAvailability();
  }

  /** M1, M6, C2: throws the error a new chat request gets when it cannot be answered. */
  admit(button: string): void {
    const availability = this.availability(button);
    // `capacity`: agents are Available but full; the chat waits in the queue and hears its position.
    if (availability.online || availability.reason === 'capacity') return;
    if (availability.reason === 'read-only') throw new ServiceError('read_only', 'Chat is temporarily unavailable. Please try again in a few minutes.');
    if (availability.reason === 'maintenance') {
      const until = availability.window ? ` until ${new Date(availability.window.endsAt).toISOString()}` : '';
      throw new ServiceError('maintenance', `Chat is down for planned maintenance${until}.`);
    }
    throw new ServiceError('offline', 'No agent can answer right now. Leave a message and we will get back to you.');
  }

  availability(buttonId: string): Availability {
    const button = this.context.config.buttons.find((candidate) => candidate.id === buttonId);
    if (!button) throw new ServiceError('not_found', `No chat button "${buttonId}".`);
    return computeAvailability({
      button: button.id,
      office: button.office,
      readOnly: this.#readOnly,
      windows: this.#windows,
      noticeLeadMs: this.context.config.maintenance.customerNoticeLeadMinutes * MINUTE,
      agents: this.presence.all(),
      pendingOffers: this.pendingOffers,
      now: this.context.clock.now(),
    });
  }

  /** Pushes each button's availability to its customers when it changed. */
  publishAvailability(): void {
    for (const button of this.context.config.buttons) {
      const availability = this.availability(button.id);
      const key = JSON.stringify(availability);
      if (this.#published.get(button.id) === key) continue;
      this.#published.set(button.id, key);
      this.context.bus.publish(`button:${button.id}`, { type: 'availability', ...availability });
    }
  }
}
