import { html, nothing } from 'lit';
import type { ChatMessage, ConversationEvent } from '@parley/sdk';
import type { WidgetStrings } from '../strings/strings.js';
import { messageText } from './message-text.js';

export type ConversationItem = { kind: 'message'; message: ChatMessage } | { kind: 'event'; event: ConversationEvent };

/**
 * Messages and conversation events in the order the service stored them
 * (`seq`), as the agent sees them; messages not stored yet come last, in the
 * order written. The end of the chat and its rating are shown apart, so they are left out.
 */
export function conversationItems(messages: readonly ChatMessage[], events: readonly ConversationEvent[]): ConversationItem[] {
  const stored: Array<{ seq: number; item: ConversationItem }> = [];
  const pending: ConversationItem[] = [];
  for (const message of messages) {
    if (message.seq === undefined) pending.push({ kind: 'message', message });
    else stored.push({ seq: message.seq, item: { kind: 'message', message } });
  }
  for (const event of events) if (event.kind !== 'ended' && event.kind !== 'rating') stored.push({ seq: event.seq, item: { kind: 'event', event } });
  return [...stored.sort((a, b) => a.seq - b.seq).map(({ item }) => item), ...pending];
}

/** One line of the log: a message with its state (C4), or an agent joined/changed notice (M4). */
export function conversationLine(item: ConversationItem, t: WidgetStrings, retry: (id: string) => void, attachment: (message: ChatMessage) => unknown = () => nothing) {
  if (item.kind === 'event') {
    const { event } = item;
    return html`<li part="event">${event.kind === 'agent-changed' ? t.agentChanged(event.agent.name) : event.kind === 'agent-joined' ? t.agentJoined(event.agent.name) : nothing}</li>`;
  }
  const { message } = item;
  const mine = message.from === 'customer';
  return html`<li part="message message-${mine ? 'customer' : 'agent'}">
    <span part="author">${mine ? t.you : message.author}</span>
    ${message.text ? html`<span part="text">${messageText(message.text)}</span>` : nothing} ${attachment(message)}
    ${message.status === 'queued' || message.status === 'sending' ? html`<span part="status">${t.sending}</span>` : nothing}
    ${mine && (message.status === 'sent' || message.status === 'delivered' || message.status === 'read')
      ? // I4: ticks on the customer's own messages; the name is an attribute, so the live log does not announce each change.
        html`<span part="status tick" class=${message.status} role="img" aria-label=${t.ticks[message.status]}>${message.status === 'sent' ? '✓' : '✓✓'}</span>`
      : nothing}
    ${message.status === 'failed' ? html`<span part="status" class="failed">${t.failed} <button class="quiet" @click=${() => retry(message.id)}>${t.retry}</button></span>` : nothing}
  </li>`;
}
