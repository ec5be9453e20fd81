import type { ReactiveControllerHost } from 'lit';
import type { AttachmentRef } from '@parley/protocol';
import { createAttachmentSender, type AttachmentSender, type AttachmentTarget, type Upload } from '@parley/sdk/attachments';

/** A link is asked for again this long before it expires, so the panel never shows a dead one. */
const LINK_MARGIN_MS = 30_000;

/**
 * I2 in the panel: files the customer sends (button, drop, paste) and signed links to the files
 * of the chat. The sender is made on first use, so a chat without files costs nothing at run time.
 * Its subscription lives as long as the panel (it holds nothing else), so there is nothing to undo.
 */
export class AttachmentsController {
  uploads: readonly Upload[] = [];
  readonly #links = new Map<string, { url: string; expiresAt: number } | undefined>();
  #sender: AttachmentSender | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => AttachmentTarget | undefined,
  ) {}

  get files(): AttachmentSender | undefined {
    const target = this.target();
    if (!this.#sender && target) {
      this.#sender = createAttachmentSender(target);
      this.#sender.uploads$.subscribe((uploads) => {
        this.uploads = uploads;
        this.host.requestUpdate();
      });
    }
    return this.#sender;
  }

  /** Sends each file as a message of its own; a failure stays in `uploads`, with retry. */
  send(files: Iterable<File> | undefined): void {
    for (const file of files ?? []) this.files?.send(file).catch(() => {});
  }

  /** The file's signed link, asked for when unknown or nearly expired; undefined until it comes. */
  url(attachment: AttachmentRef): string | undefined {
    const link = this.#links.get(attachment.id);
    if (!this.#links.has(attachment.id) || (link && link.expiresAt - LINK_MARGIN_MS < Date.now())) {
      // Marked as asked for, so the renders meanwhile do not ask again.
      this.#links.set(attachment.id, link);
      this.files?.link(attachment).then(
        (fresh) => {
          this.#links.set(attachment.id, fresh);
          this.host.requestUpdate();
        },
        () => this.#links.delete(attachment.id),
      );
    }
    return link?.url;
  }
}
