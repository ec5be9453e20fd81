import { createHash } from 'node:crypto';
import type { LeftMessage, OptOut, Rating, SequencedEvent } from '@parley/protocol';
import type { Deadline } from '../deadlines/deadline.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import type { AttachmentRecord, CustomerKey, ErasureCounts, ErasureRecord, ReceiptMarks, SessionRecord } from '../store/store.js';

const DAY = 24 * 3600_000;
const PURGE: Deadline = { kind: 'session-purge', what: 'sessions' };
/** Sessions deleted per run of the purge; more are left to the next run, at once (one transaction stays short). */
const PURGE_BATCH = 100;

/** D7: one session as exported, with everything stored under it. */
export interface ExportedSession {
  session: SessionRecord;
  events: SequencedEvent[];
  receipts: Record<'customer' | 'agent', ReceiptMarks>;
  rating: Rating | null;
  /** Each file's record and its bytes, base64: the export is complete on its own, with no link that expires. */
  attachments: Array<AttachmentRecord & { bytesBase64: string | null }>;
}

/** D7: everything stored about one customer. */
export interface CustomerExport {
  customer: CustomerKey;
  exportedAt: number;
  sessions: ExportedSession[];
  /** Left messages carry no browser or user id: they are found by the email addresses given and those of the verified identities. */
  offlineMessages: LeftMessage[];
  optOuts: OptOut[];
}

export const subjectHash = (customer: CustomerKey): string =>
  createHash('sha256').update('browserId' in customer ? customer.browserId : customer.userId).digest('hex');

/**
 * D7: exports what the store keeps about a customer, erases it (tombstones in place of messages, so
 * transcripts keep their seqs), logs each erasure, and deletes ended sessions past `privacy.retentionDays`
 * on one stored deadline (the pattern of the offline-message and attachment purges).
 */
export class PrivacyService {
  constructor(private readonly context: ServiceContext) {
    context.deadlines.handle('session-purge', () => this.purge());
  }

  /** Arms the retention purge (or clears it when retention is off). */
  start(): Promise<void> {
    return this.#arm();
  }

  async export(customer: CustomerKey, emails: readonly string[] = []): Promise<CustomerExport> {
    const { store, clock } = this.context;
    const sessions = await store.sessionsOfCustomer(customer);
    const exported: ExportedSession[] = [];
    for (const session of sessions) {
      const attachments = await store.attachmentsOfSession(session.id);
      exported.push({
        session,
        events: await store.eventsAfter(session.id, 0),
        receipts: await store.receiptsOf(session.id),
        rating: (await store.ratingOfSession(session.id)) ?? null,
        attachments: await Promise.all(
          attachments.map(async (record) => {
            const bytes = await store.readAttachment(record.id);
            return { ...record, bytesBase64: bytes ? Buffer.from(bytes).toString('base64') : null };
          }),
        ),
      });
    }
    const browsers = browsersOf(customer, sessions);
    const optOuts = (await store.optOuts()).filter((optOut) => browsers.has(optOut.browserId));
    const offlineMessages: LeftMessage[] = [];
    for (const email of emailsOf(emails, sessions)) offlineMessages.push(...(await store.offlineMessagesOfEmail(email)));
    return { customer, exportedAt: clock.now(), sessions: exported, offlineMessages, optOuts };
  }

  /**
   * Erases a customer. Refused (`session_open`, nothing erased) while one of their chats is open: the
   * people in it would see it vanish under them; end it first.
   */
  async erase(customer: CustomerKey, emails: readonly string[], actor: string): Promise<ErasureRecord> {
    const { store, clock } = this.context;
    const sessions = await store.sessionsOfCustomer(customer);
    const open = sessions.find((session) => session.state !== 'ended');
    if (open) throw new ServiceError('session_open', `Chat ${open.id} is still open (${open.state}); end it before erasing.`);
    const counts: ErasureCounts = { sessions: sessions.length, messages: 0, attachments: 0, ratings: 0, offlineMessages: 0, optOuts: 0 };
    for (const session of sessions) {
      const erased = await store.eraseSession(session.id);
      counts.messages += erased.messages;
      counts.attachments += erased.attachments;
      counts.ratings += erased.ratings;
    }
    for (const browserId of browsersOf(customer, sessions)) if (await store.eraseOptOut(browserId)) counts.optOuts++;
    for (const email of emailsOf(emails, sessions)) counts.offlineMessages += await store.eraseOfflineMessagesOfEmail(email);
    const entry = await store.logErasure({ at: clock.now(), actor, subjectKind: 'browserId' in customer ? 'browserId' : 'userId', subjectHash: subjectHash(customer), counts });
    this.context.log.info({ erasure: entry.id, counts }, 'customer data erased');
    return entry;
  }

  /** Deletes the ended sessions past retention (a batch), logs it, and sets the next run. */
  async purge(): Promise<void> {
    const days = this.#retentionDays;
    if (days !== undefined) {
      const { store, clock } = this.context;
      const ids = await store.endedSessionsBefore(clock.now() - days * DAY, PURGE_BATCH);
      const counts: ErasureCounts = { sessions: ids.length, messages: 0, attachments: 0, ratings: 0, offlineMessages: 0, optOuts: 0 };
      for (const id of ids) {
        const deleted = await store.deleteSession(id);
        counts.messages += deleted.messages;
        counts.attachments += deleted.attachments;
        counts.ratings += deleted.ratings;
      }
      if (ids.length > 0) await store.logErasure({ at: clock.now(), actor: 'retention', subjectKind: 'retention', subjectHash: '', counts });
    }
    await this.#arm();
  }

  get #retentionDays(): number | undefined {
    return this.context.config.privacy.retentionDays;
  }

  // Due when the oldest ended session passes retention, and at least daily (a session that ends later
  // sets no deadline of its own; its wrap-up may also hold it back from the purge for a while).
  async #arm(): Promise<void> {
    const days = this.#retentionDays;
    if (days === undefined) return this.context.deadlines.clear(PURGE);
    const now = this.context.clock.now();
    const oldest = await this.context.store.oldestEndedSessionAt();
    await this.context.deadlines.set(PURGE, Math.min(oldest === undefined ? Infinity : oldest + days * DAY, now + DAY));
  }
}

function browsersOf(customer: CustomerKey, sessions: readonly SessionRecord[]): Set<string> {
  const browsers = new Set(sessions.map((session) => session.browserId).filter((id) => id !== ''));
  if ('browserId' in customer) browsers.add(customer.browserId);
  return browsers;
}

function emailsOf(given: readonly string[], sessions: readonly SessionRecord[]): Set<string> {
  const emails = [...given, ...sessions.map((session) => session.identity?.email).filter((email): email is string => !!email)];
  return new Set(emails.map((email) => email.toLowerCase()));
}
