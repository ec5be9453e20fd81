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
  /** Uploads the file, then sends a message with it; resolves with the message's cmid. */
  send(file: Blob, options?: { name?: string }): Promise<string>;
  /** Uploads a failed file again with the same key (the service stores it once), then sends its message. */
  retry(id: string): Promise<string>;
  /** Stops an upload under way, or forgets a failed one. */
  cancel(id: string): void;
  /** A signed link to an attachment of the chat, for `<img src>` or a download, and until when it works. */
  link(attachment: AttachmentRef): Promise<{ url: string; expiresAt: number }>;
}

/** I2, agents: the target for one session of an agent client. */
export function agentSession(agent: { attachmentAccess(sessionId: string): Promise<AttachmentAccess>; reply(sessionId: string, text: string, options?: SendOptions): Promise<string> }, sessionId: string): AttachmentTarget {
  return { attachmentAccess: () => agent.attachmentAccess(sessionId), send: (text, options) => agent.reply(sessionId, text, options) };
}

/**
 * I2: files in a chat, exactly once. A file is uploaded with the message's cmid as its key, then
 * the message naming it goes through the client's outbox like any other. A failed upload stays in
 * `uploads$` with its file until retried (same key: stored once) or cancelled.
 *
 * @example
 * const files = createAttachmentSender(chat);
 * files.uploads$.subscribe((uploads) => renderProgress(uploads));
 * await files.send(input.files[0]);
 */
export function createAttachmentSender(target: AttachmentTarget): AttachmentSender {
  const uploads$ = new BehaviorSubject<readonly Upload[]>([]);
  const aborts = new Map<string, AbortController>();
  const update = (id: string, patch: Partial<Upload> | undefined) =>
    uploads$.next(uploads$.value.flatMap((upload) => (upload.id !== id ? [upload] : patch ? [{ ...upload, ...patch }] : [])));

  const run = async (upload: Upload): Promise<string> => {
    const abort = new AbortController();
    aborts.set(upload.id, abort);
    try {
      const attachment = await uploadFile(await target.attachmentAccess(), upload.file, {
        key: upload.id,
        name: upload.name,
        signal: abort.signal,
        onProgress: (loaded) => update(upload.id, { loaded }),
      });
      await target.send('', { attachment, cmid: upload.id });
      update(upload.id, undefined);
      return upload.id;
    } catch (error) {
      const { code, message } = error as ParleyError;
      update(upload.id, code === 'cancelled' ? undefined : { status: 'failed', code, error: message });
      throw error;
    } finally {
      aborts.delete(upload.id);
    }
  };

  return {
    uploads$,
    send(file, options = {}) {
      const upload: Upload = { id: uuidv7(), name: options.name ?? (file as Partial<File>).name ?? 'file', size: file.size, loaded: 0, status: 'uploading', file };
      uploads$.next([...uploads$.value, upload]);
      return run(upload);
    },
    retry(id) {
      const upload = uploads$.value.find((candidate) => candidate.id === id && candidate.status === 'failed');
      if (!upload) return Promise.reject(new ParleyError('not_found', 'No such failed upload.'));
      update(id, { status: 'uploading', loaded: 0, code: undefined, error: undefined });
      return run(upload);
    },
    cancel(id) {
      aborts.get(id)?.abort();
      update(id, undefined);
    },
    link: async (attachment) => attachmentLink(await target.attachmentAccess(), attachment.id),
  };
}
