import { expect } from '@open-wc/testing';
import type { SequencedEvent } from '@parley/protocol';
import { createMemoryChatStore } from '../storage/memory-chat-store.js';
import { Transcripts } from './transcripts.js';

const event = (sessionId: string, seq: number): SequencedEvent => ({ sessionId, seq, at: seq, event: { kind: 'message', from: 'customer', author: 'Dana', text: `${sessionId}-${seq}` } });

describe('transcripts', () => {
  it('applies each session in seq order, holds early events, drops seen ones, and stores rows with the cursor', async () => {
    const store = createMemoryChatStore();
    const transcripts = new Transcripts(store);
    expect(await transcripts.apply(event('a', 2))).to.deep.equal([]);
    expect((await transcripts.apply(event('a', 1))).map((row) => row.seq)).to.deep.equal([1, 2]);
    expect(await transcripts.apply(event('a', 1))).to.deep.equal([]);
    await transcripts.apply(event('b', 1));
    expect(transcripts.cursors()).to.deep.equal({ a: 2, b: 1 });
    expect(await store.lastSeq('a')).to.equal(2);

    // A reload: a new instance resumes from the store's cursors.
    const reloaded = new Transcripts(store);
    await reloaded.loadAll();
    expect(reloaded.cursors()).to.deep.equal({ a: 2, b: 1 });
    expect(reloaded.rows('a').map((row) => row.seq)).to.deep.equal([1, 2]);
    expect(await reloaded.apply(event('a', 2))).to.deep.equal([]);
    await reloaded.forget('b');
    expect(await store.sessions()).to.deep.equal(['a']);
  });
});
