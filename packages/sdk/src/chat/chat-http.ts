import { ParleyError } from '../errors/parley-error.js';
import type { Availability, SequencedEvent } from '@parley/protocol';

/** C2: what a customer leaves when nobody can answer. */
export interface OfflineMessage {
  name: string;
  email: string;
  text: string;
}

/** The customer's plain-HTTP calls to the service (docs/protocol.md, "HTTP"). */
export class ChatHttp {
  readonly #base: string;

  constructor(
    endpoint: string,
    private readonly fetch: typeof globalThis.fetch,
  ) {
    this.#base = endpoint.replace(/\/$/, '');
  }

  /** The first paint needs no socket: the cacheable availability read. */
  async availability(button: string): Promise<Availability> {
    const response = await this.fetch(`${this.#base}/v1/availability?button=${encodeURIComponent(button)}`);
    if (!response.ok) throw await httpError(response);
    return (await response.json()) as Availability;
  }

  /** The whole transcript, for when the service cannot replay (the resume token as a bearer token). */
  async transcript(resumeToken: string): Promise<{ sessionId: string; lastSeq: number; events: SequencedEvent[] }> {
    const response = await this.fetch(`${this.#base}/v1/transcript`, { headers: { authorization: `Bearer ${resumeToken}` } });
    if (!response.ok) throw await httpError(response);
    return (await response.json()) as { sessionId: string; lastSeq: number; events: SequencedEvent[] };
  }

  /** C2: a message for when nobody is available. */
  async leaveMessage(button: string, message: OfflineMessage): Promise<void> {
    const response = await this.fetch(`${this.#base}/v1/offline-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ button, ...message }),
    });
    if (!response.ok) throw await httpError(response);
  }
}

/** The service's typed error from an HTTP answer (`{error: {code, message}}`), or one that names the status. */
export async function httpError(response: Response): Promise<ParleyError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return new ParleyError(body.error?.code ?? 'http_error', body.error?.message ?? `The service answered ${response.status}.`);
}
