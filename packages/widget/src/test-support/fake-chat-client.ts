import { BehaviorSubject } from 'rxjs';
import type { AvailabilityView, ChatMessage, ConnectionState, ConversationEvent, SessionView } from '@parley/sdk';
import type { PanelClient } from '@parley/widget/panel';

/** A chat client the test drives: push states in, read the commands the panel gave. */
export class FakeChatClient implements PanelClient {
  readonly connection$ = new BehaviorSubject<ConnectionState>({ status: 'open' });
  readonly availability$ = new BehaviorSubject<AvailabilityView | undefined>({ button: 'sales', online: true, reason: 'agents', window: undefined, stale: false });
  readonly session$ = new BehaviorSubject<SessionView>({ state: 'none' });
  readonly messages$ = new BehaviorSubject<ChatMessage[]>([]);
  readonly typing$ = new BehaviorSubject(false);
  readonly events$ = new BehaviorSubject<ConversationEvent[]>([]);
  readonly calls: Array<[string, ...unknown[]]> = [];

  start = async (prechat?: Record<string, string>) => {
    this.calls.push(['start', prechat]);
    this.session$.next({ state: 'waiting', position: 1 });
    return 'session-1';
  };
  send = async (text: string) => {
    this.calls.push(['send', text]);
    return `m${this.calls.length}`;
  };
  retry = async (id: string) => void this.calls.push(['retry', id]);
  setTyping = (on: boolean) => void this.calls.push(['typing', on]);
  end = async () => void this.calls.push(['end']);
  rate = async (score: number, comment?: string) => void this.calls.push(['rate', score, comment]);
  markRead = () => void this.calls.push(['markRead']);
  leaveMessage = async (message: { name: string; email: string; text: string }) => void this.calls.push(['leave', message]);
  identify = async (userToken: string) => void this.calls.push(['identify', userToken]);
  transcript = (options?: unknown) => {
    this.calls.push(['transcript', options]);
    return 'transcript';
  };

  /** Commands given so far, by name. */
  called(name: string): unknown[][] {
    return this.calls.filter(([call]) => call === name).map(([, ...args]) => args);
  }
}

export function message(id: string, from: ChatMessage['from'], text: string, status: ChatMessage['status'] = 'sent', seq?: number): ChatMessage {
  return { id, seq: status === 'sent' ? (seq ?? Number(id.replace(/\D/g, '') || 0)) : undefined, from, author: from === 'agent' ? 'Ana' : 'Dana', text, at: 0, status, error: undefined };
}
