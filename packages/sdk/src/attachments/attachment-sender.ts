import { BehaviorSubject, type Observable } from 'rxjs';
import type { AttachmentRef } from '@parley/protocol';
import type { AttachmentAccess } from '../chat/chat-client.js';
import { ParleyError } from '../errors/parley-error.js';
import { uuidv7 } from '../ids/uuid-v7.js';
import type { SendOptions } from '../outbox/write-to-outbox.js';
import { attachmentLink, uploadFile } from './upload-file.js';

/** What sends messages with files: a customer's `ChatClient`, or `agentSession(agent, sessionId)`. */
export interface AttachmentTarget {
  attachmentAccess(): Promise<AttachmentAccess>;
  send(text: string, options?: SendOptions): Promise<string>;
}

/** A file on its way, before its message is in the outbox. */
export interface Upload {
  /** The cmid of the message it goes with, and the upload's idempotency key. */
  id: string;
  name: string;
  size: number;
  /** Bytes sent so far. */
  loaded: number;
  status: 'uploading' | 'failed';
  /** When `failed`: why (`code` is the service's, or `network`). */
  code?: string | undefined;
  error?: string | undefined;
  /** The file itself, kept for a retry (and a local preview). */
  file: Blob;
}

export interface AttachmentSender {
  /** Files being uploaded, and failed ones kept for a retry. An upload leaves once its message is in the outbox. */
  readonly uploads$: Observable<readonly Upload[]>;
  /** Uploads the file, then sends a message with it (and `text`); resolves with the message's cmid. */
  send(file: Blob, options?: { text?: string; name?: string }): Promise<string>;
  /** Uploads a failed file again with the same key (the service stores it once), then sends its message. */
  retry(id: string): Promise<string>;
  /** Stops an upload under way, or forgets a failed one. */
  cancel(id: string): void;
  /** A signed link to an attachment of the chat, for `<img src>` or a download (cached until shortly before it expires). */
  link(attachment: AttachmentRef | string): Promise<string>;
}

/** I2, agents: the target for one session of an agent client. */
export function agentSession(agent: { attachmentAccess(sessionId: string): Promise<AttachmentAccess>; reply(sessionId: string, text: string, options?: SendOptions): Promise<string> }, sessionId: string): AttachmentTarget {
  return { attachmentAccess: () => agent.attachmentAccess(sessionId), send: (text, options) => agent.reply(sessionId, text, options) };
}

/** Links are asked for again this long before they expire, so a page never renders a dead one. */
const LINK_MARGIN_MS = 30_000;

/**
 * I2: files in a chat, exactly once. A file is uploaded with the message's cmid as its key, then
 * the message naming it goes through the client's outbox like any other. A failed upload stays in
 * `uploads$` with its file until retried (same key: stored once) or cancelled.
 *
 * @example
 * const files = createAttachmentSender(chat);
 * files.uploads$.subscribe((uploads) => renderProgress(uploads));
 * await files.send(input.files[0], { text: 'The error I get' });
 */
export function createAttachmentSender(target: AttachmentTarget): AttachmentSender {
  const uploads$ = new BehaviorSubject<readonly Upload[]>([]);
  const aborts = new Map<string, AbortController>();
  const texts = new Map<string, string>();
  const links = new Map<string, { url: string; expiresAt: number }>();
  const update = (id: string, patch: Partial<Upload> | undefined) =>
    uploads$.next(uploads$.value.flatMap((upload) => (upload.id !== id ? [upload] : patch ? [{ ...upload, ...patch }] : [])));

  const run = async (upload: Upload): Promise<string> => {
    const abort = new AbortController();
    aborts.set(upload.id, abort);
    try {
      const access = await target.attachmentAccess();
      const attachment = await uploadFile(access, upload.file, {
        key: upload.id,
        name: upload.name,
        signal: abort.signal,
        onProgress: (loaded) => update(upload.id, { loaded }),
      });
      const cmid = await target.send(texts.get(upload.id) ?? '', { attachment, cmid: upload.id });
      update(upload.id, undefined);
      texts.delete(upload.id);
      return cmid;
    } catch (error) {
      const failure = error instanceof ParleyError ? error : new ParleyError('network', String(error));
      if (failure.code === 'cancelled') update(upload.id, undefined);
      else update(upload.id, { status: 'failed', code: failure.code, error: failure.message });
      throw failure;
    } finally {
      aborts.delete(upload.id);
    }
  };

  return {
    uploads$,
    send(file, options = {}) {
      const upload: Upload = { id: uuidv7(), name: options.name ?? (file as Partial<File>).name ?? 'file', size: file.size, loaded: 0, status: 'uploading', file };
      if (options.text) texts.set(upload.id, options.text);
      uploads$.next([...uploads$.value, upload]);
      return run(upload);
    },
    retry(id) {
      const upload = uploads$.value.find((candidate) => candidate.id === id && candidate.status === 'failed');
      if (!upload) return Promise.reject(new ParleyError('not_found', 'No failed upload with this id.'));
      update(id, { status: 'uploading', loaded: 0, code: undefined, error: undefined });
      return run({ ...upload, status: 'uploading', loaded: 0 });
    },
    cancel(id) {
      const abort = aborts.get(id);
      if (abort) abort.abort();
      else update(id, undefined);
      texts.delete(id);
    },
    async link(attachment) {
      const id = typeof attachment === 'string' ? attachment : attachment.id;
      const cached = links.get(id);
      if (cached && cached.expiresAt - LINK_MARGIN_MS > Date.now()) return cached.url;
      const fresh = await attachmentLink(await target.attachmentAccess(), id);
      links.set(id, fresh);
      return fresh.url;
    },
  };
}
