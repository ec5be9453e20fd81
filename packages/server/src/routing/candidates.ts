import { canTakeWork, type PresenceState } from '../presence/presence-rules.js';
import type { PassRecord, SessionRecord } from '../store/store.js';

export interface RankingInputs {
  session: Pick<SessionRecord, 'office' | 'previousAgentId'>;
  agents: readonly PresenceState[];
  isConnected: (agentId: string) => boolean;
  /** Offers out per agent: an offered slot is not free. */
  offered: (agentId: string) => number;
  /** Who passed on this session (Q1). */
  passes: readonly PassRecord[];
  now: number;
}

/**
 * Q1: the agents who may be offered a Waiting session, best first. Eligible:
 * connected (a disconnected agent keeps presence, M5, but cannot accept),
 * Available for the session's office with a free slot, and not in the
 * cool-down of a pass on this session. Order: the previous agent (S3), then
 * agents who never passed on it before those whose cool-down is over (a
 * passer gets it again only when nobody else can take it), then the least
 * busy, then by id so the choice is stable.
 */
export function rankCandidates({ session, agents, isConnected, offered, passes, now }: RankingInputs): PresenceState[] {
  const passedAt = new Map(passes.map((pass) => [pass.agentId, pass]));
  const eligible = agents.filter((state) => {
    const pass = passedAt.get(state.agentId);
    return isConnected(state.agentId) && canTakeWork(state, session.office, offered(state.agentId)) && !(pass && pass.until > now);
  });
  const load = (state: PresenceState) => state.capacity.used + offered(state.agentId);
  const rank = (state: PresenceState) => (state.agentId === session.previousAgentId && !passedAt.has(state.agentId) ? 0 : passedAt.has(state.agentId) ? 2 : 1);
  return eligible.sort((a, b) => rank(a) - rank(b) || load(a) - load(b) || a.agentId.localeCompare(b.agentId));
}
