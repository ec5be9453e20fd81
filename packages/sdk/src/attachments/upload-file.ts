import type { AttachmentRef } from '@parley/protocol';
import type { AttachmentAccess } from '../chat/chat-client.js';
import { httpError } from '../chat/chat-http.js';
import { ParleyError } from '../errors/parley-error.js';

export interface UploadOptions {
  /** The idempotency key: the cmid of the message the file goes with. The same key again stores nothing more. */
  key: string;
  /** The name shown and used for downloads (default: the File's own name). */
  name?: string | undefined;
  /** Bytes sent so far, as they go. */
  onProgress?: ((loaded: number, total: number) => void) | undefined;
  /** Aborting it cancels the upload (a `ParleyError` with code `cancelled`). */
  signal?: AbortSignal | undefined;
}

/** `POST /v1/attachments` or `GET …/link`, with the session for agents. */
const address = (access: AttachmentAccess, path: string, query: Record<string, string> = {}) =>
  `${access.endpoint.replace(/\/$/, '')}/v1/attachments${path}?${new URLSearchParams(access.session ? { ...query, session: access.session } : query)}`;


/**
 * I2: uploads one file (`POST /v1/attachments`, the raw bytes). XMLHttpRequest rather than fetch:
 * it is what reports upload progress in every browser. The service reads the type from the
 * content; a refusal rejects with its code (`too_large`, `unsupported_type`, …), a lost
 * connection with `network` (upload again with the same key: it is stored once).
 */
export function uploadFile(access: AttachmentAccess, file: Blob, options: UploadOptions): Promise<AttachmentRef> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    const cancelled = () => reject(new ParleyError('cancelled', 'Upload cancelled.'));
    if (signal?.aborted) return cancelled();
    const request = new XMLHttpRequest();
    signal?.addEventListener('abort', () => request.abort());
    request.open('POST', address(access, '', { key: options.key, name: options.name ?? (file as Partial<File>).name ?? 'file' }));
    request.setRequestHeader('authorization', `Bearer ${access.token}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total);
    request.onloadend = () => {
      if (signal?.aborted) cancelled();
      else if (!request.status) reject(new ParleyError('network', 'The upload did not reach the service.'));
      else if (request.status === 201) resolve((JSON.parse(request.responseText) as { attachment: AttachmentRef }).attachment);
      else void httpError(new Response(request.responseText, { status: request.status })).then(reject);
    };
    request.send(file);
  });
}

/** A signed link to an attachment's bytes, for `<img src>` or a download; it works for a few minutes. */
export async function attachmentLink(access: AttachmentAccess, attachmentId: string): Promise<{ url: string; expiresAt: number }> {
  const response = await fetch(address(access, `/${encodeURIComponent(attachmentId)}/link`), { headers: { authorization: `Bearer ${access.token}` } });
  if (!response.ok) throw await httpError(response);
  const link = (await response.json()) as { url: string; expiresAt: number };
  return { url: new URL(link.url, access.endpoint).href, expiresAt: link.expiresAt };
}
