import { filter, firstValueFrom, type Observable } from 'rxjs';
import { WebSocket } from 'ws';
import { createAgentClient, type AgentClient, type AgentMessage } from '../../packages/sdk/src/agent/index.js';
import type { WebSocketConstructor } from '../../packages/sdk/src/index.js';
import { agentToken, BENCH_LIMITS } from './service.js';

const until = <T>(source$: Observable<T>, test: (value: T) => boolean) => firstValueFrom(source$.pipe(filter(test)));

/**
 * Agents for benchmarks on the real agent SDK in Node (`ws` injected, no tabs), as a console would
 * use it: Available, accept every offer, answer each customer message once with `re: <text>`, and
 * write replies of their own when told. Reconnects, resumes and re-sends are the SDK's.
 */
export class SdkAgent {
  client!: AgentClient;
  /** Sessions this agent accepted. */
  readonly sessions = new Set<string>();
  /** What the SDK refused or could not do (a reply's session, text and error code): each failed reply is a reply lost. */
  readonly failures: Array<{ sessionId: string; text: string; code: string }> = [];
  /** Accepts answered `offer_gone` (the offer was gone when the accept arrived): not a reply lost, counted apart. */
  readonly refusedAccepts: Array<{ sessionId: string; code: string }> = [];
  /** Per chat, the last seq looked at: a replay never answers twice. */
  readonly #answeredUpTo = new Map<string, number>();
  readonly #accepting = new Set<string>();

  constructor(
    private readonly endpoint: string,
    readonly agentId: string,
  ) {}

  async connect(): Promise<void> {
    this.client = createAgentClient({
      endpoint: this.endpoint,
      token: await agentToken(this.agentId),
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      locks: undefined,
      BroadcastChannel: undefined,
      // One agent answers dozens of chats at bench speed: the pace the benches' service limits allow.
      outboxPace: { perSecond: BENCH_LIMITS.framesPerSecond / 2, burst: BENCH_LIMITS.frameBurst / 2 },
    });
    await until(this.client.connection$, (state) => state.status === 'open');
    await this.client.setStatus('available');
    this.client.offers$.subscribe((offers) => {
      for (const offer of offers) {
        if (this.#accepting.has(offer.offerId)) continue;
        this.#accepting.add(offer.offerId);
        this.client.accept(offer.offerId).catch((error: { code?: string }) => this.refusedAccepts.push({ sessionId: offer.sessionId, code: error.code ?? 'unknown' }));
      }
    });
    // The chats assigned to this agent, however the accept was answered (a drain can eat the answer).
    this.client.work$.subscribe((items) => {
      for (const item of items) if (item.phase === 'open') this.sessions.add(item.sessionId);
    });
    // Only what is new: a chat whose lines are the same array has nothing new, and stored lines come in
    // seq order before the replies on their way, so the new ones are at the end of the stored part.
    const seen = new Map<string, readonly AgentMessage[]>();
    this.client.conversations$.subscribe((conversations) => {
      for (const [sessionId, lines] of Object.entries(conversations)) {
        if (seen.get(sessionId) === lines) continue;
        seen.set(sessionId, lines);
        const answeredUpTo = this.#answeredUpTo.get(sessionId) ?? 0;
        let start = lines.length;
        while (start > 0 && (lines[start - 1]!.seq === undefined || lines[start - 1]!.seq! > answeredUpTo)) start--;
        for (const line of lines.slice(start)) {
          if (line.seq === undefined) continue;
          this.#answeredUpTo.set(sessionId, line.seq);
          if (line.from === 'customer') void this.reply(sessionId, `re: ${line.text}`);
        }
      }
    });
  }

  /** Writes a reply through the SDK; resolves once the SDK took it (its outbox), or records why not. */
  async reply(sessionId: string, text: string): Promise<void> {
    try {
      await this.client.reply(sessionId, text);
    } catch (error) {
      this.failures.push({ sessionId, text, code: (error as { code?: string }).code ?? String(error) });
    }
  }

  close(): void {
    this.client.close();
  }
}
