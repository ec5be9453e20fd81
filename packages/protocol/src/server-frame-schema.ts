import * as v from 'valibot';
import type { ServerFrame } from './server-frames.js';

// What the SDK checks of frames from the service before acting on them. Loose
// objects: a newer service may add fields, and an older SDK must not break on
// them. The fields the SDK reads are checked for type.

const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = v.string();

const frames = [
  v.looseObject({ type: v.literal('welcome'), v: v.number(), epoch: text, heartbeatMs: v.number(), lastSeq: seq, replay: v.picklist(['events', 'transcript', 'none']) }),
  v.looseObject({ type: v.literal('event'), sessionId: text, seq: v.pipe(seq, v.minValue(1)), at: v.number(), event: v.looseObject({ kind: text }) }),
  v.looseObject({ type: v.literal('ack'), cmid: text, seq }),
  // data: any object, its own keys copied (what v.record(v.string(), v.unknown()) checks, with less code).
  v.looseObject({ type: v.literal('result'), data: v.looseObject({}) }),
  v.looseObject({ type: v.literal('error'), code: text, message: text }),
  v.looseObject({ type: v.literal('availability'), button: text, online: v.boolean(), reason: text }),
  v.looseObject({ type: v.literal('queue'), sessionId: text, position: v.number() }),
  v.looseObject({ type: v.literal('typing'), sessionId: text, from: text, on: v.boolean() }),
  v.looseObject({ type: v.literal('notice'), kind: text }),
  v.looseObject({ type: v.literal('reconnect'), reason: text, windowMs: v.pipe(v.number(), v.minValue(0), v.maxValue(600_000)) }),
  v.looseObject({ type: v.literal('ping') }),
  v.looseObject({ type: v.literal('presence'), presence: v.looseObject({ version: v.number(), status: text }) }),
  v.looseObject({ type: v.literal('offer'), offerId: text, sessionId: text }),
  v.looseObject({ type: v.literal('offer-withdrawn'), offerId: text }),
  v.looseObject({ type: v.literal('work'), items: v.array(v.looseObject({ sessionId: text })) }),
  v.looseObject({ type: v.literal('waiting-list'), entries: v.array(v.looseObject({ sessionId: text })) }),
  v.looseObject({ type: v.literal('logged-out') }),
  v.looseObject({ type: v.literal('receipt'), sessionId: text, by: text, delivered: seq, read: seq }),
] as const;

const ServerFrameSchema = v.variant('type', frames);

/** The frame, if it is one the SDK understands; `undefined` for anything else (ignored, never thrown). */
export function readServerFrame(input: unknown): ServerFrame | undefined {
  const result = v.safeParse(ServerFrameSchema, input);
  return result.success ? (result.output as unknown as ServerFrame) : undefined;
}
