import { ParleyChat } from './parley-chat.component.js';

// Registering is the one side effect of this module; a page that loads the
// widget twice (npm and script tag) keeps the first definition.
if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChat);

export { ParleyChat };

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}
