import { LitElement, html, nothing } from 'lit';
import { parleyChatStyles } from './parley-chat.styles.js';

/**
 * The customer chat widget: a launcher that opens the chat panel.
 *
 * @summary Customer live chat for any page.
 * @fires parley-open - The panel opened.
 * @fires parley-close - The panel closed.
 * @csspart launcher - The button that opens and closes the panel.
 * @csspart panel - The chat panel.
 * @cssproperty --parley-chat-accent - Launcher and accent colour (default: --parley-color-accent).
 *
 * @example
 * <parley-chat endpoint="https://chat.example.com" button="sales"></parley-chat>
 */
export class ParleyChat extends LitElement {
  static override styles = parleyChatStyles;

  static override properties = {
    endpoint: { type: String },
    button: { type: String },
    open: { type: Boolean, reflect: true },
  };

  /** The chat service's base URL. */
  declare endpoint: string;
  /** The chat button (queue) this widget belongs to. */
  declare button: string;
  /** Whether the panel is open. */
  declare open: boolean;

  constructor() {
    super();
    this.endpoint = '';
    this.button = '';
    this.open = false;
  }

  /** Opens or closes the panel and tells the page. */
  toggle(open = !this.open): void {
    if (open === this.open) return;
    this.open = open;
    this.dispatchEvent(new CustomEvent(open ? 'parley-open' : 'parley-close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`
      ${this.open
        ? html`<section part="panel" role="dialog" aria-label="Chat" id="panel">
            <h2>Chat with us</h2>
          </section>`
        : nothing}
      <button part="launcher" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="panel" @click=${() => this.toggle()}>
        ${this.open ? 'Close chat' : 'Chat with us'}
      </button>
    `;
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-open': CustomEvent<void>;
    'parley-close': CustomEvent<void>;
  }
}
