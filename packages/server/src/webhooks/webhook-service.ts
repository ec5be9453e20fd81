import type { Deadline } from '../deadlines/deadline.js';
import type { DomainEvent } from '../events/domain-events.js';
import type { ServiceContext } from '../service/context.js';
import type { WebhookDeliveryRecord, WebhookRecord } from '../store/store.js';
import type { WebhookNotice } from './webhook-events.js';
import { GIVE_UP_AFTER_MS, retryDelay } from './webhook-retries.js';
import { WEBHOOK_HEADERS, newWebhookSecret, webhookSignature } from './webhook-signature.js';

/** How long one attempt waits for the receiver's answer (real time: it is a socket, not business time). */
const ATTEMPT_TIMEOUT_MS = 10_000;
const ERROR_LENGTH = 300;

const attemptOf = (deliveryId: string): Deadline => ({ kind: 'webhook-delivery', deliveryId });

/**
 * D5: webhook subscriptions and their deliveries. A change queues one delivery per matching
 * subscription in the store, and a stored deadline (S10) for its first attempt. The deadlines
 * claim each due attempt on one node only; that node moves the deadline to the next retry
 * before it posts, so a node that dies mid-post leaves the retry behind (at-least-once), and
 * a 2xx answer marks the delivery delivered and clears it.
 */
export class WebhookService {
  readonly #pending = new Set<Promise<unknown>>();
  /** The subscriptions as last read: a change is matched against these, not a read per message. */
  #subscriptions: Promise<WebhookRecord[]> | undefined;

  constructor(private readonly context: ServiceContext) {
    context.deadlines.handle('webhook-delivery', ({ deliveryId }) => this.#attempt(deliveryId));
  }

  async create(input: { url: string; events: string[]; secret?: string | undefined }): Promise<WebhookRecord> {
    const webhook: WebhookRecord = {
      id: this.context.newId(),
      url: input.url,
      events: [...new Set(input.events)],
      secret: input.secret ?? newWebhookSecret(),
      createdAt: this.context.clock.now(),
    };
    await this.context.store.addWebhook(webhook);
    this.#changed();
    return webhook;
  }

  list(): Promise<WebhookRecord[]> {
    return this.context.store.webhooks();
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.context.store.deleteWebhook(id);
    if (deleted) this.#changed();
    return deleted;
  }

  /** Reads the subscriptions (at start, and when told of a change on any node or after the bus was away). */
  load(): Promise<void> {
    const read = this.context.store.webhooks();
    this.#subscriptions = read;
    // A failed read is not kept: the next change reads again.
    return read.then(
      () => undefined,
      (error: unknown) => {
        if (this.#subscriptions === read) this.#subscriptions = undefined;
        throw error;
      },
    );
  }

  /** Every node hears of a change on the bus, this one too. */
  observe(event: DomainEvent): void {
    if (event.type === 'webhooks-changed') this.#track(this.load().catch((error: unknown) => this.context.log.error({ err: error }, 'webhooks not read')));
  }

  #changed(): void {
    this.#subscriptions = undefined;
    this.context.emit({ type: 'webhooks-changed' });
  }

  deliveries(webhookId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.context.store.webhookDeliveries(webhookId, limit);
  }

  /** Queues a notice for every subscription that asked for its event (called on the node that made the change). */
  notify(notice: WebhookNotice): void {
    this.#track(this.#queue(notice).catch((error: unknown) => this.context.log.error({ err: error, event: notice.event }, 'webhook not queued')));
  }

  /** Resolves when every queued notice is stored and every attempt started here has its outcome stored (tests). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #queue(notice: WebhookNotice): Promise<void> {
    const { store, clock, deadlines, newId } = this.context;
    if (!this.#subscriptions) await this.load();
    const subscribers = (await this.#subscriptions!).filter((webhook) => webhook.events.includes(notice.event));
    for (const webhook of subscribers) {
      const id = newId();
      const at = clock.now();
      const delivery: WebhookDeliveryRecord = {
        id,
        webhookId: webhook.id,
        event: notice.event,
        body: JSON.stringify({ id, event: notice.event, at, data: notice.data }),
        status: 'pending',
        attempts: 0,
        createdAt: at,
        lastAttemptAt: null,
        lastResponse: null,
        lastError: null,
      };
      await store.transaction(async () => {
        await store.addWebhookDelivery(delivery);
        await deadlines.set(attemptOf(id), at);
      });
    }
  }

  /** Runs in the deadline's claim: counts the attempt and sets the next one, then posts once it is committed. */
  async #attempt(deliveryId: string): Promise<void> {
    const { store, clock, deadlines } = this.context;
    const delivery = await store.getWebhookDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    const webhook = (await store.webhooks()).find((candidate) => candidate.id === delivery.webhookId);
    if (!webhook) return;
    const now = clock.now();
    const attempts = delivery.attempts + 1;
    const retryAt = now + retryDelay(attempts);
    const willRetry = retryAt < delivery.createdAt + GIVE_UP_AFTER_MS;
    if (willRetry) await deadlines.set(attemptOf(deliveryId), retryAt);
    const attempted = { ...delivery, attempts, lastAttemptAt: now };
    await store.updateWebhookDelivery(deliveryId, attempted);
    store.afterCommit(() => this.#track(this.#post(webhook, attempted, willRetry)));
  }

  async #post(webhook: WebhookRecord, delivery: WebhookDeliveryRecord, willRetry: boolean): Promise<void> {
    const { store, clock, deadlines, log } = this.context;
    const timestamp = String(Math.floor(clock.now() / 1000));
    let outcome: { ok: boolean; response: number | null; error: string | null };
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_HEADERS.id]: delivery.id,
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: webhookSignature(webhook.secret, timestamp, delivery.body),
        },
        body: delivery.body,
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      outcome = { ok, response: response.status, error: ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      outcome = { ok: false, response: null, error: String((error as Error).cause ?? (error as Error).message ?? error).slice(0, ERROR_LENGTH) };
    }
    try {
      const status = outcome.ok ? 'delivered' : willRetry ? 'pending' : 'failed';
      await store.updateWebhookDelivery(delivery.id, { status, attempts: delivery.attempts, lastAttemptAt: delivery.lastAttemptAt, lastResponse: outcome.response, lastError: outcome.error });
      if (outcome.ok) await deadlines.clear(attemptOf(delivery.id));
    } catch (error) {
      // The retry set before the post stays: the delivery is tried again (at-least-once).
      log.error({ err: error, delivery: delivery.id }, 'webhook outcome not stored');
    }
  }

  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }
}
