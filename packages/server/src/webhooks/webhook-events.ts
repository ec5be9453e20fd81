import type { DomainEvent } from '../events/domain-events.js';
import type { OfflineMessage } from '../store/store.js';

/** D5: the events a subscription can ask for. */
export const WEBHOOK_EVENTS = ['session.started', 'session.message', 'session.ended', 'offline-message.left', 'session.rated', 'presence.changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookNotice {
  event: WebhookEvent;
  data: Record<string, unknown>;
}

const STARTED_REASONS = new Set(['started', 'agent-initiated', 'notification']);

/**
 * The webhook event a domain event stands for, if any. Only the node that made a change
 * calls this (from its own `emit`), so each change is queued once, never once per node.
 */
export function webhookNoticeOf(event: DomainEvent): WebhookNotice | undefined {
  if (event.type === 'presence-changed') {
    const { agentId, status, custom, intent, capacity } = event.state;
    return { event: 'presence.changed', data: { agentId, status, custom: custom ?? null, intent, capacity } };
  }
  if (event.type !== 'session-event') return undefined;
  const { sessionId, seq, at, event: body } = event.event;
  const base = { sessionId, seq, at };
  switch (body.kind) {
    case 'state':
      if (body.state === 'ended') return { event: 'session.ended', data: { ...base, reason: body.reason } };
      if (STARTED_REASONS.has(body.reason)) return { event: 'session.started', data: { ...base, state: body.state, reason: body.reason } };
      return undefined;
    case 'message':
      return { event: 'session.message', data: { ...base, from: body.from, author: body.author, text: body.text, ...(body.agentId ? { agentId: body.agentId } : {}), ...(body.attachment ? { attachment: body.attachment } : {}) } };
    case 'rating':
      return { event: 'session.rated', data: { ...base, score: body.score, comment: body.comment } };
    default:
      return undefined;
  }
}

export function offlineMessageNotice(message: OfflineMessage): WebhookNotice {
  return { event: 'offline-message.left', data: { ...message } };
}
