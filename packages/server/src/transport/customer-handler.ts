import * as v from 'valibot';
import { CLOSE, CustomerFrame, type HelloFrame } from '@parley/protocol';
import { rateSession } from '../chat/ratings.js';
import { recordReceipt, storedReceipts } from '../chat/receipts.js';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import type { SessionRecord } from '../store/store.js';
import type { Connection } from './connection.js';
import { belongsTo, identifyCustomer } from '../identity/identify-customer.js';

export interface FrameHandler {
  handle(frame: unknown): Promise<void>;
  closed(): Promise<void>;
}

/**
 * A customer's socket after `hello`: resume with replay, then start, message,
 * typing and end. Only the session named by the resume token (or started on
 * this socket) is reachable: a customer can never touch another's session.
 */
export async function openCustomer(service: ParleyService, connection: Connection, hello: HelloFrame, claim: (identity: string) => void): Promise<FrameHandler | undefined> {
  const { context, chat, maintenance, router, delivery } = service;
  let session: SessionRecord | undefined;
  let replay: 'events' | 'transcript' | 'none' = 'none';
  /** Where the replay starts: what the client applied of the session it resumes. */
  let afterSeq = hello.lastSeq ?? 0;
  /** The resume token the client presented: kept when the session it names is the one resumed. */
  let presented: { token: string; issuedAt: number; sessionId: string } | undefined;

  if (hello.resumeToken !== undefined) {
    const check = await service.auth.resume(hello.resumeToken);
    // A token past its life resumes nothing: the welcome names no session and the client starts afresh.
    const pastItsLife = !check.ok && check.reason === 'expired';
    if (!pastItsLife && (!check.ok || check.value.browserId !== hello.browserId)) {
      connection.error('unauthorized', check.ok ? 'This resume token belongs to another browser.' : `The resume token is ${check.reason}.`);
      connection.close(CLOSE.unauthorized, 'bad resume token');
      return undefined;
    }
    session = check.ok ? check.value.session : undefined;
    if (check.ok) presented = { token: hello.resumeToken, issuedAt: check.value.issuedAt, sessionId: check.value.session.id };
    // A client ahead of the store (the data was reset or trimmed) must re-read the transcript.
    if (session) replay = afterSeq > session.lastSeq ? 'transcript' : 'events';
  }
  const identity = await identifyCustomer(service, connection, hello);
  if (session && !belongsTo(session, identity)) session = undefined;
  if (!session && identity) {
    // I1: the user's open chat follows them to this browser, with its whole history.
    session = await context.store.openSessionOfUser(identity.userId);
    replay = session ? 'events' : 'none';
    afterSeq = 0;
  }
  // Only a socket that proves the session replaces an older one serving it in the same browser.
  if (session) claim(`session:${session.id}:${hello.browserId}`);
  if (session) context.metrics.reconnects.inc({ role: 'customer' });
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
    resumeToken: session ? await (presented?.sessionId === session.id ? service.auth.renewedResumeToken(session, presented, hello.browserId) : service.auth.resumeToken(session, hello.browserId)) : undefined,
    lastSeq: session?.lastSeq ?? 0,
    replay,
    state: session?.state,
    userId: identity?.userId,
  });
  const button = session?.button ?? hello.button;
  delivery.addCustomer(connection, button && context.config.buttons.some((candidate) => candidate.id === button) ? button : undefined);
  const noticeLead = context.config.maintenance.customerNoticeLeadMinutes * 60_000;
  for (const window of maintenance.windows()) {
    if (window.startsAt - noticeLead <= context.clock.now()) connection.send({ type: 'notice', kind: 'maintenance-planned', window });
  }
  if (session) await delivery.attachSession(connection, session, replay === 'events' ? afterSeq : session.lastSeq);
  // I4: the ticks survive a reload and a reconnect: the marks are stored.
  if (session) for (const receipt of await storedReceipts(context, session.id)) connection.send({ type: 'receipt', ...receipt });

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
          if (!identity && context.config.identity.required) throw new ServiceError('identity_required', 'Only signed-in users can chat here: sign in, then try again.');
          if (!hello.button) throw new ServiceError('bad_frame', 'Say which chat button in hello.');
          session = await chat.start({ browserId: hello.browserId, button: hello.button, prechat: frame.prechat, startId: frame.startId, address: connection.address.key, identity });
          claim(`session:${session.id}:${hello.browserId}`);
          connection.send({ type: 'result', ref: frame.ref, data: { sessionId: session.id, resumeToken: await service.auth.resumeToken(session, hello.browserId) } });
          await delivery.attachSession(connection, session, 0);
          return;
        }
        case 'message': {
          const current = requireSession();
          const seq = await chat.customerMessage(current.id, frame.cmid, frame.text ?? '', frame.attachment);
          connection.send({ type: 'ack', ref: frame.ref, cmid: frame.cmid, seq });
          return;
        }
        case 'typing': {
          const current = requireSession();
          context.emit({ type: 'typing', sessionId: current.id, from: 'customer', on: frame.on, agentIds: await router.agentsOf(current.id) });
          return;
        }
        case 'end': {
          const current = requireSession();
          await chat.end(current.id, 'customer-ended');
          session = await chat.get(current.id);
          connection.send({ type: 'result', ref: frame.ref, data: { state: session.state } });
          return;
        }
        case 'rate': {
          const rating = await rateSession(context, chat, requireSession().id, frame.score, frame.comment);
          connection.send({ type: 'result', ref: frame.ref, data: { score: rating.score, comment: rating.comment } });
          return;
        }
        case 'receipt': {
          const receipt = await recordReceipt(context, chat, requireSession().id, 'customer', { delivered: frame.delivered, read: frame.read });
          if (frame.ref !== undefined) connection.send({ type: 'result', ref: frame.ref, data: { delivered: receipt.delivered, read: receipt.read } });
          return;
        }
        case 'pong':
          return;
      }
    },
    async closed() {},
  };
}
