import { LitElement, html, nothing } from 'lit';
import type { PresenceReportRow, StuckWork } from '@parley/protocol';
import { AdminApi } from './admin-api.js';
import { adminStyles } from './admin-styles.js';

interface Directory {
  offices: Array<{ id: string; name: string }>;
  agents: Array<{ id: string; name: string; offices: string[] }>;
}
/**
 * Office controls for an admin: set one agent or every agent Away for an
 * office (A5), see ended work that still holds capacity and release it (P5),
 * and read the presence report or export it as CSV (P8).
 *
 * @summary Office admin controls.
 * @attr endpoint - The chat service.
 * @attr admin-token - The admin API token (sent as a bearer header).
 * @fires parley-admin-done - An action succeeded and the lists are fresh; `detail` says which.
 * @csspart section - Each of the three sections.
 * @csspart table - The stuck-work and report tables.
 *
 * @example
 * <parley-office-admin endpoint="https://chat.example.com" admin-token="…"></parley-office-admin>
 */
export class ParleyOfficeAdmin extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    endpoint: { type: String },
    adminToken: { attribute: 'admin-token', type: String },
    directory: { state: true },
    stuck: { state: true },
    report: { state: true },
    message: { state: true },
  };

  declare endpoint: string;
  declare adminToken: string;
  declare directory: Directory | undefined;
  declare stuck: StuckWork[];
  declare report: PresenceReportRow[];
  declare message: string;

  constructor() {
    super();
    this.endpoint = '';
    this.adminToken = '';
    this.stuck = [];
    this.report = [];
    this.message = '';
  }

  get #api(): AdminApi {
    return new AdminApi(this.endpoint, this.adminToken);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reloads the offices, agents, stuck work and report. */
  async refresh(): Promise<void> {
    try {
      this.directory = await this.#api.json<Directory>('GET', '/admin/config');
      this.stuck = (await this.#api.json<{ work: StuckWork[] }>('GET', '/admin/stuck-work')).work;
      this.report = (await this.#api.json<{ rows: PresenceReportRow[] }>('GET', '/admin/presence-report')).rows;
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  override render() {
    const directory = this.directory;
    return html`
      <section part="section" aria-labelledby="away-title">
        <h2 id="away-title">Set Away for an office</h2>
        <div class="row">
          <label>Office <select id="office">${directory?.offices.map((office) => html`<option value=${office.id}>${office.name}</option>`)}</select></label>
          <label>Agent
            <select id="agent">
              <option value="">Every agent of the office</option>
              ${directory?.agents.map((agent) => html`<option value=${agent.id}>${agent.name}</option>`)}
            </select>
          </label>
          <button @click=${this.#setAway}>Set Away</button>
        </div>
      </section>
      <section part="section" aria-labelledby="stuck-title">
        <h2 id="stuck-title">Ended chats still holding capacity</h2>
        ${this.stuck.length === 0
          ? html`<p>None.</p>`
          : html`<table part="table">
              <thead><tr><th>Agent</th><th>Session</th><th>Since</th><th><span class="visually-hidden">Action</span></th></tr></thead>
              <tbody>
                ${this.stuck.map(
                  (work) => html`<tr>
                    <td>${work.agentId}</td><td>${work.sessionId.slice(0, 8)}</td><td>${new Date(work.since).toLocaleTimeString()}</td>
                    <td><button @click=${() => this.#release(work)} aria-label=${`Release ${work.agentId}'s chat ${work.sessionId.slice(0, 8)}`}>Release</button></td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      </section>
      <section part="section" aria-labelledby="report-title">
        <h2 id="report-title">Presence report (last 24 hours)</h2>
        <div class="row"><button @click=${() => this.refresh()}>Refresh</button><button @click=${this.#exportCsv}>Export CSV</button></div>
        <table part="table">
          <thead><tr><th>Agent</th><th>Status</th><th>Custom</th><th>Source</th><th>Cause</th><th>Actor</th><th>Start</th><th>Seconds</th></tr></thead>
          <tbody>
            ${this.report.map(
              (row) => html`<tr><td>${row.agentId}</td><td>${row.status}</td><td>${row.custom ?? ''}</td><td>${row.source}</td><td>${row.cause}</td><td>${row.actor}</td><td>${row.startedAt}</td><td>${row.durationSeconds}</td></tr>`,
            )}
          </tbody>
        </table>
      </section>
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
    `;
  }

  async #setAway() {
    const office = this.renderRoot.querySelector<HTMLSelectElement>('#office')!.value;
    const agentId = this.renderRoot.querySelector<HTMLSelectElement>('#agent')!.value;
    try {
      const result = await this.#api.json<{ away: string[] }>('POST', `/admin/offices/${encodeURIComponent(office)}/away`, agentId ? { agentId } : {});
      this.message = `Set Away for ${office}: ${result.away.join(', ') || 'nobody'}.`;
      await this.refresh();
      this.#done('office-away');
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  async #release(work: StuckWork) {
    try {
      await this.#api.json('POST', '/admin/stuck-work/release', { sessionId: work.sessionId, agentId: work.agentId });
      this.message = `Released ${work.agentId}'s chat.`;
      await this.refresh();
      this.#done('release');
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  async #exportCsv() {
    try {
      const csv = await (await this.#api.request('GET', '/admin/presence-report?format=csv')).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(csv);
      link.download = 'presence-report.csv';
      link.click();
      URL.revokeObjectURL(link.href);
      this.#done('export');
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  #done(action: string) {
    this.dispatchEvent(new CustomEvent('parley-admin-done', { detail: action, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-admin-done': CustomEvent<string>;
  }
}
