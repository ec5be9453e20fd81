import type { Availability, MaintenanceWindow } from '@parley/protocol';
import type { PresenceService } from '../presence/presence-service.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import type { DomainEvent } from '../events/domain-events.js';
import { computeAvailability } from './availability.js';

const MINUTE = 60_000;

const WINDOW_DEADLINES = ['window-notice', 'window-agents-offline', 'window-start', 'window-end'] as const;

/**
 * Planned windows (M1, M2), the read-only switch (M6) and what each button
 * can promise. Availability is pushed to a button's customers only when it
 * changes, and read over HTTP for pages with no socket yet.
 */
export class MaintenanceService {
  /** The admin's switch, stored: every node and a restart agree. */
  #readOnly = false;
  /** This node's store refused a write (a full disk, a database restarting): read-only until a probe write succeeds. */
  #storeRefused = false;
  #windows: MaintenanceWindow[] = [];
  pendingOffers: (agentId: string) => number = () => 0;
  /** This node's availability changed without an event for every node (a read-only store detected here). */
  onLocalChange: () => void = () => {};
  /** The store refused a write: whoever watches for it to take writes again starts now. */
  onStoreRefused: () => void = () => {};

  constructor(
    private readonly context: ServiceContext,
    private readonly presence: PresenceService,
  ) {
    const { deadlines } = context;
    deadlines.handle('window-notice', ({ windowId }) => this.#onWindow(windowId, (window) => context.emit({ type: 'window-notice', audience: 'customers', kind: 'maintenance-planned', window })));
    deadlines.handle('window-agents-offline', ({ windowId }) =>
      this.#onWindow(windowId, async () => {
        // M2: nobody is left Available to be routed a chat that the window would cut.
        for (const state of this.presence.all()) await this.presence.apply(state.agentId, { type: 'maintenance' });
      }),
    );
    deadlines.handle('window-start', ({ windowId }) => this.#onWindow(windowId, async () => {}));
    deadlines.handle('window-end', ({ windowId }) =>
      this.#onWindow(windowId, async (window) => {
        await this.context.store.deleteWindow(window.id);
        await this.#agentsBack(window.id);
        this.context.emit({ type: 'window-notice', audience: 'agents', kind: 'maintenance-ended', window });
      }),
    );
  }

  /** Keeps this node's view in step with changes made on any node. */
  observe(event: DomainEvent): void {
    if (event.type === 'windows-changed') this.#windows = event.windows;
    if (event.type === 'read-only-changed') this.#readOnly = event.on;
  }

  async start(): Promise<void> {
    this.#readOnly = (await this.context.store.getMeta('read_only')) === 'true';
    this.#windows = await this.context.store.windows();
  }

  get readOnly(): boolean {
    return this.#readOnly || this.#storeRefused;
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
    // An admin who switches read-only off says the store is fine: this node stops waiting for its probe.
    if (!on) this.#storeRefused = false;
    this.context.emit({ type: 'read-only-changed', on, announce: true });
  }

  /** M6, detected: the store refused a write. Read-only on this node until the store takes writes again. */
  storeWentReadOnly(): void {
    if (this.#storeRefused) return;
    this.#storeRefused = true;
    this.context.log.error('the store refused a write: switching to read-only until it takes writes again');
    this.onLocalChange();
    this.onStoreRefused();
  }

  /** M6: a probe write succeeded; what this node missed meanwhile is read again by the caller. */
  storeTakesWrites(): void {
    if (!this.#storeRefused) return;
    this.#storeRefused = false;
    this.context.log.info('the store takes writes again');
    this.onLocalChange();
  }

  /** M1: schedules a window; agents and admins hear of it at once, customers within the notice lead. */
  async schedule(window: Omit<MaintenanceWindow, 'id'>): Promise<MaintenanceWindow> {
    const now = this.context.clock.now();
    if (window.endsAt <= window.startsAt) throw new ServiceError('bad_request', 'endsAt must be after startsAt.');
    if (window.endsAt <= now) throw new ServiceError('bad_request', 'The window has already ended.');
    const scheduled = { ...window, id: this.context.newId() };
    const { maintenance } = this.context.config;
    await this.context.store.addWindow(scheduled, now);
    const windowId = scheduled.id;
    const { deadlines } = this.context;
    await deadlines.set({ kind: 'window-notice', windowId }, Math.max(now, scheduled.startsAt - maintenance.customerNoticeLeadMinutes * MINUTE));
    await deadlines.set({ kind: 'window-agents-offline', windowId }, Math.max(now, scheduled.startsAt - maintenance.agentOfflineLeadMinutes * MINUTE));
    await deadlines.set({ kind: 'window-start', windowId }, Math.max(now, scheduled.startsAt));
    await deadlines.set({ kind: 'window-end', windowId }, scheduled.endsAt);
    await this.#windowsChanged();
    this.context.emit({ type: 'window-notice', audience: 'agents', kind: 'maintenance-planned', window: scheduled });
    return scheduled;
  }

  async cancel(id: string): Promise<void> {
    const window = this.#windows.find((candidate) => candidate.id === id);
    if (!window || !(await this.context.store.deleteWindow(id))) throw new ServiceError('not_found', 'No such maintenance window.');
    for (const kind of WINDOW_DEADLINES) await this.context.deadlines.clear({ kind, windowId: id });
    await this.#windowsChanged();
    await this.#agentsBack(id);
    this.context.emit({ type: 'window-notice', audience: 'agents', kind: 'maintenance-cancelled', window });
    this.context.emit({ type: 'window-notice', audience: 'customers', kind: 'maintenance-cancelled', window });
  }

  /** Runs a window's deadline; every node then recomputes availability (a window starts or ends with time). */
  async #onWindow(windowId: string, run: (window: MaintenanceWindow) => Promise<void> | void): Promise<void> {
    const window = (await this.context.store.windows()).find((candidate) => candidate.id === windowId);
    if (!window) return;
    await run(window);
    await this.#windowsChanged();
  }

  /** M2: agents a window set Offline come back when it is over, unless another window holds them Offline. */
  async #agentsBack(endedId: string): Promise<void> {
    const now = this.context.clock.now();
    const lead = this.context.config.maintenance.agentOfflineLeadMinutes * MINUTE;
    const holding = (await this.context.store.windows()).some((window) => window.id !== endedId && window.startsAt - lead <= now && now < window.endsAt);
    if (!holding) await this.presence.maintenanceOver();
  }

  async #windowsChanged(): Promise<void> {
    this.#windows = await this.context.store.windows();
    this.context.emit({ type: 'windows-changed', windows: this.#windows });
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
      readOnly: this.readOnly,
      windows: this.#windows,
      noticeLeadMs: this.context.config.maintenance.customerNoticeLeadMinutes * MINUTE,
      agents: this.presence.all(),
      pendingOffers: this.pendingOffers,
      now: this.context.clock.now(),
    });
  }
}
