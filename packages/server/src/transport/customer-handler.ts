import * as v from 'valibot';
import { CLOSE, CustomerFrame, type HelloFrame } from '@parley/protocol';
import { verifyToken } from '../auth/tokens.js';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import type { SessionRecord } from '../store/store.js';
import type { Connection } from './connection.js';
import { attachSession } from './session-feed.js';

export interface FrameHandler {
  handle(frame: unknown): Promise<void>;
  closed(): Promise<void>;
}

/**
 * A customer's socket after `hello`: resume with replay, then start, message,
 * typing and end. Only the session named by the resume token (or started on
 * this socket) is reachable: a customer can never touch another's session.
 */
export async function openCustomer(service: ParleyService, connection: Connection, hello: HelloFrame): Promise<FrameHandler | undefined> {
  const { context, chat, maintenance, router } = service;
  let session: SessionRecord | undefined;
  let replay: 'events' | 'transcript' | 'none' = 'none';

  if (hello.resumeToken !== undefined) {
    const check = verifyToken(hello.resumeToken, context.config.secret!, context.clock.now());
    if (!check.ok || check.payload.kind !== 'resume' || check.payload.browserId !== hello.browserId) {
      connection.error('unauthorized', check.ok ? 'This resume token belongs to another browser.' : `The resume token is ${check.reason}.`);
      connection.close(CLOSE.unauthorized, 'bad resume token');
      return undefined;
    }
    session = await context.store.getSession(check.payload.sub);
    // A client ahead of the store (the data was reset or trimmed) must re-read the transcript.
    if (session) replay = (hello.lastSeq ?? 0) > session.lastSeq ? 'transcript' : 'events';
  }
  if (hello.button !== undefined && !context.config.buttons.some((button) => button.id === hello.button)) {
    connection.error('not_found', `No chat button "${hello.button}".`);
  }

  connection.send({
    type: 'welcome',
    v: 1,
    role: 'customer',
    epoch: service.epoch,
    heartbeatMs: context.config.heartbeatMs,
    sessionId: session?.id,
    resumeToken: session ? chat.resumeToken(session) : undefined,
    lastSeq: session?.lastSeq ?? 0,
    replay,
    state: session?.state,
  });
  connection.subscriptions.push(context.bus.subscribe('customers', (frame) => connection.send(frame)));
  const button = session?.button ?? hello.button;
  if (button && context.config.buttons.some((candidate) => candidate.id === button)) {
    connection.subscriptions.push(context.bus.subscribe(`button:${button}`, (frame) => connection.send(frame)));
    connection.send({ type: 'availability', ...maintenance.availability(button) });
  }
  const noticeLead = context.config.maintenance.customerNoticeLeadMinutes * 60_000;
  for (const window of maintenance.windows()) {
    if (window.startsAt - noticeLead <= context.clock.now()) connection.send({ type: 'notice', kind: 'maintenance-planned', window });
  }
  const ownTyping = (frame: { type: string; from?: string }) => frame.type === 'typing' && frame.from === 'customer';
  if (session && replay === 'events') await attachSession(context, connection, session.id, hello.lastSeq ?? 0, ownTyping);
  else if (session) await attachSession(context, connection, session.id, session.lastSeq, ownTyping);
  // Positions are published while the session may not yet be attached here, so the latest is sent on attach.
  const sendPosition = () => {
    const position = session && router.position(session.id);
    if (session?.state === 'waiting' && position) connection.send({ type: 'queue', sessionId: session.id, position });
  };
  sendPosition();

  const requireSession = (): SessionRecord => {
    if (!session) throw new ServiceError('no_session', 'Start a chat first.');
    return session;
  };

  return {
    async handle(raw) {
      const parsed = v.safeParse(CustomerFrame, raw);
      if (!parsed.success) throw new ServiceError('bad_frame', v.summarize(parsed.issues));
      const frame = parsed.output;
      switch (frame.type) {
        case 'start': {
          if (session && session.state !== 'ended') throw new ServiceError('session_exists', 'A chat is already open on this browser.');
          if (!hello.button) throw new ServiceError('bad_frame', 'Say which chat button in hello.');
          const started = await chat.start({ browserId: hello.browserId, button: hello.button, prechat: frame.prechat });
          session = started.session;
          connection.send({ type: 'result', ref: frame.ref, data: { sessionId: session.id, resumeToken: started.resumeToken } });
          await attachSession(context, connection, session.id, 0, ownTyping);
          sendPosition();
          return;
        }
        case 'message': {
          const current = requireSession();
          const seq = await chat.customerMessage(current.id, frame.cmid, frame.text);
          connection.send({ type: 'ack', ref: frame.ref, cmid: frame.cmid, seq });
          session = await chat.get(current.id);
          return;
        }
        case 'typing': {
          const current = requireSession();
          const typing = { type: 'typing' as const, sessionId: current.id, from: 'customer' as const, on: frame.on };
          context.bus.publish(`session:${current.id}`, typing);
          for (const agentId of await router.agentsOf(current.id)) context.bus.publish(`agent:${agentId}`, typing);
          return;
        }
        case 'end': {
          const current = requireSession();
          await chat.end(current.id, 'customer-ended');
          session = await chat.get(current.id);
          connection.send({ type: 'result', ref: frame.ref, data: { state: session.state } });
          return;
        }
        case 'pong':
          return;
      }
    },
    async closed() {},
  };
}
