import { LitElement, html, nothing } from 'lit';
import type { Rating } from '@parley/protocol';
import { AdminApi } from '../office-admin/admin-api.js';
import { adminStyles } from '../office-admin/admin-styles.js';

interface RatingReport {
  ratings: Rating[];
  count: number;
  average: number | null;
}

/**
 * How customers rated their chats (I3), for admins: the last 30 days, newest first, with the count and the
 * average score, each rating with its chat, button, agent and comment; export the list as CSV.
 *
 * @summary Chat ratings for admins.
 * @attr endpoint - The chat service.
 * @attr admin-token - The admin API token (sent as a bearer header).
 * @fires parley-admin-done - The export succeeded; `detail` is `export`.
 * @csspart section - The section.
 * @csspart table - The ratings.
 *
 * @example
 * <parley-ratings endpoint="https://chat.example.com" admin-token="…"></parley-ratings>
 */
export class ParleyRatings extends LitElement {
  static override styles = adminStyles;
  static override properties = {
    endpoint: { type: String },
    adminToken: { attribute: 'admin-token', type: String },
    report: { state: true },
    message: { state: true },
  };

  declare endpoint: string;
  declare adminToken: string;
  declare report: RatingReport;
  declare message: string;

  constructor() {
    super();
    this.endpoint = '';
    this.adminToken = '';
    this.report = { ratings: [], count: 0, average: null };
    this.message = '';
  }

  get #api(): AdminApi {
    return new AdminApi(this.endpoint, this.adminToken);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reloads the report. */
  async refresh(): Promise<void> {
    try {
      this.report = await this.#api.json<RatingReport>('GET', '/admin/ratings');
    } catch (error) {
      this.message = (error as Error).message;
    }
  }

  override render() {
    const { ratings, count, average } = this.report;
    return html`<section part="section" aria-labelledby="ratings-title">
      <h2 id="ratings-title">Chat ratings</h2>
      <div class="row">
        <p>${count === 0 ? 'No ratings in the last 30 days.' : `${count} ${count === 1 ? 'rating' : 'ratings'} in the last 30 days, average ${average} of 5.`}</p>
        <button @click=${() => this.refresh()}>Refresh</button>
        <button @click=${this.#exportCsv}>Export CSV</button>
      </div>
      ${ratings.length === 0
        ? nothing
        : html`<table part="table">
            <thead><tr><th>Rated at</th><th>Score</th><th>Comment</th><th>Agent</th><th>Button</th><th>Chat</th></tr></thead>
            <tbody>
              ${ratings.map(
                (rating) => html`<tr>
                  <td>${new Date(rating.at).toLocaleString()}</td>
                  <td><span aria-hidden="true">${'★'.repeat(rating.score)}${'☆'.repeat(5 - rating.score)}</span><span class="visually-hidden">${rating.score} of 5</span></td>
                  <td class="message-text">${rating.comment}</td>
                  <td>${rating.agentId ?? '—'}</td>
                  <td>${rating.button}</td>
                  <td>${rating.sessionId}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
    </section>`;
  }

  async #exportCsv() {
    try {
      const csv = await (await this.#api.request('GET', '/admin/ratings?format=csv')).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(csv);
      link.download = 'ratings.csv';
      link.click();
      URL.revokeObjectURL(link.href);
      this.dispatchEvent(new CustomEvent('parley-admin-done', { detail: 'export', bubbles: true, composed: true }));
    } catch (error) {
      this.message = (error as Error).message;
    }
  }
}
