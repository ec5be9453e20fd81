import { ParleyAgentBadge } from './parley-agent-badge.component.js';

if (!customElements.get('parley-agent-badge')) customElements.define('parley-agent-badge', ParleyAgentBadge);

export { ParleyAgentBadge };

declare global {
  interface HTMLElementTagNameMap {
    'parley-agent-badge': ParleyAgentBadge;
  }
}
