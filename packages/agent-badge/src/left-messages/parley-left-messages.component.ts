import { LitElement, html, nothing } from 'lit';
import type { LeftMessage } from '@parley/protocol';
import { AdminApi } from '../office-admin/admin-api.js';
import { adminStyles } from '../office-admin/admin-styles.js';

type Filter = 'open' | 'handled' | 'all';

/**
 * What customers left while nobody could answer (C2), for admins: the open
 * ones first, with who and how to reach them; mark one handled (or open it
 * again), show the handled ones, export the list as CSV.
 *
 * @summary Left messages for admins.
 * @attr endpoint - The chat service.
 * @attr admin-token - The admin API token (sent as a bearer header).
 * @fires parley-admin-done - An action succeeded and the list is fresh; `detail` is `handled`, `reopened` or `export`.
 * @csspart section - The section.
 * @csspart table - The messages.
 *
 * @example
 * <parley-left-messages endpoint="https://chat.example.com" admin-token="…"></parley-left-messages>
 */
export class ParleyLeftMessages extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    endpoint: { type: String },
    adminToken: { attribute: 'admin-token', type: String },
    filter: { state: true },
    messages: { state: true },
    message: { state: true },
  };

  declare endpoint: string;
  declare adminToken: string;
  declare filter: Filter;
  declare messages: LeftMessage[];
  declare message: string;

  constructor() {
    super();
    this.endpoint = '';
    this.adminToken = '';
    this.filter = 'open';
    this.messages = [];
    this.message = '';
  }

  get #api(): AdminApi {
    return new AdminApi(this.endpoint, this.adminToken);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reloads the list for the chosen filter. */
  async refresh(): Promise<void> {
    try {
      this.messages = (await this.#api.json<{ messages: LeftMessage[] }>('GET', `/admin/offline-messages?status=${this.filter}`)).messages;
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  override render() {
    return html`<section part="section" aria-labelledby="left-title">
      <h2 id="left-title">Left messages</h2>
      <div class="row">
        <label>Show
          <select @change=${this.#choose}>
            <option value="open" ?selected=${this.filter === 'open'}>Open</option>
            <option value="handled" ?selected=${this.filter === 'handled'}>Handled</option>
            <option value="all" ?selected=${this.filter === 'all'}>All</option>
          </select>
        </label>
        <button @click=${() => this.refresh()}>Refresh</button>
        <button @click=${this.#exportCsv}>Export CSV</button>
      </div>
      ${this.messages.length === 0
        ? html`<p>${this.filter === 'open' ? 'No open messages.' : 'None.'}</p>`
        : html`<table part="table">
            <thead><tr><th>Left at</th><th>Button</th><th>Name</th><th>Email</th><th>Message</th><th>Handled</th><th><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              ${this.messages.map(
                (left) => html`<tr>
                  <td>${new Date(left.at).toLocaleString()}</td>
                  <td>${left.button}</td>
                  <td>${left.name}</td>
                  <td><a href=${`mailto:${left.email}`}>${left.email}</a></td>
                  <td class="message-text">${left.text}</td>
                  <td>${left.handledAt === null ? 'Open' : `${new Date(left.handledAt).toLocaleString()} (${left.handledBy})`}</td>
                  <td>
                    <button @click=${() => this.#mark(left, left.handledAt === null)} aria-label=${`${left.handledAt === null ? 'Mark handled' : 'Open again'}: ${left.name}, ${new Date(left.at).toLocaleString()}`}>
                      ${left.handledAt === null ? 'Mark handled' : 'Open again'}
                    </button>
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
    </section>`;
  }

  async #choose(event: Event) {
    this.filter = (event.target as HTMLSelectElement).value as Filter;
    await this.refresh();
  }

  async #mark(left: LeftMessage, handled: boolean) {
    try {
      await this.#api.json('PUT', `/admin/offline-messages/${left.id}/handled`, { handled });
      this.message = handled ? `Marked ${left.name}'s message handled.` : `${left.name}'s message is open again.`;
      await this.refresh();
      this.#done(handled ? 'handled' : 'reopened');
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  async #exportCsv() {
    try {
      const csv = await (await this.#api.request('GET', `/admin/offline-messages?status=${this.filter}&format=csv&limit=1000`)).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(csv);
      link.download = `left-messages-${this.filter}.csv`;
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
