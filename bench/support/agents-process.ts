import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** What the benches ask of their agents' process. */
export type ToAgents =
  | { type: 'connect'; endpoint: string; agentIds: string[]; oneByOne: boolean }
  /** On its next reconnect, each agent writes `texts`, in order, to each of its chats. */
  | { type: 'writeWhileAway'; texts: string[] }
  | { type: 'report' };

export interface AgentsReport {
  /** Sessions accepted, by agent. */
  sessions: Record<string, string[]>;
  /** What the agent SDK refused or could not send (each failed reply is a reply lost). */
  failures: Array<{ agentId: string; sessionId: string; text: string; code: string }>;
}

export type FromAgents = { type: 'connected' } | { type: 'armed' } | { type: 'wrote' } | ({ type: 'report' } & AgentsReport);

/**
 * The benches' agents (real agent SDK, see sdk-agents.ts) in a Node process of their own, so that the
 * bench's process, which times the customers, runs only customers: twenty agents answering a
 * thousand chats on the same event loop delayed what the customers' process saw by seconds.
 */
export class AgentsProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<never>;

  private constructor() {
    this.#child = fork(resolve(import.meta.dirname, 'agents-child.ts'), [], { execArgv: ['--conditions=source', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#exited = new Promise((_, fail) => this.#child.once('exit', (code) => fail(new Error(`the agents' process exited with ${code}`))));
    this.#exited.catch(() => undefined);
  }

  /** Starts the process and connects the agents (Available, accepting every offer); `oneByOne` connects them in turn. */
  static async start(endpoint: string, agentIds: string[], options: { oneByOne?: boolean } = {}): Promise<AgentsProcess> {
    const agents = new AgentsProcess();
    await agents.#ask({ type: 'connect', endpoint, agentIds, oneByOne: options.oneByOne ?? false }, 'connected');
    return agents;
  }

  report(): Promise<AgentsReport> {
    return this.#ask({ type: 'report' }, 'report');
  }

  /** Resolves once the agents are watching for the drain; `wrote` once every agent has written `texts` to each of its chats. */
  async writeWhileAway(texts: string[]): Promise<{ wrote: Promise<void> }> {
    const wrote = this.#next('wrote');
    await this.#ask({ type: 'writeWhileAway', texts }, 'armed');
    return { wrote: wrote.then(() => undefined) };
  }

  /** Ends the process (its agents' sockets with it). */
  close(): void {
    this.#child.kill('SIGTERM');
  }

  #ask<T extends FromAgents['type']>(message: ToAgents, answer: T): Promise<Extract<FromAgents, { type: T }>> {
    const answered = this.#next(answer);
    this.#child.send(message);
    return answered;
  }

  #next<T extends FromAgents['type']>(type: T): Promise<Extract<FromAgents, { type: T }>> {
    const answer = new Promise<Extract<FromAgents, { type: T }>>((done) => {
      const listener = (message: FromAgents) => {
        if (message.type !== type) return;
        this.#child.off('message', listener);
        done(message as Extract<FromAgents, { type: T }>);
      };
      this.#child.on('message', listener);
    });
    return Promise.race([answer, this.#exited]);
  }
}
