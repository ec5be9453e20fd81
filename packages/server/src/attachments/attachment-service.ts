import type { AttachmentRef } from '@parley/protocol';
import type { Deadline } from '../deadlines/deadline.js';
import { ServiceError, type ServiceContext } from '../service/context.js';
import type { AttachmentRecord, SessionRecord } from '../store/store.js';
import { AttachmentLinks } from './attachment-links.js';
import { sniffType } from './attachment-types.js';

/** Who asks: the session's customer (by its resume token) or an agent (by theirs), for one session. */
export type AttachmentRequester = { role: 'customer'; session: SessionRecord } | { role: 'agent'; agentId: string; session: SessionRecord };

export interface UploadRequest {
  requester: AttachmentRequester;
  /** The idempotency key: the cmid of the message the file goes with. */
  key: string;
  name: string;
  bytes: Uint8Array;
}

/** A signed link: a path on the service, and until when it works (ms since the epoch). */
export interface AttachmentLink {
  url: string;
  expiresAt: number;
}

const DAY = 24 * 3600_000;
const PURGE: Deadline = { kind: 'attachment-purge', what: 'attachments' };

export const toRef = (record: AttachmentRecord): AttachmentRef => ({ id: record.id, name: record.name, type: record.type, size: record.size });

/**
 * I2: attachments, readable only by the session's people. Uploads are checked by content (the
 * type from the first bytes must be allowed; the name is never believed) and by size, and stored
 * once per (session, key); reads go through short-lived links signed for one session.
 */
export class AttachmentService {
  readonly #links: AttachmentLinks;

  constructor(private readonly context: ServiceContext) {
    this.#links = new AttachmentLinks(context.config.secret!);
    context.deadlines.handle('attachment-purge', () => this.purge());
  }

  /** Arms the retention purge for what is already stored. */
  start(): Promise<void> {
    return this.#arm();
  }

  /** Deletes the files past `attachments.keepDays`, then sets the purge for the next oldest (one stored deadline, on one node). */
  async purge(): Promise<void> {
    const { keepDays } = this.#config;
    if (keepDays !== undefined) await this.context.store.purgeAttachments(this.context.clock.now() - keepDays * DAY);
    await this.#arm();
  }

  async #arm(): Promise<void> {
    const { keepDays } = this.#config;
    const oldest = keepDays === undefined ? undefined : await this.context.store.oldestAttachmentAt();
    if (oldest === undefined) await this.context.deadlines.clear(PURGE);
    else await this.context.deadlines.set(PURGE, oldest + keepDays! * DAY);
  }

  get #config() {
    return this.context.config.attachments;
  }

  /** Authorization for an agent: uploads only by the agent working on the session (as replies); reads by any agent it is with, consultants too. */
  async agentMay(agentId: string, sessionId: string, action: 'upload' | 'read'): Promise<boolean> {
    const work = await this.context.store.workOfSession(sessionId);
    return work.some((item) => item.agentId === agentId && (action === 'read' || item.phase !== 'consult'));
  }

  async upload(request: UploadRequest): Promise<AttachmentRef> {
    const { requester, bytes } = request;
    if (bytes.length > this.#config.maxBytes) throw tooLarge(bytes.length, this.#config.maxBytes);
    if (bytes.length === 0) throw new ServiceError('bad_request', 'The file is empty.');
    if (requester.session.state === 'ended') throw new ServiceError('session_ended', 'This chat has ended; start a new one to send files.');
    const { uploadsPerChat, uploadWindowMinutes } = this.#config;
    const uploads = await this.context.counters.hit(`attachments:session:${requester.session.id}`, uploadWindowMinutes * 60_000, this.context.clock.now());
    if (uploads > uploadsPerChat) {
      throw new ServiceError('rate_limited', `Too many files were sent in this chat (at most ${uploadsPerChat} per ${uploadWindowMinutes} minutes); please try again later.`);
    }
    const type = await sniffType(bytes);
    if (!type || !this.#config.allowedTypes.includes(type)) {
      throw new ServiceError('unsupported_type', `${type ? `Files of type ${type}` : 'Files of this kind'} cannot be sent here. Allowed: ${this.#config.allowedTypes.join(', ')}.`);
    }
    const record: AttachmentRecord = {
      id: this.context.newId(),
      sessionId: requester.session.id,
      uploadKey: request.key,
      uploadedBy: requester.role === 'customer' ? 'customer' : requester.agentId,
      name: request.name,
      type,
      size: bytes.length,
      createdAt: this.context.clock.now(),
    };
    const stored = await this.context.store.addAttachment(record, bytes);
    if (stored.id === record.id && this.#config.keepDays !== undefined) await this.#arm();
    // The key is the sender's: a key another party of the session used names their file, not this one.
    if (stored.uploadedBy !== record.uploadedBy) throw new ServiceError('bad_request', 'This key is already used in this chat; upload with a new one.');
    return toRef(stored);
  }

  /** A link to an attachment of the requester's session; another session's attachment is not there for them. */
  async link(attachmentId: string, requester: AttachmentRequester): Promise<AttachmentLink> {
    const record = await this.context.store.getAttachment(attachmentId);
    if (!record || record.sessionId !== requester.session.id) throw new ServiceError('not_found', 'No such attachment in this chat.');
    const expiresAt = this.context.clock.now() + this.#config.linkSeconds * 1000;
    const signature = this.#links.sign({ attachmentId, sessionId: record.sessionId, expiresAt });
    const query = new URLSearchParams({ session: record.sessionId, expires: String(expiresAt), sig: signature });
    return { url: `/v1/attachments/${encodeURIComponent(attachmentId)}/content?${query}`, expiresAt };
  }

  /** The file a link opens, once its signature, its session and its time are checked. */
  async open(attachmentId: string, link: { session: string; expires: number; sig: string }): Promise<{ record: AttachmentRecord; bytes: Uint8Array; expiresAt: number }> {
    const check = this.#links.check({ attachmentId, sessionId: link.session, expiresAt: link.expires }, link.sig, this.context.clock.now());
    if (check === 'forged') throw new ServiceError('forbidden', 'This link is not valid.');
    if (check === 'expired') throw new ServiceError('forbidden', 'This link has expired; ask for a new one.');
    const record = await this.context.store.getAttachment(attachmentId);
    const bytes = record && record.sessionId === link.session ? await this.context.store.readAttachment(attachmentId) : undefined;
    if (!record || !bytes) throw new ServiceError('not_found', 'No such attachment.');
    return { record, bytes, expiresAt: link.expires };
  }
}

export function tooLarge(size: number, max: number): ServiceError {
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  return new ServiceError('too_large', `The file is ${mb(size)}; files can be at most ${mb(max)}.`);
}
