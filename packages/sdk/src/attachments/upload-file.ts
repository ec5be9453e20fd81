import type { AttachmentRef } from '@parley/protocol';
import type { AttachmentAccess } from '../chat/chat-client.js';
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

const base = (access: AttachmentAccess) => access.endpoint.replace(/\/$/, '');
const sessionQuery = (access: AttachmentAccess): Record<string, string> => (access.session ? { session: access.session } : {});

/**
 * I2: uploads one file (`POST /v1/attachments`, the raw bytes). XMLHttpRequest rather than fetch:
 * it is what reports upload progress in every browser. The service reads the type from the
 * content; a refusal rejects with its code (`too_large`, `unsupported_type`, …), a lost
 * connection with `network` (upload again with the same key: it is stored once).
 */
export function uploadFile(access: AttachmentAccess, file: Blob, options: UploadOptions): Promise<AttachmentRef> {
  const name = options.name ?? (file as Partial<File>).name ?? 'file';
  const query = new URLSearchParams({ key: options.key, name, ...sessionQuery(access) });
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const cancel = () => request.abort();
    if (options.signal?.aborted) return reject(cancelled());
    options.signal?.addEventListener('abort', cancel);
    request.open('POST', `${base(access)}/v1/attachments?${query}`);
    request.setRequestHeader('authorization', `Bearer ${access.token}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total);
    request.onloadend = () => {
      options.signal?.removeEventListener('abort', cancel);
      if (options.signal?.aborted) return reject(cancelled());
      if (request.status === 0) return reject(new ParleyError('network', 'The upload did not reach the service.'));
      const body = parse(request.responseText) as { attachment?: AttachmentRef; error?: { code: string; message: string } };
      if (request.status === 201 && body.attachment) resolve(body.attachment);
      else reject(new ParleyError(body.error?.code ?? 'http_error', body.error?.message ?? `The service answered ${request.status}.`));
    };
    request.send(file);
  });
}

/** A signed link to an attachment's bytes, for `<img src>` or a download; it works for a few minutes. */
export async function attachmentLink(access: AttachmentAccess, attachmentId: string, fetcher: typeof fetch = fetch): Promise<{ url: string; expiresAt: number }> {
  const query = new URLSearchParams(sessionQuery(access));
  const response = await fetcher(`${base(access)}/v1/attachments/${encodeURIComponent(attachmentId)}/link?${query}`, { headers: { authorization: `Bearer ${access.token}` } });
  const body = (await response.json().catch(() => ({}))) as { url?: string; expiresAt?: number; error?: { code: string; message: string } };
  if (!response.ok || !body.url) throw new ParleyError(body.error?.code ?? 'http_error', body.error?.message ?? `The service answered ${response.status}.`);
  return { url: new URL(body.url, `${base(access)}/`).href, expiresAt: body.expiresAt! };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

const cancelled = () => new ParleyError('cancelled', 'The upload was cancelled.');
