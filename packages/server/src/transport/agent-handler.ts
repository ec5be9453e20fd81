import * as v from 'valibot';
import { AgentFrame, CLOSE, type HelloFrame } from '@parley/protocol';
import { recordReceipt, storedReceipts } from '../chat/receipts.js';
import { ServiceError } from '../service/context.js';
import type { ParleyService } from '../service/parley-service.js';
import type { Connection } from './connection.js';
import type { FrameHandler } from './customer-handler.js';

/**
 * An agent's socket after `hello` with a signed agent token: presence, offers,
 * work and replies. Every frame the agent gets comes through `agent:<id>`, so
 * all of the agent's sockets (tabs' leader, other browsers) see the same (P3, A6).
 */
export async function openAgent(service: ParleyService, connection: Connection, hello: HelloFrame, claim: (identity: string) => void): Promise<FrameHandler | undefined> {
  const { context, chat, router, presence, delivery } = service;
  const check = hello.token === undefined ? undefined : await service.auth.agent(hello.token);
  if (!check?.ok) {
    // The identity provider's keys cannot be fetched: not the agent's fault, so not terminal.
    const later = check?.reason === 'unverifiable';
    connection.error('unauthorized', check ? `The agent token is ${check.reason}.` : 'Agents sign in with a token.');
    connection.close(later ? CLOSE.tryAgainLater : CLOSE.unauthorized, 'bad agent token');
    return undefined;
  }
  const agentId = check.value;
  if (!context.config.agents.some((agent) => agent.id === agentId)) {
    connection.error('forbidden', 'This token does not sign in an agent of this service.');
    connection.close(CLOSE.forbidden, 'unknown agent');
    return undefined;
  }
  // Signed-in agents share an office's address: they leave the per-address limits (the per-socket one stays).
  connection.address.release();
  claim(`agent:${agentId}:${hello.browserId}`);

  connection.send({ type: 'welcome', v: 1, role: 'agent', epoch: service.epoch, heartbeatMs: context.config.heartbeatMs, lastSeq: 0, replay: 'none' });
  delivery.addAgent(connection, agentId, hello.cursors);
  // Back within the disconnect grace: presence was held for her.
  if (!presence.isConnected(agentId) && presence.view(agentId).status !== 'offline') context.metrics.reconnects.inc({ role: 'agent' });
  const connectionId = await presence.connected(agentId, hello.browserId);
  connection.send({ type: 'presence', presence: presence.view(agentId) });
  await router.agentBack(agentId);
  for (const window of service.maintenance.windows()) connection.send({ type: 'notice', kind: 'maintenance-planned', window });
  const work = await router.workItems(agentId);
  await delivery.followSessions(connection, work.map((item) => [item.sessionId, hello.cursors?.[item.sessionId] ?? 0] as const));
  // I4: the marks of the agent's work, stored, so ticks and unread state survive a reload.
  for (const item of work) for (const receipt of await storedReceipts(context, item.sessionId)) connection.send({ type: 'receipt', ...receipt });

  /** Sends a session's transcript to every socket of the agent (after accept or consult). */
  const shareTranscript = async (sessionId: string) => context.emit({ type: 'transcript-shared', agentId, sessionId });
  /** Typing and ending are for the session's own agent; a consultant only reads (P4). */
  const requireWork = async (sessionId: string) => {
    if (!(await chat.assigned(agentId, sessionId))) throw new ServiceError('not_assigned', 'You are not working on this session.');
  };

  return {
    async handle(raw) {
      const parsed = v.safeParse(AgentFrame, raw);
      if (!parsed.success) throw new ServiceError('bad_frame', v.summarize(parsed.issues));
      const frame = parsed.output;
      const now = context.clock.now();
      switch (frame.type) {
        case 'presence': {
          const known = ['available', 'away', 'offline', ...context.config.customStatuses.map((status) => status.id)];
          if (!known.includes(frame.status)) throw new ServiceError('bad_request', `No status "${frame.status}".`);
          if (frame.office !== undefined && !context.config.agents.find((agent) => agent.id === agentId)?.offices.includes(frame.office)) {
            throw new ServiceError('bad_request', `You are not in office "${frame.office}".`);
          }
          const state = await presence.apply(agentId, { type: 'set', status: frame.status, office: frame.office, source: 'agent', actor: agentId });
          await presence.recordActivity(agentId, now);
          connection.send({ type: 'result', ref: frame.ref, data: { version: state.version } });
          return;
        }
        case 'reset-presence': {
          const state = await presence.apply(agentId, { type: 'reset', source: 'agent', actor: agentId });
          connection.send({ type: 'result', ref: frame.ref, data: { version: state.version } });
          return;
        }
        case 'activity':
          await presence.recordActivity(agentId, frame.at);
          if (frame.ref !== undefined) connection.send({ type: 'result', ref: frame.ref, data: {} });
          return;
        case 'accept': {
          const session = await router.accept(agentId, frame.offerId);
          await shareTranscript(session.id);
          connection.send({ type: 'result', ref: frame.ref, data: { sessionId: session.id } });
          return;
        }
        case 'decline':
          await router.decline(agentId, frame.offerId);
          connection.send({ type: 'result', ref: frame.ref, data: {} });
          return;
        case 'reply': {
          const seq = await chat.agentMessage(agentId, frame.sessionId, frame.cmid, frame.text ?? '', frame.attachment);
          connection.send({ type: 'ack', ref: frame.ref, cmid: frame.cmid, seq });
          return;
        }
        case 'agent-typing':
          await requireWork(frame.sessionId);
          context.emit({ type: 'typing', sessionId: frame.sessionId, from: 'agent', on: frame.on, agentIds: [] });
          return;
        case 'end-session':
          await requireWork(frame.sessionId);
          await chat.end(frame.sessionId, 'agent-ended');
          connection.send({ type: 'result', ref: frame.ref, data: {} });
          return;
        case 'close-work':
          await router.closeWork(agentId, frame.sessionId);
          connection.send({ type: 'result', ref: frame.ref, data: {} });
          return;
        case 'consult':
          await router.consult(agentId, frame.sessionId);
          await shareTranscript(frame.sessionId);
          connection.send({ type: 'result', ref: frame.ref, data: {} });
          return;
        case 'initiate': {
          const earlier = await chat.get(frame.sessionId);
          if (earlier.agentId !== agentId && earlier.previousAgentId !== agentId) throw new ServiceError('not_assigned', 'You can start a session only with your own customers.');
          const session = await chat.initiate(agentId, frame.sessionId, frame.cmid, frame.text);
          await shareTranscript(session.id);
          connection.send({ type: 'result', ref: frame.ref, data: { sessionId: session.id } });
          return;
        }
        case 'receipt': {
          // Only the session's own agent reports reads to the customer; a consultant reads unseen (P4).
          await requireWork(frame.sessionId);
          const receipt = await recordReceipt(context, chat, frame.sessionId, 'agent', { delivered: frame.delivered, read: frame.read });
          if (frame.ref !== undefined) connection.send({ type: 'result', ref: frame.ref, data: { delivered: receipt.delivered, read: receipt.read } });
          return;
        }
        case 'logout':
          await service.logout(agentId, agentId, () => connection.send({ type: 'result', ref: frame.ref, data: {} }));
          return;
        case 'pong':
          return;
      }
    },
    async closed() {
      if (await presence.disconnected(agentId, connectionId)) await router.agentGone(agentId);
    },
  };
}
