import { expect } from '@open-wc/testing';
import type { SequencedEvent } from '@parley/protocol';
import { sequence, type SequencerState } from './sequencer.js';

const event = (seq: number): SequencedEvent => ({ sessionId: 's', seq, at: seq, event: { kind: 'message', from: 'agent', author: 'Ana', text: `m${seq}` } });

function feed(seqs: number[], start: SequencerState = { lastSeq: 0, early: new Map() }) {
  let state = start;
  const applied: number[] = [];
  for (const seq of seqs) {
    const result = sequence(state, event(seq));
    state = result.state;
    applied.push(...result.ready.map((ready) => ready.seq));
  }
  return { state, applied };
}

describe('event sequencer', () => {
  it('M3: applies in seq order, holding early events until the gap fills', () => {
    expect(feed([1, 3, 4, 2, 5]).applied).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('M3: drops events already applied or already held, so replays never duplicate', () => {
    const { applied, state } = feed([1, 2, 2, 1, 4, 4, 3, 3, 4]);
    expect(applied).to.deep.equal([1, 2, 3, 4]);
    expect(state.lastSeq).to.equal(4);
    expect(state.early.size).to.equal(0);
  });

  it('resumes from a stored lastSeq', () => {
    expect(feed([5, 6, 7], { lastSeq: 5, early: new Map() }).applied).to.deep.equal([6, 7]);
  });
});
