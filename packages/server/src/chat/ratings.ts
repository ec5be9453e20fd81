import type { Rating } from '@parley/protocol';
import { ServiceError, type ServiceContext } from '../service/context.js';
import type { ChatService } from './chat-service.js';

/**
 * I3: the customer rates their chat once it has ended. One rating per session: a later one replaces the
 * earlier (a customer may change their mind; the same rating re-sent after a lost answer lands once). The
 * rating is stored and added to the transcript as a `rating` event, so the agent sees it like any other.
 */
export async function rateSession(context: ServiceContext, chat: ChatService, sessionId: string, score: number, comment: string): Promise<Rating> {
  const { store } = context;
  return store.transaction(async () => {
    const session = await store.lockSession(sessionId);
    if (!session) throw new ServiceError('not_found', 'No such session.');
    if (session.state !== 'ended') throw new ServiceError('session_open', 'A chat can be rated once it has ended.');
    const rating: Rating = { sessionId, button: session.button, agentId: session.agentId ?? session.previousAgentId, score, comment, at: context.clock.now() };
    // The same rating again (a retry after a lost answer) changes nothing and adds nothing to the transcript.
    if (await store.putRating(rating)) await chat.append(session, { kind: 'rating', score, comment });
    return rating;
  });
}
