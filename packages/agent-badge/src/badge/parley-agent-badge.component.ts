import { LitElement, html } from 'lit';
import type { BaseStatus } from '@parley/sdk/protocol';
import { parleyAgentBadgeStyles } from './parley-agent-badge.styles.js';

const LABELS: Record<BaseStatus, string> = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
};

/**
 * An agent's chat status, with a green light when Available.
 *
 * @summary Agent presence badge.
 * @csspart light - The status light.
 * @csspart label - The status text.
 * @cssproperty --parley-badge-available - Colour of the light when Available.
 *
 * @example
 * <parley-agent-badge status="available"></parley-agent-badge>
 */
export class ParleyAgentBadge extends LitElement {
  static override styles = parleyAgentBadgeStyles;

  static override properties = {
    status: { type: String, reflect: true },
  };

  /** The base status shown. */
  declare status: BaseStatus;

  constructor() {
    super();
    this.status = 'offline';
  }

  override render() {
    const label = LABELS[this.status] ?? LABELS.offline;
    return html`<span part="light" aria-hidden="true"></span><span part="label" role="status">${label}</span>`;
  }
}
