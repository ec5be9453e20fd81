import { LitElement, html, nothing } from 'lit';
import { ObserveController, type ConnectionState } from '@parley/sdk';
import { createAgentClient, type AgentClient, type AgentPresence } from '@parley/sdk/agent';
import type { BaseStatus, MaintenanceWindow, PresenceCause } from '@parley/protocol';
import { parleyAgentBadgeStyles } from './parley-agent-badge.styles.js';

/** What the badge needs of a client: `createAgentClient`'s, or a fake in tests. */
export type BadgeClient = Pick<AgentClient, 'presence$' | 'connection$' | 'loggedOut$' | 'windows$' | 'setStatus' | 'setOfficeStatus' | 'resetPresence' | 'logout'>;

export interface CustomStatusOption {
  id: string;
  label: string;
}

const LABELS: Record<BaseStatus, string> = { available: 'Available', busy: 'Busy', away: 'Away', offline: 'Offline' };
const BASE_OPTIONS: CustomStatusOption[] = [
  { id: 'available', label: 'Available' },
  { id: 'away', label: 'Away' },
  { id: 'offline', label: 'Offline' },
];
/** Why the last automatic change happened, in words (P11); capacity and maintenance read differently by direction. */
function automaticCause(cause: PresenceCause, status: BaseStatus): string | undefined {
  switch (cause) {
    case 'idle':
      return 'no activity for a while';
    case 'missed':
      return 'a chat offer was missed';
    case 'declined':
      return 'a chat offer was declined';
    case 'disconnect':
      return 'the connection was lost';
    case 'maintenance':
      return status === 'offline' ? 'planned maintenance' : 'planned maintenance is over';
    case 'capacity':
      return status === 'busy' ? 'all chat slots are in use' : 'a chat slot is free';
    case 'default':
      return 'signed in';
    default:
      return undefined;
  }
}

/**
 * An agent's chat status, everywhere at once: a green light when Available
 * (A2), custom statuses (P8), per-office toggles (A4), capacity, a
 * reconnecting overlay (P7, M7), the reason for the last automatic change,
 * reset presence (P10) and logout (A6).
 *
 * @summary Agent presence badge.
 * @attr endpoint - The chat service (with `token`, the badge makes its own client).
 * @attr token - The signed agent token.
 * @attr status - The base status shown (reflects; settable alone for a static badge).
 * @attr custom-statuses - JSON `[{"id","label"}]` offered in the status menu.
 * @fires parley-logged-out - The agent logged out (here, in another tab or browser).
 * @csspart badge - The whole badge.
 * @csspart light - The status light.
 * @csspart label - The status text.
 * @csspart overlay - "Reconnecting…" while the connection is down.
 * @csspart reason - Why the last automatic change happened.
 * @csspart maintenance - A planned maintenance window, from when it is scheduled until it is over (M1).
 * @csspart capacity - Chats in use of the total.
 * @csspart controls - The status menu, office toggles and buttons.
 * @cssproperty --parley-badge-available - Colour of the light when Available.
 *
 * @example
 * <parley-agent-badge endpoint="https://chat.example.com" token="…"></parley-agent-badge>
 */
export class ParleyAgentBadge extends LitElement {
  static override styles = parleyAgentBadgeStyles;
  static override properties = {
    endpoint: { type: String },
    token: { type: String },
    status: { type: String, reflect: true },
    customStatuses: { attribute: 'custom-statuses', type: Array },
    client: { attribute: false },
  };

  declare endpoint: string;
  declare token: string;
  declare status: BaseStatus;
  declare customStatuses: CustomStatusOption[];
  declare client: BadgeClient | undefined;

  readonly #presence = new ObserveController<AgentPresence>(this, () => this.client?.presence$, (presence) => {
    if (presence.view) this.status = presence.view.status;
  });
  readonly #connection = new ObserveController<ConnectionState>(this, () => this.client?.connection$);
  readonly #windows = new ObserveController<MaintenanceWindow[]>(this, () => this.client?.windows$);
  readonly #loggedOut = new ObserveController<boolean>(this, () => this.client?.loggedOut$, (loggedOut) => {
    if (loggedOut) this.dispatchEvent(new CustomEvent('parley-logged-out', { bubbles: true, composed: true }));
  });
  #ownClient: AgentClient | undefined;

  constructor() {
    super();
    this.endpoint = '';
    this.token = '';
    this.status = 'offline';
    this.customStatuses = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#makeOwnClient();
  }

  // The token usually arrives after the badge is on the page (the sign-in answers later): make the client then.
  override willUpdate(): void {
    this.#makeOwnClient();
  }

  #makeOwnClient(): void {
    if (this.isConnected && !this.client && this.endpoint && this.token) this.client = this.#ownClient = createAgentClient({ endpoint: this.endpoint, token: this.token });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#ownClient?.close();
    if (this.#ownClient && this.client === this.#ownClient) this.client = undefined;
    this.#ownClient = undefined;
  }

  override render() {
    const presence = this.#presence.value;
    const view = presence?.view;
    const label = LABELS[this.status] ?? LABELS.offline;
    const custom = this.customStatuses.find((option) => option.id === view?.custom)?.label;
    if (!this.client) {
      return html`<div part="badge"><div part="summary"><span part="light" aria-hidden="true"></span><span part="label" role="status">${label}</span></div></div>`;
    }
    if (this.#loggedOut.value) return html`<div part="badge"><span part="label" role="status">Signed out</span></div>`;
    const reconnecting = presence?.reconnecting && this.#connection.value?.status !== 'closed';
    const automatic = view && view.reason.source === 'system' ? automaticCause(view.reason.cause, view.status) : undefined;
    const windows = this.#windows.value ?? [];
    // Busy is Available at capacity: the menu shows the choice, not the computed status.
    const chosen = view?.custom ?? (this.status === 'busy' ? 'available' : this.status);
    return html`<div part="badge" role="group" aria-label="Chat status">
      <div part="summary">
        <span part="light" aria-hidden="true"></span>
        <span part="label" role="status">${custom ? `${label} · ${custom}` : label}</span>
        ${reconnecting ? html`<span part="overlay" role="status">Reconnecting…</span>` : nothing}
      </div>
      ${automatic ? html`<span part="reason">Set ${label} automatically: ${automatic}.</span>` : nothing}
      ${windows.map((window) => html`<p part="maintenance" role="status">${maintenanceLine(window)}</p>`)}
      ${view ? html`<span part="capacity">${view.capacity.used} of ${view.capacity.total} chats</span>` : nothing}
      <div part="controls">
        <label>Status
          <select @change=${this.#choose}>
            ${[...BASE_OPTIONS, ...this.customStatuses].map((option) => html`<option value=${option.id} ?selected=${option.id === chosen}>${option.label}</option>`)}
          </select>
        </label>
        ${view && Object.keys(view.offices).length > 1
          ? html`<fieldset>
              <legend>Available in</legend>
              ${Object.entries(view.offices).map(
                ([office, state]) => html`<label><input type="checkbox" role="switch" .checked=${state === 'available'} @change=${(event: Event) => this.#office(office, event)} /> ${office}</label>`,
              )}
            </fieldset>`
          : nothing}
        ${view && (view.reason.cause === 'missed' || view.reason.cause === 'declined')
          ? html`<button @click=${() => this.client?.resetPresence()}>Reset presence</button>`
          : nothing}
        <button @click=${() => this.client?.logout()}>Log out</button>
      </div>
    </div>`;
  }

  #choose(event: Event) {
    void this.client?.setStatus((event.target as HTMLSelectElement).value);
  }

  #office(office: string, event: Event) {
    void this.client?.setOfficeStatus(office, (event.target as HTMLInputElement).checked ? 'available' : 'away');
  }
}

/** M1: "Planned maintenance Sat 10:00 – 11:00: Upgrading the chat service", in the agent's language and time. */
function maintenanceLine(window: MaintenanceWindow): string {
  const format = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  const when = format.formatRange ? format.formatRange(window.startsAt, window.endsAt) : `${format.format(window.startsAt)} – ${format.format(window.endsAt)}`;
  return `Planned maintenance ${when}${window.message ? `: ${window.message}` : ''}. You will be set Offline for it, and back after.`;
}

declare global {
  interface HTMLElementEventMap {
    'parley-logged-out': CustomEvent<void>;
  }
}
