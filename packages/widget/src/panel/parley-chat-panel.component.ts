import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ObserveController, type AvailabilityView, type ChatClient, type ChatMessage, type ChatNotice, type ConnectionState, type SessionView } from '@parley/sdk';
import { resolveLocale, type Locale } from '../strings/locale.js';
import type { WidgetStrings } from '../strings/strings.js';
import { messageText } from './message-text.js';
import { parleyChatPanelStyles } from './parley-chat-panel.styles.js';
import { DEFAULT_PRECHAT_FIELDS, type PrechatField } from './prechat-field.js';

/** What the panel needs of a client: `createChatClient`'s, or a fake in tests. */
export type PanelClient = Pick<
  ChatClient,
  'connection$' | 'availability$' | 'session$' | 'messages$' | 'typing$' | 'notices$' | 'start' | 'send' | 'retry' | 'setTyping' | 'end' | 'leaveMessage' | 'transcript'
>;

type Notice = { text: string; at: number };

/**
 * The chat panel: every state a chat goes through, rendered from the SDK's
 * observables. Loaded after the launcher (first open or idle).
 *
 * @summary The customer chat panel.
 * @fires parley-close - The customer asked to close the panel (close button or Escape).
 * @fires parley-availability - Availability changed; `detail` is the SDK's AvailabilityView.
 * @fires parley-unread - The count of agent messages not seen while closed; `detail` is the count.
 * @fires parley-message - An agent message arrived; `detail` is the ChatMessage.
 * @csspart panel - The panel.
 * @csspart header - The title bar with the close button.
 * @csspart body - The scrolling conversation area.
 * @csspart notice - A status line (reconnecting, maintenance, read-only).
 * @csspart message - A message bubble; also `message-customer` or `message-agent`.
 * @csspart author - The author line of a message.
 * @csspart text - A message's text.
 * @csspart status - A message's sending/failed status.
 * @csspart event - A notice in the conversation (agent joined, changed).
 * @csspart composer - The message box and send button.
 * @csspart link - A link in a message.
 * @csspart actions - The buttons under an ended chat.
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
    view: { state: true },
    error: { state: true },
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
  /** Local steps that are not chat state: the left-message thanks, a new chat being set up. */
  declare view: 'chat' | 'left-message' | 'new-chat';
  declare error: string | undefined;

  readonly #connection = new ObserveController<ConnectionState>(this, () => this.client?.connection$);
  readonly #availability = new ObserveController<AvailabilityView | undefined>(this, () => this.client?.availability$, (value) => this.#emit('parley-availability', value));
  readonly #session = new ObserveController<SessionView>(this, () => this.client?.session$);
  readonly #messages = new ObserveController<ChatMessage[]>(this, () => this.client?.messages$, (messages) => this.#countUnread(messages));
  readonly #typing = new ObserveController<boolean>(this, () => this.client?.typing$);
  // Subscribed for its side effect: notices become lines in the conversation.
  protected readonly notices = new ObserveController<ChatNotice>(this, () => this.client?.notices$, (notice) => this.#notice(notice));
  #events: Notice[] = [];
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
  }

  get #locale(): Locale {
    return resolveLocale(this.locale, this.strings);
  }

  override render() {
    if (!this.open) return nothing;
    const { strings: t, lang, dir } = this.#locale;
    return html`<section part="panel" role="dialog" aria-modal="false" aria-labelledby="title" lang=${lang} dir=${dir} @keydown=${this.#onKeydown}>
      <div part="header">
        <h2 id="title">${t.panelTitle}</h2>
        <button class="quiet" @click=${() => this.#emit('parley-close')}>${t.close}</button>
      </div>
      ${this.#banners(t)}
      <div part="body">${this.#body(t)}</div>
      ${this.#composer(t)}
    </section>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open && !this.#wasOpen) {
      this.#unread = 0;
      this.#emit('parley-unread', 0);
      this.#markSeen();
      // C9: focus goes into the panel on open, to its first control.
      this.renderRoot.querySelector<HTMLElement>('input, textarea, [part=body] button')?.focus();
    }
    this.#wasOpen = this.open;
    const body = this.renderRoot.querySelector('[part=body]');
    if (body) body.scrollTop = body.scrollHeight;
  }

  #banners(t: WidgetStrings) {
    const connection = this.#connection.value;
    const availability = this.#availability.value;
    const lines: string[] = [];
    if (connection?.status === 'reconnecting') lines.push(t.reconnecting);
    const window = availability?.window;
    if (window) {
      // Under way is the service's word (reason `maintenance`), not the customer's clock, which may be wrong.
      const underWay = availability?.reason === 'maintenance';
      const until = new Date(window.endsAt).toLocaleString(this.#locale.lang);
      lines.push(underWay ? t.maintenanceNow(until) : t.maintenanceAhead(new Date(window.startsAt).toLocaleString(this.#locale.lang)));
    } else if (connection?.status === 'maintenance' && connection.until) {
      lines.push(t.maintenanceNow(new Date(connection.until).toLocaleString(this.#locale.lang)));
    }
    if (availability?.reason === 'read-only') lines.push(t.readOnly);
    return lines.map((line) => html`<p part="notice" role="status">${line}</p>`);
  }

  #body(t: WidgetStrings) {
    const session = this.#session.value ?? { state: 'none' };
    if (this.view === 'left-message') return html`<p role="status">${t.offlineThanks}</p>`;
    if (session.state === 'none' || this.view === 'new-chat') {
      const availability = this.#availability.value;
      const answering = !availability || availability.online || availability.reason === 'capacity';
      return answering ? this.#prechatForm(t) : this.#offlineForm(t);
    }
    return html`
      ${session.state === 'waiting' ? html`<p role="status">${t.waiting(session.position)}</p>` : nothing}
      <div role="log" aria-live="polite" aria-label=${t.panelTitle}>
        <ol>
          ${this.#events.map((event) => html`<li part="event">${event.text}</li>`)}
          ${(this.#messages.value ?? []).map((message) => this.#message(message, t))}
        </ol>
      </div>
      ${this.#typing.value ? html`<p part="event" role="status">${t.typing(session.state === 'active' && session.agent ? session.agent.name : '')}</p>` : nothing}
      ${session.state === 'inactive' ? html`<p part="notice" role="status">${t.inactive}</p>` : nothing}
      ${session.state === 'ended'
        ? html`<p role="status">${t.ended}</p>
            <div part="actions">
              <button @click=${() => (this.view = 'new-chat')}>${t.newChat}</button>
              <button class="quiet" @click=${() => this.#download()}>${t.downloadTranscript}</button>
            </div>`
        : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
    `;
  }

  #message(message: ChatMessage, t: WidgetStrings) {
    const mine = message.from === 'customer';
    return html`<li part="message message-${mine ? 'customer' : 'agent'}">
      <span part="author">${mine ? t.you : message.author}</span>
      <span part="text">${messageText(message.text)}</span>
      ${message.status === 'queued' || message.status === 'sending' ? html`<span part="status">${t.sending}</span>` : nothing}
      ${message.status === 'failed'
        ? html`<span part="status" class="failed">${t.failed} <button class="quiet" @click=${() => this.client?.retry(message.id)}>${t.retry}</button></span>`
        : nothing}
    </li>`;
  }

  #prechatForm(t: WidgetStrings) {
    return html`<form @submit=${this.#start}>
      <p>${t.prechatIntro}</p>
      ${this.prechatFields.map(
        (field) => html`<label>${field.label}${field.required ? html`<span class="visually-hidden"> (${t.required})</span>` : nothing}
          <input name=${field.name} type=${field.type ?? 'text'} ?required=${field.required ?? false} autocomplete=${field.type === 'email' ? 'email' : field.name === 'name' ? 'name' : 'off'} />
        </label>`,
      )}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <button type="submit">${t.startChat}</button>
    </form>`;
  }

  #offlineForm(t: WidgetStrings) {
    return html`<form @submit=${this.#leaveMessage}>
      <h3>${t.offlineTitle}</h3>
      <p>${t.offlineIntro}</p>
      <label>${t.name}<input name="name" required autocomplete="name" /></label>
      <label>${t.email}<input name="email" type="email" required autocomplete="email" /></label>
      <label>${t.message}<textarea name="text" required rows="4"></textarea></label>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      <button type="submit">${t.sendMessage}</button>
    </form>`;
  }

  #composer(t: WidgetStrings) {
    const state = this.#session.value?.state;
    if (!state || state === 'none' || state === 'ended' || this.view !== 'chat') return nothing;
    return html`<form part="composer" @submit=${this.#send}>
      <label class="visually-hidden" for="composer">${t.composerLabel}</label>
      <textarea id="composer" name="text" rows="2" maxlength="4000" @keydown=${this.#composerKeydown} @input=${this.#typingInput}></textarea>
      <button type="submit">${t.send}</button>
      ${state === 'active' ? html`<button type="button" class="quiet" @click=${() => this.client?.end()}>${t.endChat}</button>` : nothing}
    </form>`;
  }

  async #start(event: SubmitEvent) {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
    this.error = undefined;
    try {
      await this.client?.start({ ...this.hiddenFields, ...fields });
      this.#events = [];
      this.view = 'chat';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#composer')?.focus();
    } catch (error) {
      this.error = (error as Error).message || this.#locale.strings.errorGeneric;
    }
  }

  async #leaveMessage(event: SubmitEvent) {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as { name: string; email: string; text: string };
    this.error = undefined;
    try {
      await this.client?.leaveMessage(fields);
      this.view = 'left-message';
    } catch (error) {
      this.error = (error as Error).message || this.#locale.strings.errorGeneric;
    }
  }

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

  #notice(notice: ChatNotice) {
    const t = this.#locale.strings;
    if (notice.kind === 'agent-joined') this.#events = [...this.#events, { text: t.agentJoined(notice.agent.name), at: Date.now() }];
    if (notice.kind === 'agent-changed') this.#events = [...this.#events, { text: t.agentChanged(notice.agent.name), at: Date.now() }];
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
  }

  #download() {
    const blob = new Blob([this.client?.transcript() ?? ''], { type: 'text/plain;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'chat-transcript.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  }

  #emit(type: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

/** C8: a short, quiet tone for a new message; no audio file to fetch. */
function chime(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    volume.gain.value = 0.05;
    tone.frequency.value = 880;
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
    tone.onended = () => void audio.close();
  } catch {
    // No audio (autoplay policy, no device): the unread count still shows.
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-availability': CustomEvent<AvailabilityView | undefined>;
    'parley-unread': CustomEvent<number>;
    'parley-message': CustomEvent<ChatMessage>;
  }
}
