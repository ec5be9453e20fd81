import type { SequencedEvent } from '@parley/protocol';

/** Where a session's event stream stands: the last applied seq and what arrived early. */
export interface SequencerState {
  lastSeq: number;
  early: ReadonlyMap<number, SequencedEvent>;
}

/**
 * Applies only `seq == lastSeq + 1`, holds what arrives early, drops what was
 * already applied. Returns the events now ready, in order.
 */
export function sequence(state: SequencerState, event: SequencedEvent): { state: SequencerState; ready: SequencedEvent[] } {
  if (event.seq <= state.lastSeq || state.early.has(event.seq)) return { state, ready: [] };
  const early = new Map(state.early).set(event.seq, event);
  const ready: SequencedEvent[] = [];
  let lastSeq = state.lastSeq;
  for (let next = early.get(lastSeq + 1); next; next = early.get(lastSeq + 1)) {
    early.delete(next.seq);
    ready.push(next);
    lastSeq = next.seq;
  }
  return { state: { lastSeq, early }, ready };
}
