import type { AgentEngine } from './agent-engine.js';

/** What any tab may ask of the leader's agent engine. */
export const AGENT_COMMANDS = {
  status: (engine: AgentEngine, status: string, office?: string) => engine.setStatus(status, office),
  reset: (engine: AgentEngine) => engine.resetPresence(),
  logout: (engine: AgentEngine) => engine.logout(),
  accept: (engine: AgentEngine, offerId: string) => engine.accept(offerId),
  decline: (engine: AgentEngine, offerId: string) => engine.decline(offerId),
  reply: (engine: AgentEngine, sessionId: string, text: string) => engine.reply(sessionId, text),
  typing: (engine: AgentEngine, sessionId: string, on: boolean) => engine.setTyping(sessionId, on),
  end: (engine: AgentEngine, sessionId: string) => engine.end(sessionId),
  closeWork: (engine: AgentEngine, sessionId: string) => engine.closeWork(sessionId),
  consult: (engine: AgentEngine, sessionId: string) => engine.consult(sessionId),
  activity: (engine: AgentEngine, at: number) => engine.recordActivity(at),
};
