import { html, nothing } from 'lit';
import type { AttachmentRef } from '@parley/protocol';
import type { AttachmentSender, Upload } from '@parley/sdk/attachments';
import type { WidgetStrings } from '../strings/strings.js';

// Templates on one line: their white space would ship to every browser.

/**
 * I2: a file in a message. Images show inline (the service serves only raster images inline and
 * never SVG); anything else is a download link. Until its signed link is known, just its name.
 */
export function attachmentView(attachment: AttachmentRef, url: string | undefined) {
  if (!url) return html`<span part="attachment">${attachment.name}</span>`;
  return attachment.type.startsWith('image/')
    ? html`<img part="attachment-image" src=${url} alt=${attachment.name} />`
    : html`<a part="attachment" href=${url} download=${attachment.name}>${attachment.name}</a>`;
}

/**
 * The composer's control that picks files: a label around a visually hidden file input, so the
 * input itself takes the focus and the keys, and a click anywhere on the label opens the picker.
 * It shows a plain "+" (every font has it; an emoji font is not everywhere) and says "Attach".
 */
export function attachButton(t: WidgetStrings, picked: (event: Event) => void) {
  return html`<label part="attach">+<input type="file" class="visually-hidden" multiple aria-label=${t.attach} @change=${picked} /></label>`;
}

/** Files on their way: progress and cancel, or why one failed, with retry (I2). */
export function uploadList(uploads: readonly Upload[], t: WidgetStrings, files: AttachmentSender | undefined) {
  if (uploads.length === 0 || !files) return nothing;
  return html`<ol part="uploads">${uploads.map(
    (upload) =>
      html`<li part="upload">${upload.name} ${upload.status === 'failed' ? html`<span part="status" class="failed">${upload.error}</span><button class="quiet" @click=${() => files.retry(upload.id).catch(() => {})}>${t.retry}</button>` : html`<progress max=${upload.size} .value=${upload.loaded} aria-label=${upload.name}></progress>`}<button class="quiet" @click=${() => files.cancel(upload.id)}>${t.cancel}</button></li>`,
  )}</ol>`;
}
