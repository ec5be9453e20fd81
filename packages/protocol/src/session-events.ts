/** A messaging session's states (SPEC S1–S8): queued → agent joined → no reply → closed. */
export type SessionState = 'waiting' | 'active' | 'inactive' | 'ended';

/**
 * I2: a file attached to a message, as the service stored it. `type` is what the service found in the
 * bytes (never what the name says); the bytes are read through a short-lived signed link
 * (`GET /v1/attachments/:id/link`), never through the id alone.
 */
export interface AttachmentRef {
  id: string;
  /** The file name the sender gave, for display and downloads only. */
  name: string;
  /** The media type sniffed from the content (magic bytes), e.g. `image/png`. */
  type: string;
  /** Bytes. */
  size: number;
}

export interface AgentRef {
  id: string;
  name: string;
}

/**
 * What the service stores and sends in `event` frames, each with the session's
 * next `seq`. These make up the transcript.
 */
export type SessionEvent =
  | { kind: 'state'; state: SessionState; reason: string }
  | { kind: 'message'; from: 'customer' | 'agent' | 'system'; author: string; text: string; cmid?: string; agentId?: string; attachment?: AttachmentRef }
  | { kind: 'agent-joined'; agent: AgentRef }
  | { kind: 'agent-changed'; agent: AgentRef; previous: AgentRef }
  | { kind: 'agent-left'; agent: AgentRef }
  /** I3: the customer rated the ended chat (a later rating replaces this one). */
  | { kind: 'rating'; score: number; comment: string }
  /** D7: a message or rating erased at the customer's request; it keeps its seq, nothing of what it said. */
  | { kind: 'erased' };

export interface SequencedEvent {
  sessionId: string;
  seq: number;
  /** Service time, ms since the epoch. */
  at: number;
  event: SessionEvent;
}
