import type { AvailabilityView, SessionView } from '@parley/sdk';
import type { ParleyChatPanel } from '../panel/parley-chat-panel.component.js';
import type { PanelModule } from '../panel/panel-entry.js';
import { parsePrechatFields } from '../panel/prechat-field.js';
import { resolveLocale } from '../strings/locale.js';
import { resolveTheme } from '../theme/color-scheme.js';
import { LAUNCHER_CSS } from './launcher-styles.js';

let sheet: CSSStyleSheet | undefined;

/**
 * The customer chat widget: a launcher that follows live availability and
 * shows unread messages, and the chat panel, loaded when the page is idle or
 * on the first open. The launcher is plain DOM so the first load stays small.
 *
 * @summary Customer live chat for any page.
 * @attr endpoint - The chat service's base URL (default: the script's origin for the script tag).
 * @attr button - The chat button (queue) to use.
 * @attr locale - Language code (`en`, `fr`, `ar`, …); default: the page's `lang`, then the browser's.
 * @attr open - Whether the panel is open.
 * @attr sound - Play a short tone for new messages while minimised.
 * @attr prechat-fields - JSON array of pre-chat fields: `[{"name","label","type?","required?"}]`.
 * @attr theme - `light`, `dark` or `auto` (follow the operating system); default: the host page's color scheme.
 * @attr user-token - I1: a JWT the site's backend signed for its signed-in user; their chat follows them across browsers.
 * @fires parley-open - The panel opened.
 * @fires parley-close - The panel closed.
 * @fires parley-message - An agent message arrived; `detail` is the message.
 * @fires parley-availability - Availability changed; `detail` has `online`, `reason`, `stale`, `window?`.
 * @fires parley-unread - The unread count changed; `detail` is the count.
 * @csspart launcher - The launcher button.
 * @csspart unread - The unread count on the launcher.
 * @cssproperty --parley-color-accent - The accent colour everything defaults to.
 * @cssproperty --parley-launcher-accent - The launcher's background.
 *
 * @example
 * <parley-chat endpoint="https://chat.example.com" button="sales"></parley-chat>
 */
export class ParleyChat extends HTMLElement {
  static observedAttributes = ['open', 'locale', 'theme'];
  /** How the panel module is loaded: a bundler import for npm, a URL next to the script for the script tag. */
  static loadPanel: (() => Promise<PanelModule>) | undefined;

  readonly #root: ShadowRoot;
  readonly #launcher: HTMLButtonElement;
  readonly #label: HTMLSpanElement;
  readonly #unread: HTMLSpanElement;
  #panel: ParleyChatPanel | undefined;
  #loading: Promise<ParleyChatPanel | undefined> | undefined;
  #availability: AvailabilityView | undefined;
  #session: SessionView['state'] = 'none';
  /** The service refused this page's origin: the widget stays out of sight (no misleading state). */
  #refused = false;
  #unreadCount = 0;
  #hiddenFields: Record<string, string> = {};
  #userToken: string | undefined;
  #idle: number | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(LAUNCHER_CSS);
    }
    this.#root.adoptedStyleSheets = [sheet];
    this.#launcher = document.createElement('button');
    this.#launcher.part.add('launcher');
    this.#launcher.setAttribute('aria-haspopup', 'dialog');
    this.#label = document.createElement('span');
    this.#unread = document.createElement('span');
    this.#unread.part.add('unread');
    this.#unread.hidden = true;
    this.#unread.setAttribute('aria-hidden', 'true');
    this.#launcher.append(this.#label, this.#unread);
    this.#launcher.addEventListener('click', () => this.toggle());
    // C9: Escape closes the panel wherever focus is inside the widget, the launcher included.
    this.#root.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape' && this.isOpen) this.close();
    });
    this.#root.append(this.#launcher);
  }

  get endpoint(): string {
    return this.getAttribute('endpoint') ?? '';
  }
  set endpoint(value: string) {
    this.setAttribute('endpoint', value);
  }
  get button(): string {
    return this.getAttribute('button') ?? '';
  }
  set button(value: string) {
    this.setAttribute('button', value);
  }
  get isOpen(): boolean {
    return this.hasAttribute('open');
  }

  connectedCallback(): void {
    this.dataset.scheme = resolveTheme(this.getAttribute('theme'));
    this.#render();
    void this.#readAvailability();
    // The panel (and the socket, for live availability) comes when the page has time for it.
    const idle = globalThis.requestIdleCallback ?? ((callback: () => void) => setTimeout(callback, 1500));
    this.#idle = idle(() => void this.#ensurePanel()) as number;
  }

  disconnectedCallback(): void {
    (globalThis.cancelIdleCallback ?? clearTimeout)(this.#idle as number);
  }

  attributeChangedCallback(name: string): void {
    if (name === 'open' && this.#panel) this.#panel.open = this.isOpen;
    if (name === 'locale' && this.#panel) this.#panel.locale = this.getAttribute('locale') ?? undefined;
    if (name === 'theme') {
      this.dataset.scheme = resolveTheme(this.getAttribute('theme'));
      if (this.#panel) this.#panel.theme = this.dataset.scheme;
    }
    this.#render();
  }

  /** Opens the panel (loading it first if needed) and moves focus into it. */
  async open(): Promise<void> {
    if (this.isOpen || this.#refused) return;
    this.toggleAttribute('open', true);
    await this.#ensurePanel();
    this.dispatchEvent(new CustomEvent('parley-open', { bubbles: true, composed: true }));
  }

  /** Closes the panel and gives focus back to the launcher. */
  close(): void {
    if (!this.isOpen) return;
    this.toggleAttribute('open', false);
    this.#launcher.focus();
    this.dispatchEvent(new CustomEvent('parley-close', { bubbles: true, composed: true }));
  }

  toggle(): Promise<void> | void {
    return this.isOpen ? this.close() : this.open();
  }

  /** C3: fields set by the page (order id, plan), sent with the pre-chat form and never shown. */
  setHiddenFields(fields: Record<string, string>): void {
    this.#hiddenFields = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)]));
    if (this.#panel) this.#panel.hiddenFields = this.#hiddenFields;
  }

  /**
   * I1: signs the customer in as the user a token from the site's backend names; resolves once the
   * service took it, rejects with `ParleyError` `bad_identity` when it refused it.
   */
  async identify(userToken: string): Promise<void> {
    this.#userToken = userToken;
    await (await this.#ensurePanel())?.client?.identify(userToken);
  }

  #ensurePanel(): Promise<ParleyChatPanel | undefined> {
    this.#loading ??= (async () => {
      if (!ParleyChat.loadPanel || this.#refused) return undefined;
      const { mountPanel } = await ParleyChat.loadPanel();
      const panel = mountPanel({ endpoint: this.endpoint, button: this.button, userToken: this.#userToken ?? this.getAttribute('user-token') ?? undefined });
      panel.id = 'panel';
      panel.locale = this.getAttribute('locale') ?? undefined;
      panel.sound = this.hasAttribute('sound');
      panel.prechatFields = parsePrechatFields(this.getAttribute('prechat-fields'));
      panel.hiddenFields = this.#hiddenFields;
      panel.theme = this.dataset.scheme;
      panel.open = this.isOpen;
      panel.addEventListener('parley-close', (event) => {
        event.stopPropagation();
        this.close();
      });
      // The panel's events reach the page from the panel itself (they bubble and are composed).
      panel.addEventListener('parley-availability', (event) => {
        this.#availability = event.detail;
        this.#render();
      });
      panel.addEventListener('parley-unread', (event) => {
        this.#unreadCount = event.detail;
        this.#render();
      });
      panel.addEventListener('parley-session', (event) => {
        this.#session = event.detail.state;
        this.#render();
      });
      panel.addEventListener('parley-refused', () => this.#refuse());
      this.#root.prepend(panel);
      this.#panel = panel;
      this.#launcher.setAttribute('aria-controls', 'panel');
      return panel;
    })().catch((error: unknown) => {
      console.warn('[parley] the chat panel could not be loaded', error);
      this.#loading = undefined;
      return undefined;
    });
    return this.#loading;
  }

  /** The first paint: one cacheable HTTP read, before any socket. */
  async #readAvailability(): Promise<void> {
    if (!this.endpoint || !this.button) return;
    try {
      const response = await fetch(`${this.endpoint.replace(/\/$/, '')}/v1/availability?button=${encodeURIComponent(this.button)}`);
      if (response.ok && !this.#availability) {
        this.#availability = { ...((await response.json()) as AvailabilityView), stale: false };
        this.#render();
        this.dispatchEvent(new CustomEvent('parley-availability', { detail: this.#availability, bubbles: true, composed: true }));
      }
    } catch {
      // Unreachable for now; the panel's connection keeps trying.
    }
  }

  /**
   * C2: the service refused this page's origin (its socket closed with `forbidden`): hide rather
   * than look like "nobody online", and tell the site's developer once, naming the setting.
   */
  #refuse(): void {
    if (this.#refused) return;
    this.#refused = true;
    this.close();
    this.hidden = true;
    const origin = location.origin;
    console.error(`[parley] The chat service at ${this.endpoint} does not allow this page's origin (${origin}). Add ${origin} to the service's allowedOrigins (PARLEY_ALLOWED_ORIGINS).`);
  }

  #render(): void {
    const { strings: t, lang, dir } = resolveLocale(this.getAttribute('locale') ?? undefined);
    this.#launcher.lang = lang;
    this.#launcher.dir = dir;
    const online = this.#availability?.online ?? false;
    // While a chat is open the launcher is about that chat, never about availability (C8).
    const inChat = this.#session === 'waiting' || this.#session === 'active' || this.#session === 'inactive';
    const idle = !this.#availability ? t.launcherUnknown : online ? t.launcherOnline : t.launcherOffline;
    const label = this.isOpen ? t.launcherClose : inChat ? t.launcherInChat : idle;
    this.#label.textContent = label;
    this.#launcher.setAttribute('aria-expanded', String(this.isOpen));
    this.#unread.hidden = this.#unreadCount === 0 || this.isOpen;
    this.#unread.textContent = String(this.#unreadCount);
    this.#launcher.setAttribute('aria-label', this.#unread.hidden ? label : `${label}, ${t.unread(this.#unreadCount)}`);
    this.toggleAttribute('data-online', online);
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-open': CustomEvent<void>;
    'parley-close': CustomEvent<void>;
  }
}
