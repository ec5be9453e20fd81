import type { ServerFrame, SessionEvent } from '@parley/protocol';
import type { Outbox } from '../outbox/outbox.js';
import type { ChatStore, ClientRecord, TranscriptRow } from '../storage/chat-store.js';
import { Transcripts } from '../transcript/transcripts.js';
import type { ChatHttp } from './chat-http.js';
import type { ChatEvent, ChatNotice } from './chat-state.js';

export interface ChatSessionOptions {
  store: ChatStore;
  http: ChatHttp;
  outbox: () => Outbox;
  newId: () => string;
  dispatch: (event: ChatEvent) => void;
  notify: (notice: ChatNotice) => void;
}

/**
 * The customer's open session as the store keeps it: the client record, the
 * transcript with its `lastSeq` (events in seq order), and what a welcome,
 * a new chat or a reload does to them.
 */
export class ChatSession {
  /** The client's record as stored; each change is written through (`save`). */
  record: ClientRecord = {};
  readonly #transcripts: Transcripts;
  readonly #options: ChatSessionOptions;

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    this.#transcripts = new Transcripts(options.store);
  }

  get sessionId(): string | undefined {
    return this.record.sessionId;
  }

  /** The last seq applied to the open session. */
  lastSeq(): number {
    return this.sessionId ? this.#transcripts.lastSeq(this.sessionId) : 0;
  }

  /** What `hello` resumes: the session's token and the last seq applied. */
  resume(): { resumeToken: string; lastSeq: number } | undefined {
    const { resumeToken, sessionId } = this.record;
    return resumeToken && sessionId ? { resumeToken, lastSeq: this.#transcripts.lastSeq(sessionId) } : undefined;
  }

  /** A reload or a tab taking over: the record, then the stored transcript, cursor and outbox of the open session. */
  async load(): Promise<void> {
    this.record = await this.#options.store.readRecord();
    if (!this.record.browserId) await this.save({ browserId: this.#options.newId() });
    const { sessionId, customerName } = this.record;
    if (!sessionId) return;
    await this.#transcripts.load(sessionId);
    this.#options.dispatch({ type: 'session', sessionId, customerName });
    this.#options.dispatch({ type: 'transcript', rows: this.#transcripts.rows(sessionId), added: [] });
    await this.#options.outbox().flush();
  }

  async welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): Promise<void> {
    const epochChanged = this.record.epoch !== undefined && this.record.epoch !== frame.epoch;
    await this.save({ epoch: frame.epoch });
    const { sessionId } = this.record;
    if (sessionId && frame.sessionId !== sessionId) {
      // The service no longer knows this session (its data was reset): start afresh.
      await this.save({ sessionId: undefined, resumeToken: undefined });
      this.#options.outbox().reset();
      this.#options.dispatch({ type: 'session', sessionId: undefined });
    } else if (sessionId && (frame.replay === 'transcript' || epochChanged)) {
      await this.#reread(sessionId);
    }
    // I1: the signed-in user's open chat, begun in another browser, continues here.
    if (frame.sessionId && !this.record.sessionId) await this.adopt({ sessionId: frame.sessionId, resumeToken: frame.resumeToken! });
    if (frame.resumeToken) await this.save({ resumeToken: frame.resumeToken });
    void this.#options.outbox().flush();
  }

  /** Takes the session a `start` created, before any of its events are handled (they follow the result). */
  async adopt(data: { sessionId: string; resumeToken: string }): Promise<void> {
    // The next chat is a new start.
    await this.save({ sessionId: data.sessionId, resumeToken: data.resumeToken, startId: undefined });
    this.#options.outbox().reset();
    this.#options.dispatch({ type: 'session', sessionId: data.sessionId, customerName: this.record.customerName });
  }

  /** An event of the open session, applied in seq order. */
  async apply(frame: Extract<ServerFrame, { type: 'event' }>): Promise<void> {
    if (frame.sessionId !== this.sessionId) return;
    const added = await this.#transcripts.apply(frame);
    if (added.length === 0) return;
    for (const row of added) {
      const event = row.event as SessionEvent;
      if (event.kind === 'message' && event.cmid) await this.#options.outbox().acknowledged(event.cmid);
      if (event.kind === 'agent-joined') this.#options.notify({ kind: 'agent-joined', agent: event.agent });
      if (event.kind === 'agent-changed') this.#options.notify({ kind: 'agent-changed', agent: event.agent, previous: event.previous });
    }
    this.#options.dispatch({ type: 'transcript', rows: this.#transcripts.rows(frame.sessionId), added });
  }

  async save(patch: Partial<ClientRecord>): Promise<void> {
    this.record = { ...this.record, ...patch };
    await this.#options.store.writeRecord(this.record);
  }

  /** When the service cannot replay: the whole transcript over HTTP, replacing ours. */
  async #reread(sessionId: string): Promise<void> {
    const body = await this.#options.http.transcript(this.record.resumeToken!);
    const rows = body.events.map((event): TranscriptRow => ({ sessionId: body.sessionId, seq: event.seq, at: event.at, event: event.event }));
    await this.#transcripts.replace(sessionId, rows, body.lastSeq);
    this.#options.dispatch({ type: 'transcript', rows, added: [] });
  }
}
