import { randomBytes, randomUUID } from 'node:crypto';
import { createLocalEventBus, type EventBus } from '../bus/event-bus.js';
import { ChatService } from '../chat/chat-service.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config-schema.js';
import { DeadlineScheduler } from '../deadlines/deadline-scheduler.js';
import type { DeadlineKind } from '../lifecycle/lifecycle-rules.js';
import { MaintenanceService } from '../maintenance/maintenance-service.js';
import { PresenceService } from '../presence/presence-service.js';
import { Router } from '../routing/router.js';
import { StoreReadOnlyError, type Deadline, type Store } from '../store/store.js';
import type { Logger, ServiceContext } from './context.js';

export interface ParleyServiceOptions {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  bus?: EventBus;
  newId?: () => string;
}

/** The service's parts, wired together; the transport and HTTP layers call into these. */
export interface ParleyService {
  readonly context: ServiceContext;
  readonly chat: ChatService;
  readonly router: Router;
  readonly presence: PresenceService;
  readonly maintenance: MaintenanceService;
  /** Identifies this database: a client that resumes against another epoch re-reads instead. */
  readonly epoch: string;
  /** Reports a failed operation; a read-only store switches the service to read-only (M6). */
  failed(error: unknown): void;
  stop(): void;
}

/**
 * Builds the service and resumes from the store: presence, deadlines and
 * windows as the previous process left them (S10).
 */
export async function createParleyService(options: ParleyServiceOptions): Promise<ParleyService> {
  const { store, clock, log } = options;
  const config = { ...options.config, secret: options.config.secret ?? (await storedSecret(store)) };
  const epoch = (await store.getMeta('epoch')) ?? (await setMeta(store, 'epoch', randomUUID()));

  let dispatch: (deadline: Deadline) => Promise<void> = async () => {};
  const deadlines = new DeadlineScheduler(store, clock, (deadline) => dispatch(deadline), (error, deadline) => failed(error, deadline));
  const context: ServiceContext = { config, store, clock, log, deadlines, bus: options.bus ?? createLocalEventBus(), newId: options.newId ?? randomUUID };

  const presence = new PresenceService(context);
  const chat = new ChatService(context);
  const router = new Router(context, presence);
  const maintenance = new MaintenanceService(context, presence);
  chat.routing = router;
  router.chat = chat;
  chat.admission = (button) => maintenance.admit(button);
  maintenance.pendingOffers = router.offerCount;
  router.onOffersChanged = () => maintenance.publishAvailability();
  presence.onChange = () => {
    maintenance.publishAvailability();
    void router.route();
  };

  function failed(error: unknown, deadline?: Deadline): void {
    if (error instanceof StoreReadOnlyError) maintenance.storeWentReadOnly();
    log.error('operation failed', { error: String(error), deadline });
  }

  dispatch = async ({ subject, kind, dueAt }) => {
    const [scope, id] = splitSubject(subject);
    if (scope === 'session' && (kind === 'inactivity' || kind === 'end')) return chat.onDeadline(kind as DeadlineKind, id);
    if (scope === 'agent' && (kind === 'disconnect' || kind === 'idle')) return presence.onDeadline(kind, id, dueAt);
    if (scope === 'window') return maintenance.onDeadline(kind, id);
    if (scope === 'agent' || scope === 'offer' || scope === 'work') return router.onDeadline(kind, subject);
    log.error('unknown deadline', { subject, kind });
  };

  await presence.start();
  await maintenance.start();
  await deadlines.start();
  await router.route();
  maintenance.publishAvailability();

  return {
    context,
    chat,
    router,
    presence,
    maintenance,
    epoch,
    failed: (error) => failed(error),
    stop: () => deadlines.stop(),
  };
}

function splitSubject(subject: string): [string, string] {
  const colon = subject.indexOf(':');
  return [subject.slice(0, colon), subject.slice(colon + 1)];
}

async function storedSecret(store: Store): Promise<string> {
  return (await store.getMeta('secret')) ?? setMeta(store, 'secret', randomBytes(32).toString('base64url'));
}

async function setMeta(store: Store, key: string, value: string): Promise<string> {
  await store.setMeta(key, value);
  return value;
}
