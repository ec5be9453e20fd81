import { BehaviorSubject, type SchedulerLike, type Subscription } from 'rxjs';
import { OUTBOX_PACE, type ClientFrame } from '@parley/protocol';
import type { ChatStore, OutboxEntry } from '../storage/chat-store.js';
import { SerialQueue } from '../engine/serial-queue.js';
import { waitToSend, type SendBudget } from './send-pacer.js';
import { writeToOutbox } from './write-to-outbox.js';

/** Where an unacknowledged message is: `queued` waits to be sent, `sending` waits for its ack. */
export type OutboxStatus = { status: 'queued' | 'sending' } | { status: 'failed'; code: string; error: string };

export interface OutboxState {
  /** Unacknowledged entries, in the order written. */
  entries: readonly OutboxEntry[];
  statuses: ReadonlyMap<string, OutboxStatus>;
}

export const EMPTY_OUTBOX: OutboxState = { entries: [], statuses: new Map() };
const QUEUED: OutboxStatus = { status: 'queued' };
const SENDING: OutboxStatus = { status: 'sending' };

/** Codes after which sending the same message later can succeed: it stays queued and is tried again. */
const RETRYABLE = new Set(['read_only', 'rate_limited', 'draining', 'internal', 'no_session']);

export interface OutboxOptions {
  store: ChatStore;
  /** Which entries this client sends: one session's (a customer), all of them (an agent), or none yet. */
  scope: () => { sessionId: string } | 'all' | undefined;
  /** The frame that carries an entry: a customer's `message`, an agent's `reply`. */
  frame: (entry: OutboxEntry) => ClientFrame;
  /** Sends when connected; false when not (the entry stays queued). */
  send: (frame: ClientFrame) => boolean;
  scheduler: SchedulerLike;
  newId: () => string;
  now: () => number;
  /** How long a message the service could not take yet (read-only, draining…) waits before it is tried again. */
  retryQueuedMs: number;
  /** Sends per second and at once; default: the protocol's share for an outbox, within the service's frame limit. */
  pace?: { perSecond: number; burst: number };
}

/**
 * Messages on their way, exactly once: each is written to the store (with
 * its `cmid`) before the first send, sent again after every reconnect, and
 * leaves the store only when the service acknowledges it. The store is
 * shared by the tabs, so the leader sends what any tab wrote. One
 * implementation for customers and agents.
 */
export class Outbox {
  readonly state$ = new BehaviorSubject<OutboxState>(EMPTY_OUTBOX);
  readonly #options: OutboxOptions;
  readonly #queue = new SerialQueue();
  #entries: readonly OutboxEntry[] = [];
  readonly #statuses = new Map<string, OutboxStatus>();
  #retry: Subscription | undefined;
  readonly #budget: SendBudget;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#budget = { tokens: (options.pace ?? OUTBOX_PACE).burst, at: options.scheduler.now() };
  }

  /** Validates and stores a message, then sends it if it can. Resolves once it is stored and shown. */
  async enqueue(sessionId: string, text: string): Promise<OutboxEntry> {
    const entry = await writeToOutbox(this.#options.store, { sessionId, text }, this.#options);
    await this.flush();
    return entry;
  }

  /** Re-reads the stored entries (other tabs write there too) and sends what may go now. */
  flush(): Promise<void> {
    return this.#queue.run(async () => {
      const scope = this.#options.scope();
      if (!scope) return;
      this.#entries = await this.#options.store.pending(scope === 'all' ? undefined : scope.sessionId);
      this.#sendNext();
      this.#publish();
    });
  }

  /**
   * One message of a session at a time, in the order written: one the service refuses for now
   * (read-only, draining) is stored before any written after it, never after. Past the pace, the
   * rest stays queued until a later flush.
   */
  #sendNext(): void {
    const busy = new Set<string>();
    for (const entry of this.#entries) {
      const status = this.#statuses.get(entry.cmid)?.status;
      if (status === 'failed') continue;
      const waits = status === 'sending' || busy.has(entry.sessionId);
      busy.add(entry.sessionId);
      if (waits) continue;
      const waitMs = waitToSend(this.#budget, this.#options.pace ?? OUTBOX_PACE, this.#options.scheduler.now());
      if (waitMs) return this.#flushIn(waitMs);
      if (!this.#options.send(this.#options.frame(entry))) return;
      this.#statuses.set(entry.cmid, SENDING);
    }
  }

  /** The service stored it (an `ack`, or the event that carries its cmid). */
  acknowledged(cmid: string): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#entries.some((entry) => entry.cmid === cmid)) {
        await this.#options.store.acknowledge(cmid);
        this.#entries = this.#entries.filter((entry) => entry.cmid !== cmid);
        this.#statuses.delete(cmid);
        // The next message of its session goes now.
        this.#sendNext();
      }
      // Acks come in bursts (a reconnect's re-sends): the last one queued shows them all at once,
      // instead of every view going through the whole outbox once per ack.
      if (this.#queue.size === 1) this.#publish();
    });
  }

  /** The service refused it: queued again when a later try can succeed, else failed (kept, with its text). */
  failed(cmid: string, code: string, message: string): void {
    if (!this.#entries.some((entry) => entry.cmid === cmid)) return;
    if (RETRYABLE.has(code)) {
      this.#statuses.delete(cmid);
      this.#flushIn(this.#options.retryQueuedMs);
    } else {
      this.#statuses.set(cmid, { status: 'failed', code, error: message });
    }
    this.#publish();
  }

  /** Sends a failed message again. */
  retry(cmid: string): Promise<void> {
    this.#statuses.delete(cmid);
    this.#publish();
    return this.flush();
  }

  /** The connection dropped: what was in flight is sent again after the reconnect (the cmid makes that safe). */
  disconnected(): void {
    for (const [cmid, status] of this.#statuses) if (status.status === 'sending') this.#statuses.delete(cmid);
    this.#publish();
  }

  /** Forgets what is shown (a new session); the store keeps its entries. */
  reset(): void {
    this.#entries = [];
    this.#statuses.clear();
    this.#publish();
  }

  stop(): void {
    this.#retry?.unsubscribe();
  }

  /** One flush later (a paced send, or a try again after a refusal); the latest call decides when. */
  #flushIn(ms: number): void {
    this.#retry?.unsubscribe();
    this.#retry = this.#options.scheduler.schedule(() => void this.flush(), ms);
  }

  /** Publishes the state when it changed (a flush often finds everything as it was). */
  #publish(): void {
    const statuses = new Map<string, OutboxStatus>();
    for (const entry of this.#entries) statuses.set(entry.cmid, this.#statuses.get(entry.cmid) ?? QUEUED);
    const previous = this.state$.value;
    const same =
      previous.entries.length === this.#entries.length &&
      this.#entries.every((entry, index) => previous.entries[index]!.cmid === entry.cmid && previous.statuses.get(entry.cmid) === statuses.get(entry.cmid));
    if (!same) this.state$.next({ entries: this.#entries, statuses });
  }
}
