import { CLOSE, type Availability, type SequencedEvent, type ServerFrame, type SessionState } from '@parley/protocol';
import type { DomainEvent } from '../events/domain-events.js';
import { toView } from '../presence/presence-rules.js';
import type { SessionRecord } from '../store/store.js';
import type { OfficeWaitingEntry } from '../routing/waiting-list.js';
import { SessionFeed, type ReadEvents } from './session-feed.js';

/** What a socket is to delivery: somewhere to send frames, and a way to close it. */
export interface Socket {
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

export interface DeliverySources {
  readEvents: ReadEvents;
  /** Waiting sessions, oldest first (queue positions are per button, in that order). */
  waitingSessions(): Promise<Pick<SessionRecord, 'id' | 'button'>[]>;
  /** The offices an agent works for (the queue they see, Q1). */
  officesOf(agentId: string): readonly string[];
  availability(button: string): Availability;
  buttons(): readonly string[];
  /** The office whose agents answer the button. */
  officeOf(button: string): string | undefined;
  failed(error: unknown): void;
}

interface CustomerSocket {
  socket: Socket;
  button: string | undefined;
  session: { id: string; state: SessionState | undefined; feed: SessionFeed } | undefined;
  position: number | undefined;
}

interface AgentSocket {
  socket: Socket;
  agentId: string;
  feeds: Map<string, SessionFeed>;
  /** Where the agent's client is in each session (its hello's cursors): a feed starts there. */
  cursors: Readonly<Record<string, number>>;
}

/**
 * The one place where domain events become frames: for the sockets of this
 * node only. Every node receives every event (from the bus) and delivers it
 * to its own sockets; availability and queue positions are computed here,
 * per node, from the node's view of the store, so no node sends another's frames.
 */
export class Delivery {
  readonly #customers = new Map<Socket, CustomerSocket>();
  /** Customer sockets by the button they show: an availability change reaches only these, without a scan of every socket. */
  readonly #byButton = new Map<string, Set<CustomerSocket>>();
  readonly #bySession = new Map<string, Set<CustomerSocket>>();
  readonly #agents = new Map<string, Set<AgentSocket>>();
  readonly #byAgentSocket = new Map<Socket, AgentSocket>();
  readonly #availabilitySent = new Map<string, string>();
  /** Buttons whose availability is computed at the end of this turn of the event loop. */
  readonly #availabilityDue = new Set<string>();
  #availabilityTurn: NodeJS.Immediate | undefined;
  #positions: Promise<void> | undefined;
  #positionsAgain = false;
  /** Q1: the queue as routing last published it, every office's. */
  #waitingList: OfficeWaitingEntry[] = [];
  /** What each agent was last sent of it: an agent hears of changes to their offices' queue only. */
  readonly #waitingSent = new Map<string, string>();

  constructor(private readonly sources: DeliverySources) {}

  /** A customer socket after its welcome; `button` is the one it shows (availability). */
  addCustomer(socket: Socket, button: string | undefined): void {
    const customer: CustomerSocket = { socket, button, session: undefined, position: undefined };
    this.#customers.set(socket, customer);
    if (button) {
      // Brings the button's sockets already here up to date first, so all of them agree from now on.
      this.#sendAvailability([button]);
      const set = this.#byButton.get(button) ?? new Set();
      set.add(customer);
      this.#byButton.set(button, set);
      socket.send({ type: 'availability', ...this.sources.availability(button) });
    }
  }

  /** Follows a session on a customer socket: replays what came after `afterSeq`, then live events. */
  async attachSession(socket: Socket, session: Pick<SessionRecord, 'id' | 'state'>, afterSeq: number): Promise<void> {
    const customer = this.#customers.get(socket);
    if (!customer) return;
    if (customer.session) {
      this.#bySession.get(customer.session.id)?.delete(customer);
      customer.session.feed.close();
    }
    const feed = this.#feed(session.id, afterSeq, socket, (event) => {
      if (event.event.kind === 'state' && customer.session?.id === event.sessionId) this.#stateChanged(customer, event.event.state);
    });
    customer.session = { id: session.id, state: session.state, feed };
    const set = this.#bySession.get(session.id) ?? new Set();
    set.add(customer);
    this.#bySession.set(session.id, set);
    await feed.fill();
    // Positions are computed while the session may not yet be followed here, so the latest is sent now.
    if (customer.session.state === 'waiting') await this.#refreshPositions();
  }

  addAgent(socket: Socket, agentId: string, cursors: Readonly<Record<string, number>> = {}): void {
    const agent: AgentSocket = { socket, agentId, feeds: new Map(), cursors };
    const set = this.#agents.get(agentId) ?? new Set();
    set.add(agent);
    this.#agents.set(agentId, set);
    this.#byAgentSocket.set(socket, agent);
    const waiting = this.#waitingListFor(agentId);
    this.#waitingSent.set(agentId, JSON.stringify(waiting));
    socket.send(waiting);
  }

  /** Follows sessions on an agent socket from the given cursors (the agent's work on hello). */
  async followSessions(socket: Socket, cursors: ReadonlyArray<readonly [string, number]>): Promise<void> {
    const agent = this.#byAgentSocket.get(socket);
    if (!agent) return;
    for (const [sessionId, afterSeq] of cursors) await this.#agentFeed(agent, sessionId, afterSeq).fill();
  }

  remove(socket: Socket): void {
    const customer = this.#customers.get(socket);
    if (customer) {
      this.#customers.delete(socket);
      if (customer.button) this.#byButton.get(customer.button)?.delete(customer);
      if (customer.session) {
        customer.session.feed.close();
        const set = this.#bySession.get(customer.session.id);
        set?.delete(customer);
        if (set?.size === 0) this.#bySession.delete(customer.session.id);
      }
    }
    const agent = this.#byAgentSocket.get(socket);
    if (agent) {
      for (const feed of agent.feeds.values()) feed.close();
      this.#byAgentSocket.delete(socket);
      const set = this.#agents.get(agent.agentId);
      set?.delete(agent);
      if (set?.size === 0) this.#agents.delete(agent.agentId);
    }
  }

  deliver(event: DomainEvent): void {
    switch (event.type) {
      case 'session-event':
        for (const customer of this.#bySession.get(event.event.sessionId) ?? []) customer.session?.feed.offer(event.event);
        for (const agentId of event.agentIds) for (const agent of this.#agents.get(agentId) ?? []) this.#agentFeed(agent, event.event.sessionId, 0).offer(event.event);
        return;
      case 'typing': {
        const frame: ServerFrame = { type: 'typing', sessionId: event.sessionId, from: event.from, on: event.on };
        // Each side hears the other: the customer's typing goes to the agents, the agent's to the customer.
        if (event.from === 'agent') for (const customer of this.#bySession.get(event.sessionId) ?? []) customer.socket.send(frame);
        else for (const agentId of event.agentIds) this.#toAgent(agentId, frame);
        return;
      }
      case 'receipt': {
        const frame: ServerFrame = { type: 'receipt', ...event.receipt };
        for (const customer of this.#bySession.get(event.receipt.sessionId) ?? []) customer.socket.send(frame);
        for (const agentId of event.agentIds) this.#toAgent(agentId, frame);
        return;
      }
      case 'transcript-shared':
        for (const agent of this.#agents.get(event.agentId) ?? []) void this.#agentFeed(agent, event.sessionId, 0).fill();
        return;
      case 'presence-changed': {
        this.#toAgent(event.state.agentId, { type: 'presence', presence: toView(event.state) });
        // An agent counts only for the buttons of their offices: the others cannot have changed.
        const offices = new Set(Object.keys(event.state.offices));
        return this.refreshAvailability(this.sources.buttons().filter((button) => offices.has(this.sources.officeOf(button) ?? '')));
      }
      case 'offer-made':
        return this.#toAgent(event.agentId, { type: 'offer', ...event.offer });
      case 'offer-withdrawn':
        return this.#toAgent(event.agentId, { type: 'offer-withdrawn', offerId: event.offerId, reason: event.reason });
      case 'offers-changed':
      case 'windows-changed':
        return this.refreshAvailability();
      case 'work-changed':
        return this.#toAgent(event.agentId, { type: 'work', items: event.items });
      case 'waiting-list':
        this.#waitingList = event.entries;
        for (const agentId of this.#agents.keys()) {
          const frame = this.#waitingListFor(agentId);
          const key = JSON.stringify(frame);
          if (this.#waitingSent.get(agentId) === key) continue;
          this.#waitingSent.set(agentId, key);
          this.#toAgent(agentId, frame);
        }
        return;
      case 'queue-changed':
        void this.#refreshPositions();
        return;
      case 'read-only-changed':
        if (event.announce) {
          const notice: ServerFrame = { type: 'notice', kind: 'read-only', on: event.on };
          for (const customer of this.#customers.values()) customer.socket.send(notice);
          for (const agent of this.#byAgentSocket.values()) agent.socket.send(notice);
        }
        return this.refreshAvailability();
      case 'window-notice': {
        const notice: ServerFrame = { type: 'notice', kind: event.kind, window: event.window };
        const sockets = event.audience === 'customers' ? [...this.#customers.values()] : [...this.#byAgentSocket.values()];
        for (const { socket } of sockets) socket.send(notice);
        return;
      }
      case 'logged-out':
        for (const agent of [...(this.#agents.get(event.agentId) ?? [])]) {
          agent.socket.send({ type: 'logged-out' });
          agent.socket.close(CLOSE.loggedOut, 'logged out');
        }
        return;
      case 'test-clock':
      case 'connection-claimed':
        return;
    }
  }

  /**
   * Sends each button's availability (of `buttons`, by default all) to this node's customers of it,
   * when it changed. It is computed once per turn of the event loop, after every change that
   * arrived in it: one change (an accept) reaches a node as two events, offers then capacity, and
   * computed after each the button would flap (a free slot for a moment) to every customer socket.
   */
  refreshAvailability(buttons: readonly string[] = this.sources.buttons()): void {
    for (const button of buttons) this.#availabilityDue.add(button);
    if (this.#availabilityTurn) return;
    this.#availabilityTurn = setImmediate(() => {
      this.#availabilityTurn = undefined;
      const due = [...this.#availabilityDue];
      this.#availabilityDue.clear();
      this.#sendAvailability(due);
    });
  }

  #sendAvailability(buttons: readonly string[]): void {
    for (const button of buttons) {
      const availability = this.sources.availability(button);
      const key = JSON.stringify(availability);
      if (this.#availabilitySent.get(button) === key) continue;
      this.#availabilitySent.set(button, key);
      const frame: ServerFrame = { type: 'availability', ...availability };
      for (const customer of this.#byButton.get(button) ?? []) customer.socket.send(frame);
    }
  }

  /** Reads again every followed session from the store (after the bus lost messages). */
  async resync(): Promise<void> {
    const feeds = [...this.#customers.values()].flatMap((customer) => (customer.session ? [customer.session.feed] : []));
    for (const agent of this.#byAgentSocket.values()) feeds.push(...agent.feeds.values());
    await Promise.all(feeds.map((feed) => feed.fill()));
    this.refreshAvailability();
    await this.#refreshPositions();
  }

  #waitingListFor(agentId: string): ServerFrame {
    const offices = this.sources.officesOf(agentId);
    return { type: 'waiting-list', entries: this.#waitingList.filter((entry) => offices.includes(entry.office)).map(({ office: _office, ...entry }) => entry) };
  }

  #toAgent(agentId: string, frame: ServerFrame): void {
    for (const agent of this.#agents.get(agentId) ?? []) agent.socket.send(frame);
  }

  #agentFeed(agent: AgentSocket, sessionId: string, afterSeq: number): SessionFeed {
    let feed = agent.feeds.get(sessionId);
    if (!feed) {
      // A live event can come before the agent's work is followed (a reconnect): the feed starts at
      // the client's cursor all the same, or it would send the whole transcript again.
      feed = this.#feed(sessionId, Object.hasOwn(agent.cursors, sessionId) ? agent.cursors[sessionId]! : afterSeq, agent.socket);
      agent.feeds.set(sessionId, feed);
    }
    return feed;
  }

  #feed(sessionId: string, afterSeq: number, socket: Socket, sent?: (event: SequencedEvent) => void): SessionFeed {
    return new SessionFeed(
      sessionId,
      afterSeq,
      this.sources.readEvents,
      (event) => {
        socket.send({ type: 'event', ...event });
        sent?.(event);
      },
      this.sources.failed,
    );
  }

  #stateChanged(customer: CustomerSocket, state: SessionState): void {
    if (!customer.session) return;
    customer.session.state = state;
    if (state !== 'waiting') customer.position = undefined;
  }

  /** Queue positions for this node's Waiting customers; one store read at a time, coalesced. */
  #refreshPositions(): Promise<void> {
    if (this.#positions) {
      this.#positionsAgain = true;
      return this.#positions;
    }
    this.#positions = this.#sendPositions()
      .catch((error: unknown) => this.sources.failed(error))
      .finally(() => {
        this.#positions = undefined;
        if (this.#positionsAgain) {
          this.#positionsAgain = false;
          void this.#refreshPositions();
        }
      });
    return this.#positions;
  }

  async #sendPositions(): Promise<void> {
    const waiting = [...this.#customers.values()].filter((customer) => customer.session?.state === 'waiting');
    if (waiting.length === 0) return;
    const positions = new Map<string, number>();
    const perButton = new Map<string, number>();
    for (const session of await this.sources.waitingSessions()) {
      const position = (perButton.get(session.button) ?? 0) + 1;
      perButton.set(session.button, position);
      positions.set(session.id, position);
    }
    for (const customer of waiting) {
      const sessionId = customer.session!.id;
      const position = positions.get(sessionId);
      if (position === undefined || position === customer.position || customer.session?.state !== 'waiting') continue;
      customer.position = position;
      customer.socket.send({ type: 'queue', sessionId, position });
    }
  }
}
