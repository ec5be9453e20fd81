import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ObserveController, type AvailabilityView, type ChatClient, type ChatMessage, type ConnectionState, type ConversationEvent, type SessionView } from '@parley/sdk';
import { resolveLocale, type Locale } from '../strings/locale.js';
import type { WidgetStrings } from '../strings/strings.js';
import { resolveTheme } from '../theme/color-scheme.js';
import { attachButton, attachmentView, uploadList } from './attachment-parts.js';
import { AttachmentsController } from './attachments-controller.js';
import { conversationItems, conversationLine } from './conversation-items.js';
import { offlineForm, prechatForm } from './panel-forms.js';
import { ratingForm } from './rating-form.js';
import { parleyChatPanelStyles } from './parley-chat-panel.styles.js';
import { DEFAULT_PRECHAT_FIELDS, type PrechatField } from './prechat-field.js';
import { chime } from './chime.js';
import { statusLines } from './status-lines.js';
import { downloadTranscript } from './transcript-download.js';

/** What the panel needs of a client: `createChatClient`'s, or a fake in tests. */
export type PanelClient = Pick<
  ChatClient,
  | 'connection$'
  | 'availability$'
  | 'session$'
  | 'messages$'
  | 'events$'
  | 'typing$'
  | 'start'
  | 'send'
  | 'retry'
  | 'setTyping'
  | 'end'
  | 'rate'
  | 'markRead'
  | 'leaveMessage'
  | 'transcript'
  | 'identify'
> &
  /** I2: without it the panel offers no files. */
  Partial<Pick<ChatClient, 'attachmentAccess'>>;

/**
 * The chat panel: every state a chat goes through, rendered from the SDK's
 * observables. Loaded after the launcher (first open or idle).
 *
 * @summary The customer chat panel.
 * @fires parley-close - The customer asked to close the panel (close button or Escape).
 * @fires parley-availability - Availability changed; `detail` is the SDK's AvailabilityView.
 * @fires parley-unread - The count of agent messages not seen while closed; `detail` is the count.
 * @fires parley-message - An agent message arrived; `detail` is the ChatMessage.
 * @fires parley-session - The chat's state changed; `detail` is `{state}` (`none`, `waiting`, `active`, `inactive`, `ended`).
 * @fires parley-refused - The service refused this page's origin; `detail` says why.
 * @attr theme - `light`, `dark` or `auto` (follow the operating system); default: the host page's color scheme.
 * @csspart panel - The panel.
 * @csspart header - The title bar with the close button.
 * @csspart body - The scrolling conversation area.
 * @csspart notice - A status line (reconnecting, maintenance, read-only).
 * @csspart message - A message bubble; also `message-customer` or `message-agent`.
 * @csspart author - The author line of a message.
 * @csspart text - A message's text.
 * @csspart status - A message's sending/failed status.
 * @csspart attachment - A file in a message (I2): its download link, or its name until the link is known.
 * @csspart attachment-image - An image sent in the chat, shown inline.
 * @csspart attach - The composer's control that picks files to send.
 * @csspart uploads - Files being sent; each is an `upload` with its progress, cancel and retry.
 * @csspart event - A notice in the conversation (agent joined, changed).
 * @csspart composer - The message box and send button.
 * @csspart link - A link in a message.
 * @csspart actions - The buttons under an ended chat.
 * @csspart tick - A customer message's sent/delivered/read tick (with `status`; class `sent`, `delivered` or `read`).
 * @csspart rating - The rating form after the chat, or its thank-you.
 * @csspart confirm - The "End this chat?" question and its buttons.
 * @cssproperty --parley-panel-accent - Header and button colour.
 * @cssproperty --parley-panel-surface - Panel background.
 * @cssproperty --parley-panel-text - Text colour.
 * @cssproperty --parley-panel-bubble - Message bubble background.
 */
export class ParleyChatPanel extends LitElement {
  static override styles = parleyChatPanelStyles;
  static override properties = {
    client: { attribute: false },
    open: { type: Boolean, reflect: true },
    locale: { type: String },
    prechatFields: { attribute: false },
    hiddenFields: { attribute: false },
    strings: { attribute: false },
    sound: { type: Boolean },
    theme: { type: String },
    view: { state: true },
    confirmingEnd: { state: true },
    error: { state: true },
    ratingError: { state: true },
  };

  declare client: PanelClient | undefined;
  declare open: boolean;
  declare locale: string | undefined;
  declare prechatFields: readonly PrechatField[];
  /** C3: fields the page sets (order number, plan); sent with the pre-chat fields, never shown. */
  declare hiddenFields: Record<string, string>;
  /** Extra or replacement string tables, by language code. */
  declare strings: Record<string, Partial<WidgetStrings>>;
  declare sound: boolean;
  /** `light`, `dark` or `auto`; unset: the host page's scheme. */
  declare theme: string | undefined;
  /** C7: ending waits for a confirmation. */
  declare confirmingEnd: boolean;
  /** Local steps that are not chat state: the left-message thanks, a new chat being set up, a start refused for want of room. */
  declare view: 'chat' | 'left-message' | 'new-chat' | 'leave-message';
  declare error: string | undefined;
  declare ratingError: string | undefined;

  readonly #connection = new ObserveController<ConnectionState>(this, () => this.client?.connection$);
  // Only known availability is news to the page: the client's "not heard yet" would undo the launcher's first HTTP read.
  readonly #availability = new ObserveController<AvailabilityView | undefined>(this, () => this.client?.availability$, (value) => value && this.#emit('parley-availability', value));
  readonly #session = new ObserveController<SessionView>(this, () => this.client?.session$, (session) => {
    if (session.state === 'ended' || session.state === 'none') this.confirmingEnd = false;
    this.#emit('parley-session', { state: session.state });
  });
  readonly #messages = new ObserveController<ChatMessage[]>(this, () => this.client?.messages$, (messages) => this.#countUnread(messages));
  readonly #events = new ObserveController<ConversationEvent[]>(this, () => this.client?.events$);
  readonly #typing = new ObserveController<boolean>(this, () => this.client?.typing$);
  // Subscribed for its side effect: a refused origin is reported to the launcher.
  protected readonly refusal = new ObserveController<ConnectionState>(this, () => this.client?.connection$, (state) => {
    if (state.status === 'closed' && state.error?.code === 'forbidden') this.#emit('parley-refused', state.error.message);
  });
  /** I2: files sent and shown; only with a client that can send them. */
  readonly #files = new AttachmentsController(this, () => {
    const client = this.client;
    return client?.attachmentAccess ? { attachmentAccess: () => client.attachmentAccess!(), send: (text, options) => client.send(text, options) } : undefined;
  });
  /** C9: after the pre-chat form, focus goes to the composer as soon as it is there. */
  #focusComposer = false;
  #seen = new Set<string>();
  #unread = 0;
  #wasOpen = false;

  constructor() {
    super();
    this.open = false;
    this.prechatFields = DEFAULT_PRECHAT_FIELDS;
    this.hiddenFields = {};
    this.strings = {};
    this.sound = false;
    this.view = 'chat';
    this.confirmingEnd = false;
  }

  get #locale(): Locale {
    return resolveLocale(this.locale, this.strings);
  }

  override render() {
    if (!this.open) return nothing;
    const { strings: t, lang, dir } = this.#locale;
    const state = this.#session.value?.state;
    const endable = this.view === 'chat' && (state === 'waiting' || state === 'active' || state === 'inactive');
    return html`<section part="panel" role="dialog" aria-modal="false" aria-labelledby="title" lang=${lang} dir=${dir} @keydown=${this.#onKeydown} @dragover=${this.#dragOver} @drop=${this.#drop}>
      <div part="header">
        <h2 id="title">${t.panelTitle}</h2>
        <div>
          ${endable && !this.confirmingEnd ? html`<button class="quiet" id="end" @click=${this.#askToEnd}>${t.endChat}</button>` : nothing}
          <button class="quiet" @click=${() => this.#emit('parley-close')}>${t.close}</button>
        </div>
      </div>
      ${endable && this.confirmingEnd
        ? html`<div part="confirm" role="group" aria-labelledby="confirm-end">
            <p id="confirm-end">${t.endChatConfirm}</p>
            <button id="confirm-end-yes" @click=${this.#end}>${t.endChat}</button>
            <button class="quiet" id="keep-chatting" @click=${this.#keepChatting}>${t.keepChatting}</button>
          </div>`
        : nothing}
      ${this.#banners(t)}
      <div part="body">${this.#body(t)}</div>
      ${this.#composer(t)}
    </section>`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('theme') || !this.dataset.scheme) this.dataset.scheme = resolveTheme(this.theme);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open && !this.#wasOpen) {
      this.#unread = 0;
      this.#emit('parley-unread', 0);
      this.#markSeen();
      // C9: focus goes into the panel on open, to its first control.
      this.renderRoot.querySelector<HTMLElement>('[part=body] input, [part=body] textarea, #composer, [part=body] button')?.focus();
    }
    this.#wasOpen = this.open;
    const composer = this.renderRoot.querySelector<HTMLElement>('#composer');
    if (this.#focusComposer && composer) {
      this.#focusComposer = false;
      composer.focus();
    }
    const body = this.renderRoot.querySelector('[part=body]');
    if (body) body.scrollTop = body.scrollHeight;
  }

  #banners(t: WidgetStrings) {
    const lines = statusLines(t, this.#locale.lang, this.#connection.value, this.#availability.value, this.#inChat);
    return lines.map((line) => html`<p part="notice" role="status">${line}</p>`);
  }

  get #inChat(): boolean {
    const state = this.#session.value?.state ?? 'none';
    return state !== 'none' && !(state === 'ended' && this.view === 'new-chat');
  }

  #body(t: WidgetStrings) {
    const session = this.#session.value ?? { state: 'none' };
    if (this.view === 'left-message') return html`<p role="status">${t.offlineThanks}</p>`;
    if (this.view === 'leave-message') return offlineForm(t, this.error, this.#leaveMessage);
    if (session.state === 'none' || this.view === 'new-chat') {
      const availability = this.#availability.value;
      // M6: nothing can be started or left; say so instead of offering a form that must fail.
      if (availability?.reason === 'read-only') return html`<p part="notice" role="status">${t.readOnlyNoChat}</p>`;
      const answering = !availability || availability.online || availability.reason === 'capacity';
      return answering ? prechatForm(t, this.prechatFields, this.error, this.#start) : offlineForm(t, this.error, this.#leaveMessage);
    }
    return html`
      ${session.state === 'waiting' ? html`<p role="status">${t.waiting(session.position)}</p>` : nothing}
      <div role="log" aria-live="polite" aria-label=${t.panelTitle} tabindex="0">
        <ol>
          ${conversationItems(this.#messages.value ?? [], this.#events.value ?? []).map((item) => conversationLine(item, t, (id) => this.client?.retry(id), this.#attachment))}
        </ol>
      </div>
      ${this.#typing.value ? html`<p part="event" role="status">${t.typing(session.state === 'active' && session.agent ? session.agent.name : '')}</p>` : nothing}
      ${session.state === 'inactive' ? html`<p part="notice" role="status">${t.inactive}</p>` : nothing}
      ${session.state === 'ended'
        ? html`<p role="status">${t.ended}</p>
            ${ratingForm(t, (this.#events.value ?? []).some((event) => event.kind === 'rating'), this.ratingError, this.#rate)}
            <div part="actions">
              <button @click=${() => (this.view = 'new-chat')}>${t.newChat}</button>
              <button class="quiet" @click=${() => this.client && downloadTranscript(this.client, this.#locale)}>${t.downloadTranscript}</button>
            </div>`
        : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
    `;
  }

  #composer(t: WidgetStrings) {
    const state = this.#session.value?.state;
    if (!state || state === 'none' || state === 'ended' || this.view !== 'chat') return nothing;
    return html`${uploadList(this.#files.uploads, t, this.#files.files)}<form part="composer" @submit=${this.#send}>
      <label class="visually-hidden" for="composer">${t.composerLabel}</label>
      <textarea id="composer" name="text" rows="2" maxlength="4000" @keydown=${this.#composerKeydown} @input=${this.#typingInput} @paste=${this.#drop}></textarea>
      ${this.client?.attachmentAccess ? attachButton(t, this.#picked) : nothing}
      <button type="submit">${t.send}</button>
    </form>`;
  }

  /** C7: ending is one step further than sending, never beside it. */
  async #askToEnd() {
    this.confirmingEnd = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#keep-chatting')?.focus();
  }

  async #keepChatting() {
    this.confirmingEnd = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#composer, #end')?.focus();
  }

  async #end() {
    this.confirmingEnd = false;
    try {
      await this.client?.end();
    } catch (error) {
      this.error = (error as Error).message || this.#locale.strings.errorGeneric;
    }
  }

  #start = async (event: SubmitEvent) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
    this.error = undefined;
    try {
      this.#focusComposer = true;
      await this.client?.start({ ...this.hiddenFields, ...fields });
      this.view = 'chat';
      this.requestUpdate();
    } catch (error) {
      this.#focusComposer = false;
      this.error = (error as Error).message || this.#locale.strings.errorGeneric;
      // The queue is full, or nobody can answer after all: the message says so, and the form to leave one follows.
      const { code } = error as { code?: string };
      if (code === 'queue_full' || code === 'offline') this.view = 'leave-message';
    }
  };

  /** I3: the rating after the chat; the thank-you follows from the transcript's rating event. */
  #rate = async (event: SubmitEvent) => {
    event.preventDefault();
    const fields = new FormData(event.target as HTMLFormElement);
    this.ratingError = undefined;
    try {
      await this.client?.rate(Number(fields.get('score')), String(fields.get('comment') ?? ''));
    } catch (error) {
      this.ratingError = (error as Error).message || this.#locale.strings.errorGeneric;
    }
  };

  #leaveMessage = async (event: SubmitEvent) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as { name: string; email: string; text: string };
    this.error = undefined;
    try {
      await this.client?.leaveMessage(fields);
      this.view = 'left-message';
    } catch (error) {
      this.error = (error as Error).message || this.#locale.strings.errorGeneric;
    }
  };

  async #send(event: SubmitEvent) {
    event.preventDefault();
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('#composer')!;
    const text = box.value;
    if (text.trim().length === 0) return;
    box.value = '';
    this.client?.setTyping(false);
    try {
      await this.client?.send(text);
      this.error = undefined;
    } catch (error) {
      box.value = text;
      this.error = (error as Error).message;
    }
  }

  #attachment = (message: ChatMessage) => (message.attachment ? attachmentView(message.attachment, this.#files.url(message.attachment)) : nothing);

  /** I2: files arrive by the button, by drop on the panel, or pasted into the composer. */
  #picked = (event: Event) => {
    const input = event.target as HTMLInputElement;
    this.#files.send(input.files ?? undefined);
    input.value = '';
  };

  /** Only while the composer is there (a chat is open) and the client can send files. */
  #dragOver = (event: DragEvent) => {
    if (this.client?.attachmentAccess && this.renderRoot.querySelector('#composer')) event.preventDefault();
  };

  /** A drop on the panel or a paste into the composer: its files, if any, are sent; text is left alone. */
  #drop = (event: DragEvent | ClipboardEvent) => {
    const files = ((event as DragEvent).dataTransfer ?? (event as ClipboardEvent).clipboardData)?.files;
    if (!files?.length || !this.client?.attachmentAccess || !this.renderRoot.querySelector('#composer')) return;
    event.preventDefault();
    this.#files.send(files);
  };

  /** Enter sends; Shift+Enter is a new line. */
  #composerKeydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  #typingInput(event: InputEvent) {
    this.client?.setTyping((event.target as HTMLTextAreaElement).value.length > 0);
  }

  #onKeydown(event: KeyboardEvent) {
    if (event.key === 'Escape') this.#emit('parley-close');
  }

  #countUnread(messages: ChatMessage[]) {
    const fresh = messages.filter((message) => message.from !== 'customer' && message.status === 'sent' && !this.#seen.has(message.id));
    if (fresh.length === 0) return;
    for (const message of fresh) this.#emit('parley-message', message);
    if (this.open && document.visibilityState !== 'hidden') {
      this.#markSeen();
      return;
    }
    this.#unread += fresh.length;
    for (const message of fresh) this.#seen.add(message.id);
    this.#emit('parley-unread', this.#unread);
    if (this.sound) chime();
  }

  #markSeen() {
    for (const message of this.#messages.value ?? []) this.#seen.add(message.id);
    // I4: the panel is open and the page visible: the agent's messages so far are read.
    this.client?.markRead();
  }

  #visible = () => {
    if (this.open && document.visibilityState === 'visible') this.#markSeen();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#visible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#visible);
  }

  #emit(type: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-availability': CustomEvent<AvailabilityView>;
    'parley-unread': CustomEvent<number>;
    'parley-message': CustomEvent<ChatMessage>;
    'parley-session': CustomEvent<{ state: SessionView['state'] }>;
    'parley-refused': CustomEvent<string>;
  }
}
