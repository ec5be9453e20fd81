import { ServiceError, type ServiceContext } from '../service/context.js';
import type { Deadline } from '../deadlines/deadline.js';
import type { OfflineMessage } from '../store/store.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PURGE: Deadline = { kind: 'retention-purge', what: 'offline-messages' };

/**
 * C2: messages left while nobody can answer. Limited per client address and
 * in total (one client must not fill the disk), and deleted once older than
 * `retention.offlineMessageDays`: one stored deadline, always at the oldest
 * message's expiry, so the purge survives restarts and runs on one node.
 */
export class OfflineMessages {
  /** D5: told of each message left (on this node, once stored): webhooks. */
  onLeft: (message: OfflineMessage) => void = () => {};

  constructor(private readonly context: ServiceContext) {
    context.deadlines.handle('retention-purge', () => this.purge());
  }

  /** Arms the purge for what is already stored (kept by an older version, or before a crash). */
  start(): Promise<void> {
    return this.#arm();
  }

  async leave(message: Omit<OfflineMessage, 'at'>, address: string): Promise<void> {
    const { store, counters, clock, config } = this.context;
    const { limits } = config;
    if ((await store.countOfflineMessages()) >= limits.offlineMessagesStored) {
      throw new ServiceError('queue_full', 'The message box is full right now; please try again later.');
    }
    const sent = await counters.hit(`offline:address:${address}`, limits.offlineMessageWindowMinutes * MINUTE, clock.now());
    if (sent > limits.offlineMessagesPerAddress) {
      throw new ServiceError('rate_limited', `Too many messages were left from your network (at most ${limits.offlineMessagesPerAddress} per ${limits.offlineMessageWindowMinutes} minutes); please try again later.`);
    }
    const left = { ...message, at: clock.now() };
    await store.addOfflineMessage(left);
    this.onLeft(left);
    await this.#arm();
  }

  async purge(): Promise<void> {
    await this.context.store.purgeOfflineMessages(this.context.clock.now() - this.#retentionMs);
    await this.#arm();
  }

  get #retentionMs(): number {
    return this.context.config.retention.offlineMessageDays * DAY;
  }

  async #arm(): Promise<void> {
    const oldest = await this.context.store.oldestOfflineMessageAt();
    if (oldest === undefined) await this.context.deadlines.clear(PURGE);
    else await this.context.deadlines.set(PURGE, oldest + this.#retentionMs);
  }
}
