import { randomBytes, randomUUID } from 'node:crypto';
import { AttachmentService } from '../attachments/attachment-service.js';
import { Auth } from '../auth/auth.js';
import { instrumentBus, instrumentStore } from '../metrics/instrument.js';
import { Metrics } from '../metrics/metrics.js';
import { OriginPolicy } from '../transport/origins.js';
import { createLocalEventBus, type EventBus } from '../bus/event-bus.js';
import { ChatService } from '../chat/chat-service.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config-schema.js';
import { DeadlineScheduler } from '../deadlines/deadline-scheduler.js';
import { Delivery } from '../delivery/delivery.js';
import { createMemoryLimitCounters, type LimitCounters } from '../limits/limit-counters.js';
import { MaintenanceService } from '../maintenance/maintenance-service.js';
import { OfflineMessages } from '../offline/offline-messages.js';
import { offlineMessageNotice, webhookNoticeOf } from '../webhooks/webhook-events.js';
import { WebhookService } from '../webhooks/webhook-service.js';
import { PresenceService } from '../presence/presence-service.js';
import { PrivacyService } from '../privacy/privacy-service.js';
import { NodeHeartbeat } from '../presence/node-heartbeat.js';
import { Router } from '../routing/router.js';
import { StoreRecovery } from '../maintenance/store-recovery.js';
import { StoreReadOnlyError, type StoredDeadline, type Store } from '../store/store.js';
import type { ServiceContext } from './context.js';
import type { Logger } from './logger.js';

export interface ParleyServiceOptions {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  bus?: EventBus;
  /** Default: in memory (one node). */
  counters?: LimitCounters;
  /** Default: a registry of its own. */
  metrics?: Metrics;
  /** Default: `allowedOrigins` and `publicUrl` of the configuration. */
  origins?: OriginPolicy;
  newId?: () => string;
}

/** The service's parts, wired together; the transport and HTTP layers call into these. */
export interface ParleyService {
  readonly context: ServiceContext;
  readonly chat: ChatService;
  readonly router: Router;
  readonly presence: PresenceService;
  readonly maintenance: MaintenanceService;
  readonly offline: OfflineMessages;
  /** I2: uploads checked by content and size, and short-lived signed links to them. */
  readonly attachments: AttachmentService;
  /** D5: webhook subscriptions and deliveries. */
  readonly webhooks: WebhookService;
  /** D7: customer data export and erasure, and the retention purge of ended chats. */
  readonly privacy: PrivacyService;
  /** Issues and checks tokens; revokes an agent's. */
  readonly auth: Auth;
  /** Beats in the store's registry of nodes and reaps dead ones (N1). */
  readonly heartbeat: NodeHeartbeat;
  /** Turns domain events into frames for this node's sockets. */
  readonly delivery: Delivery;
  /** Identifies this database: a client that resumes against another epoch re-reads instead. */
  readonly epoch: string;
  /**
   * Signs the agent out everywhere (A6) and revokes every token issued to them
   * so far; `done` runs once both are stored, before the sockets are told.
   */
  logout(agentId: string, actor: string, done?: () => void): Promise<void>;
  /** Reports a failed operation; a read-only store switches the service to read-only (M6). */
  failed(error: unknown): void;
  /**
   * Reads again from the store what other nodes changed while the bus lost
   * events: presence, maintenance, offers and the queue, and every session
   * this node's sockets follow.
   */
  resync(): Promise<void>;
  stop(): void;
}

/**
 * Builds the service and resumes from the store: presence, deadlines and
 * windows as the previous process left them (S10).
 */
export async function createParleyService(options: ParleyServiceOptions): Promise<ParleyService> {
  const { clock, log } = options;
  const metrics = options.metrics ?? new Metrics();
  const store = instrumentStore(options.store, metrics);
  const config = { ...options.config, secret: options.config.secret ?? (await storedSecret(store)) };
  // Claimed, not read then written: nodes starting at once on an empty database agree on one (N1).
  const epoch = await store.claimMeta('epoch', randomUUID());

  const deadlines = new DeadlineScheduler(store, clock, (error, deadline) => failed(error, deadline), (lateMs) => metrics.deadlineLag.observe(lateMs / 1000));
  const bus = instrumentBus(options.bus ?? createLocalEventBus(), metrics);
  const context: ServiceContext = {
    config,
    store,
    clock,
    log,
    metrics,
    origins: options.origins ?? new OriginPolicy({ allowedOrigins: config.allowedOrigins, publicUrl: config.publicUrl }),
    deadlines,
    bus,
    // Inside a transaction the event waits for the commit: no node hears of a change that may roll back.
    // D5: webhooks are queued here, on the node that made the change, not by every node the bus reaches.
    emit: (event) =>
      store.afterCommit(() => {
        bus.publish(event);
        const notice = webhookNoticeOf(event);
        if (notice) webhooks.notify(notice);
      }),
    counters: options.counters ?? createMemoryLimitCounters(),
    newId: options.newId ?? randomUUID,
  };

  const presence = new PresenceService(context);
  const chat = new ChatService(context);
  const router = new Router(context, presence);
  const maintenance = new MaintenanceService(context, presence);
  const offline = new OfflineMessages(context);
  const attachments = new AttachmentService(context);
  const webhooks = new WebhookService(context);
  offline.onLeft = (message) => webhooks.notify(offlineMessageNotice(message));
  const privacy = new PrivacyService(context);
  const auth = new Auth(context);
  chat.routing = router;
  router.chat = chat;
  chat.admission = (button) => maintenance.admit(button);
  maintenance.pendingOffers = router.offerCount;
  presence.onChange = (state, event) => void router.presenceChanged(state, event);

  const delivery = new Delivery({
    readEvents: (sessionId, afterSeq) => store.eventsAfter(sessionId, afterSeq),
    waitingSessions: () => store.sessionsInState('waiting'),
    officesOf: (agentId) => config.agents.find((agent) => agent.id === agentId)?.offices ?? [],
    availability: (button) => maintenance.availability(button),
    buttons: () => config.buttons.map((button) => button.id),
    officeOf: (id) => config.buttons.find((button) => button.id === id)?.office,
    failed: (error) => failed(error),
  });
  maintenance.onLocalChange = () => delivery.refreshAvailability();
  // This node's views first, then its sockets: delivery reads those views.
  bus.subscribe((event) => {
    presence.observe(event);
    router.observe(event);
    maintenance.observe(event);
    webhooks.observe(event);
    delivery.deliver(event);
  });

  function failed(error: unknown, deadline?: StoredDeadline): void {
    if (error instanceof StoreReadOnlyError) maintenance.storeWentReadOnly();
    log.error({ err: error, deadline }, 'operation failed');
  }

  async function resync(): Promise<void> {
    for (const agent of config.agents) {
      const stored = await store.getPresence(agent.id);
      if (!stored || stored.version <= presence.get(agent.id).version) continue;
      const event = { type: 'presence-changed' as const, state: { ...stored, capacity: { ...stored.capacity, total: agent.capacity } } };
      presence.observe(event);
      delivery.deliver(event);
    }
    await maintenance.start();
    await webhooks.load();
    await router.route();
    await delivery.resync();
  }

  // M6: a store that refused writes is tried again; when it takes them, the node reads what it missed.
  const recovery = new StoreRecovery(
    () => store.probe(),
    async () => {
      maintenance.storeTakesWrites();
      await resync();
    },
    (error) => failed(error),
  );
  maintenance.onStoreRefused = () => recovery.watch();

  const heartbeat = new NodeHeartbeat(context, presence, router, (error) => failed(error));
  await presence.start();
  await heartbeat.start();
  await maintenance.start();
  await deadlines.start();
  await offline.start();
  await attachments.start();
  await webhooks.load();
  await privacy.start();
  await router.route();

  return {
    context,
    chat,
    router,
    presence,
    maintenance,
    auth,
    delivery,
    heartbeat,
    offline,
    privacy,
    attachments,
    webhooks,
    epoch,
    async logout(agentId, actor, done) {
      await presence.apply(agentId, { type: 'logout', actor });
      await auth.revokeAgentTokens(agentId);
      done?.();
      // A6: every tab and browser of the agent logs out.
      context.emit({ type: 'logged-out', agentId });
    },
    failed: (error) => failed(error),
    resync,
    stop: () => {
      deadlines.stop();
      heartbeat.stop();
      recovery.stop();
      router.stop();
    },
  };
}

async function storedSecret(store: Store): Promise<string> {
  return (await store.getMeta('secret')) ?? store.claimMeta('secret', randomBytes(32).toString('base64url'));
}
