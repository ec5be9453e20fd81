import type { ChatNotice, ChatSnapshot } from '../chat/chat-engine.js';
import type { ConnectionState } from '../connection/connection.js';

/** A snapshot as it crosses BroadcastChannel: errors travel as their code and message. */
export type WireSnapshot = Omit<ChatSnapshot, 'connection'> & {
  connection: Exclude<ConnectionState, { status: 'closed' }> | { status: 'closed'; error?: { code: string; message: string } | undefined };
};

export type CommandName = 'start' | 'flush' | 'retry' | 'typing' | 'end' | 'leave';

/** What the tabs of one chat say to each other. */
export type TabMessage =
  /** Leader → all: the state to show. */
  | { kind: 'snapshot'; snapshot: WireSnapshot }
  | { kind: 'notice'; notice: ChatNotice }
  /** Leader → all: I hold the chat now; send again what I may have missed. */
  | { kind: 'leader' }
  /** Follower → leader: send me the state. */
  | { kind: 'sync' }
  /** Follower → leader: do this for me; the leader answers with `reply`. */
  | { kind: 'command'; id: string; name: CommandName; args: unknown[] }
  | { kind: 'reply'; id: string; ok: true; value: unknown }
  | { kind: 'reply'; id: string; ok: false; error: { code: string; message: string } };

export function toWire(snapshot: ChatSnapshot): WireSnapshot {
  const { connection } = snapshot;
  if (connection.status !== 'closed' || !connection.error) return snapshot as WireSnapshot;
  return { ...snapshot, connection: { status: 'closed', error: { code: connection.error.code, message: connection.error.message } } };
}
