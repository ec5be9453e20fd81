import { ParleyLeftMessages } from './parley-left-messages.component.js';

if (!customElements.get('parley-left-messages')) customElements.define('parley-left-messages', ParleyLeftMessages);

export { ParleyLeftMessages };

declare global {
  interface HTMLElementTagNameMap {
    'parley-left-messages': ParleyLeftMessages;
  }
}
