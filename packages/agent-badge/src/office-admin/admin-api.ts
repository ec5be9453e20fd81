import { ParleyError } from '@parley/sdk';

/** The admin HTTP API (docs/server.md), with the bearer token in a header, never in a URL. */
export class AdminApi {
  constructor(
    private readonly endpoint: string,
    private readonly token: string,
  ) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    return (await response.json()) as T;
  }

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.endpoint.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new ParleyError(error.error?.code ?? 'http_error', error.error?.message ?? `The service answered ${response.status}.`);
    }
    return response;
  }
}
