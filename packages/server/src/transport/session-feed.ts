import type { ServerFrame } from '@parley/protocol';
import type { Topic } from '../bus/event-bus.js';
import type { ServiceContext } from '../service/context.js';
import type { Connection } from './connection.js';

/**
 * Subscribes a connection to a session and replays what it has not seen,
 * in seq order: live frames that arrive while the replay is read are held
 * back and sent after it, minus any the replay already carried.
 */
export async function attachSession(context: ServiceContext, connection: Connection, sessionId: string, afterSeq: number, ignore?: (frame: ServerFrame) => boolean): Promise<void> {
  const held: ServerFrame[] = [];
  let replaying = true;
  let sentUpTo = afterSeq;
  const forward = (frame: ServerFrame) => {
    if (ignore?.(frame)) return;
    if (replaying) held.push(frame);
    else if (frame.type !== 'event' || frame.seq > sentUpTo) {
      if (frame.type === 'event') sentUpTo = frame.seq;
      connection.send(frame);
    }
  };
  connection.subscriptions.push(context.bus.subscribe(`session:${sessionId}` as Topic, forward));
  for (const event of await context.store.eventsAfter(sessionId, afterSeq)) {
    connection.send({ type: 'event', ...event });
    sentUpTo = event.seq;
  }
  replaying = false;
  for (const frame of held.splice(0)) forward(frame);
}
