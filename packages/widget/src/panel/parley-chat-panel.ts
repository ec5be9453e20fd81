import { ParleyChatPanel } from './parley-chat-panel.component.js';

if (!customElements.get('parley-chat-panel')) customElements.define('parley-chat-panel', ParleyChatPanel);

export { ParleyChatPanel };

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat-panel': ParleyChatPanel;
  }
}
