import type { ClientFrame, SequencedEvent, SessionEvent } from '@parley/protocol';
import type { EngineEnvironment } from '../engine/engine-environment.js';
import { Outbox } from '../outbox/outbox.js';
import type { ChatStore, TranscriptRow } from '../storage/chat-store.js';
import { Transcripts } from '../transcript/transcripts.js';

export interface AgentConversationsOptions extends Pick<EngineEnvironment, 'scheduler' | 'newId' | 'now'> {
  store: ChatStore;
  /** Sends when connected; false when not (replies stay in the outbox). */
  send: (frame: ClientFrame) => boolean;
  /** How long a reply the service could not take yet (draining, read-only) waits before it is tried again. */
  retryQueuedMs: number;
  /** Replies sent per second and at once (default: the protocol's OUTBOX_PACE). */
  pace?: { perSecond: number; burst: number };
  /** Rows just applied to a session, in seq order. */
  applied: (sessionId: string, added: readonly TranscriptRow[]) => void;
}

/**
 * The agent's side of its chats, exactly once both ways: each session's
 * events are applied in seq order (early ones held, seen ones dropped) with
 * their cursor stored, so a reload or a new leader tab resumes from the
 * cursors; replies go through the outbox shared with the customer client
 * (stored with their cmid before the first send, sent again after every
 * reconnect, removed only when the service has them).
 */
export class AgentConversations {
  readonly outbox: Outbox;
  readonly #transcripts: Transcripts;
  readonly #options: AgentConversationsOptions;

  constructor(options: AgentConversationsOptions) {
    this.#options = options;
    this.#transcripts = new Transcripts(options.store);
    this.outbox = new Outbox({
      ...options,
      scope: () => 'all',
      frame: (entry) => ({ type: 'reply', ref: entry.cmid, sessionId: entry.sessionId, cmid: entry.cmid, text: entry.text || undefined, attachment: entry.attachment?.id }),
    });
  }

  /** What the store kept: every session's rows and cursor, and the replies not yet acknowledged. */
  async load(): Promise<void> {
    await this.#transcripts.loadAll();
    for (const sessionId of this.#transcripts.sessionIds()) this.#options.applied(sessionId, this.#transcripts.rows(sessionId));
    await this.outbox.flush();
  }

  /** Per session, the last seq applied: `hello` asks the service to go on from there. */
  cursors(): Record<string, number> {
    return this.#transcripts.cursors();
  }

  async apply(frame: SequencedEvent): Promise<void> {
    const added = await this.#transcripts.apply(frame);
    if (added.length === 0) return;
    for (const row of added) {
      const event = row.event as SessionEvent;
      // The event that carries a reply's cmid acknowledges it too (its ack may have been lost in a drain).
      if (event.kind === 'message' && event.from === 'agent' && event.cmid) await this.outbox.acknowledged(event.cmid);
    }
    this.#options.applied(frame.sessionId, added);
  }

  /** Stores the reply, then sends it if connected. Resolves with its cmid once stored. */
  async reply(sessionId: string, text: string): Promise<string> {
    return (await this.outbox.enqueue(sessionId, text)).cmid;
  }
}
