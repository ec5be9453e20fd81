import type { AgentEngine } from './agent-engine.js';

/** What any tab may ask of the leader's agent engine. */
export const AGENT_COMMANDS = {
  status: (engine: AgentEngine, status: string, office?: string) => engine.setStatus(status, office),
  reset: (engine: AgentEngine) => engine.request({ type: 'reset-presence' }),
  logout: (engine: AgentEngine) => engine.request({ type: 'logout' }),
  accept: (engine: AgentEngine, offerId: string) => engine.accept(offerId),
  decline: (engine: AgentEngine, offerId: string) => engine.decline(offerId),
  /** Sends what waits in the shared outbox: a reply any tab stored. */
  flush: (engine: AgentEngine) => engine.conversations.outbox.flush(),
  retry: (engine: AgentEngine, cmid: string) => engine.conversations.outbox.retry(cmid),
  typing: (engine: AgentEngine, sessionId: string, on: boolean) => engine.setTyping(sessionId, on),
  end: (engine: AgentEngine, sessionId: string) => engine.request({ type: 'end-session', sessionId }),
  closeWork: (engine: AgentEngine, sessionId: string) => engine.request({ type: 'close-work', sessionId }),
  consult: (engine: AgentEngine, sessionId: string) => engine.request({ type: 'consult', sessionId }),
  activity: (engine: AgentEngine, at: number) => engine.recordActivity(at),
  read: (engine: AgentEngine, sessionId: string) => engine.markRead(sessionId),
};
