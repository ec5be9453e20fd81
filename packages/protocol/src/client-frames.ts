import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { isBlankText } from './text.js';

// Frames a client sends. Objects are strict: an unknown field is a bad frame,
// so a typo never passes silently. `ref` lets a client match the `result` or
// `error` the service answers with.

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.idLength), v.regex(/^[\w.:@-]+$/, 'letters, digits and . _ : @ - only'));
const token = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.tokenLength));
const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const ref = v.optional(v.pipe(v.string(), v.maxLength(LIMITS.idLength)));
const text = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.textLength), v.check((value) => !isBlankText(value), 'text is blank'));
/** I2: the id of an attachment uploaded over HTTP with this message's cmid as its key. */
const attachment = v.optional(id);
const prechat = v.pipe(
  v.record(id, v.pipe(v.string(), v.maxLength(LIMITS.prechatValueLength))),
  v.check((fields) => Object.keys(fields).length <= LIMITS.prechatFields, `at most ${LIMITS.prechatFields} pre-chat fields`),
);

export const HelloFrame = v.strictObject({
  type: v.literal('hello'),
  v: v.number(),
  role: v.picklist(['customer', 'agent']),
  browserId: id,
  /** Customer: the chat button this page shows (availability follows it). */
  button: v.optional(id),
  /** Customer: resumes the session this signed token names. */
  resumeToken: v.optional(token),
  /** Customer: the last `seq` applied; the service replays what follows. */
  lastSeq: v.optional(seq),
  /**
   * Customer (I1): a JWT the site's backend signed for its signed-in user. Verified, it ties the
   * chat to that user on every browser; refused, the service says `bad_identity` and goes on anonymously.
   */
  userToken: v.optional(token),
  /** Agent: the signed agent token. */
  token: v.optional(token),
  /** Agent: last `seq` applied per session of their work. */
  cursors: v.optional(v.record(id, seq)),
});

/** I3: 1 to 5 stars and an optional comment (may be empty). */
const score = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5));
const comment = v.optional(v.pipe(v.string(), v.maxLength(LIMITS.ratingCommentLength)), '');
/** I4: how far the reader's client has received (`delivered`) and shown (`read`) the other side's events, as seqs. */
const marks = { delivered: seq, read: seq };

const customerFrames = [
  /**
   * `startId`: a client id written before the first send, like a `cmid`. A `start` repeated with the
   * same `startId` (after a drain or crash ate the answer) gets the session the first one created.
   */
  v.strictObject({ type: v.literal('start'), ref, startId: v.optional(id), prechat: v.optional(prechat, {}) }),
  v.strictObject({ type: v.literal('message'), ref, cmid: id, text: v.optional(text), attachment }),
  v.strictObject({ type: v.literal('typing'), on: v.boolean() }),
  v.strictObject({ type: v.literal('end'), ref }),
  /** I3: rates the session once it has ended; a later rating replaces the earlier one. */
  v.strictObject({ type: v.literal('rate'), ref, score, comment }),
  /** I4: the customer's receipt for the agent's events of this session. */
  v.strictObject({ type: v.literal('receipt'), ref, ...marks }),
] as const;

const agentFrames = [
  /** A base status (available, away, offline) or a custom status id; for one office or, without it, all. */
  v.strictObject({ type: v.literal('presence'), ref, status: id, office: v.optional(id) }),
  v.strictObject({ type: v.literal('reset-presence'), ref }),
  /** The latest input time across the agent's tabs (A3), in ms since the epoch. */
  v.strictObject({ type: v.literal('activity'), ref, at: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  v.strictObject({ type: v.literal('accept'), ref, offerId: id }),
  v.strictObject({ type: v.literal('decline'), ref, offerId: id }),
  v.strictObject({ type: v.literal('reply'), ref, sessionId: id, cmid: id, text: v.optional(text), attachment }),
  v.strictObject({ type: v.literal('agent-typing'), sessionId: id, on: v.boolean() }),
  v.strictObject({ type: v.literal('end-session'), ref, sessionId: id }),
  /** Releases work that has ended but still holds capacity (P5). */
  v.strictObject({ type: v.literal('close-work'), ref, sessionId: id }),
  v.strictObject({ type: v.literal('consult'), ref, sessionId: id }),
  /** S6: a new session, started by the agent, with the customer of an earlier one. */
  v.strictObject({ type: v.literal('initiate'), ref, sessionId: id, cmid: id, text }),
  v.strictObject({ type: v.literal('logout'), ref }),
  /** I4: the agent's receipt for the customer's events of a session they work on. */
  v.strictObject({ type: v.literal('receipt'), ref, sessionId: id, ...marks }),
] as const;

const anyRoleFrames = [v.strictObject({ type: v.literal('pong') })] as const;

/** A message or reply carries text, an attachment, or both (I2): never neither. */
function saysSomething<Frame extends { type: string }>(frame: Frame): boolean {
  if (frame.type !== 'message' && frame.type !== 'reply') return true;
  const { text, attachment } = frame as { text?: string; attachment?: string };
  return text !== undefined || attachment !== undefined;
}
const MESSAGE_NEEDS = 'a message needs text or an attachment';

export const CustomerFrame = v.pipe(v.variant('type', [...customerFrames, ...anyRoleFrames]), v.check((frame) => saysSomething(frame), MESSAGE_NEEDS));
export const AgentFrame = v.pipe(v.variant('type', [...agentFrames, ...anyRoleFrames]), v.check((frame) => saysSomething(frame), MESSAGE_NEEDS));

export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type CustomerFrame = v.InferOutput<typeof CustomerFrame>;
export type AgentFrame = v.InferOutput<typeof AgentFrame>;

/** A frame as a client writes it: optional fields may be left out. */
export type ClientFrame = v.InferInput<typeof CustomerFrame> | v.InferInput<typeof AgentFrame>;
type WithRef<F> = F extends unknown ? ('ref' extends keyof F ? F : never) : never;
/** The frames that take a `ref`: the service answers each with a `result`, `ack` or `error` that carries it. */
export type CommandFrame = WithRef<ClientFrame>;
/** `hello` as a client writes it, without `type` and `v` (the connection adds them). */
export type HelloFields = Omit<v.InferInput<typeof HelloFrame>, 'type' | 'v'>;
