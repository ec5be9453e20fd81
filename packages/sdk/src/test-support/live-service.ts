import { executeServerCommand } from '@web/test-runner-commands';
import { filter, firstValueFrom, type Observable } from 'rxjs';
import { createChatClient, type ChatClient, type ChatClientOptions } from '@parley/sdk';

/** A real service process, started by the test runner's parley-service plugin. */
export interface LiveService {
  id: string;
  url: string;
  adminToken: string;
}

/** Waits for the plugin's start, restart or stop of this service, which may outlast one command's 20 s. */
async function finished<T>(id: string): Promise<T> {
  for (;;) {
    const outcome = await executeServerCommand<{ done: boolean; result?: T }, { id: string }>('parley-wait', { id });
    if (outcome.done) return outcome.result as T;
  }
}

export async function startService(config?: Record<string, unknown>): Promise<LiveService> {
  const { id } = await executeServerCommand<{ id: string }, { config?: Record<string, unknown> }>('parley-start', { config });
  return finished<LiveService>(id);
}
/** M3 for real: SIGTERM drains (reconnect + 1012), the process exits, a new one starts on the same port and database. */
export async function restartService(service: LiveService): Promise<void> {
  await executeServerCommand('parley-restart', { id: service.id });
  await finished(service.id);
}
export async function stopService(service: LiveService): Promise<void> {
  await executeServerCommand('parley-stop', { id: service.id });
  await finished(service.id);
}
export async function startServiceAgain(service: LiveService): Promise<void> {
  await executeServerCommand('parley-start-again', { id: service.id });
  await finished(service.id);
}
export const serviceMetrics = (service: LiveService) =>
  executeServerCommand<{ connections: { customer: number; agent: number } }, { id: string }>('parley-metrics', { id: service.id });
export const agentToken = (service: LiveService, agentId: string) => executeServerCommand<string, { id: string; agentId: string }>('parley-token', { id: service.id, agentId });

/** The first value of `source$` that matches: an event to wait for, not a timer. */
export function until<T>(source$: Observable<T>, predicate: (value: T) => boolean): Promise<T> {
  return firstValueFrom(source$.pipe(filter(predicate)));
}

type Frame = Record<string, unknown> & { type: string };

/** An agent speaking the raw protocol from the browser, to answer the customer under test. */
export class RawAgent {
  readonly frames: Frame[] = [];
  #socket!: WebSocket;
  #listeners: Array<(frame: Frame) => void> = [];

  private constructor(
    private readonly service: LiveService,
    private readonly token: string,
  ) {}

  static async connect(service: LiveService, agentId: string): Promise<RawAgent> {
    const agent = new RawAgent(service, await agentToken(service, agentId));
    await agent.reconnect();
    return agent;
  }

  async reconnect(): Promise<void> {
    const socket = new WebSocket(`${this.service.url.replace('http', 'ws')}/v1/socket`);
    this.#socket = socket;
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as Frame;
      this.frames.push(frame);
      for (const listener of [...this.#listeners]) listener(frame);
    };
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const welcome = this.next((frame) => frame.type === 'welcome');
    socket.send(JSON.stringify({ type: 'hello', v: 1, role: 'agent', browserId: 'raw-agent', token: this.token }));
    await welcome;
  }

  /** The next frame that matches, from now on. */
  next(match: (frame: Frame) => boolean): Promise<Frame> {
    return new Promise((resolve) => {
      const listener = (frame: Frame) => {
        if (!match(frame)) return;
        this.#listeners = this.#listeners.filter((candidate) => candidate !== listener);
        resolve(frame);
      };
      this.#listeners.push(listener);
    });
  }

  /** The first frame received so far that matches, or the next one. */
  seen(match: (frame: Frame) => boolean): Promise<Frame> {
    const found = this.frames.find(match);
    return found ? Promise.resolve(found) : this.next(match);
  }

  async request(frame: Record<string, unknown>): Promise<Frame> {
    const ref = crypto.randomUUID();
    const answer = this.next((candidate) => candidate.ref === ref);
    this.#socket.send(JSON.stringify({ ...frame, ref }));
    return answer;
  }

  /** Customer message texts this agent received, once per seq. */
  customerTexts(sessionId: string): string[] {
    const bySeq = new Map<number, string>();
    for (const frame of this.frames) {
      const event = frame.event as { kind?: string; from?: string; text?: string } | undefined;
      if (frame.type === 'event' && frame.sessionId === sessionId && event?.kind === 'message' && event.from === 'customer') bySeq.set(frame.seq as number, event.text!);
    }
    return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  }

  close(): void {
    this.#socket.close();
  }
}

/** A customer chatting with Ana, who accepted. */
export async function chatting(service: LiveService, options: Partial<ChatClientOptions> = {}): Promise<{ chat: ChatClient; agent: RawAgent; sessionId: string }> {
  const agent = await RawAgent.connect(service, 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  const chat = createChatClient({ endpoint: service.url, button: 'sales', ...options });
  await until(chat.availability$, (availability) => availability?.online === true);
  const sessionId = await chat.start({ name: 'Dana' });
  const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
  await agent.request({ type: 'accept', offerId: offer.offerId });
  await until(chat.session$, (session) => session.state === 'active');
  return { chat, agent, sessionId };
}
