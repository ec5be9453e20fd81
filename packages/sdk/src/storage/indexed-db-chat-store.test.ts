import { expect } from '@open-wc/testing';
import { openIndexedDbChatStore, type ChatStore } from '@parley/sdk';

describe('IndexedDB chat store', () => {
  let store: ChatStore;
  let name: string;

  beforeEach(async () => {
    name = `parley-test-${crypto.randomUUID()}`;
    store = await openIndexedDbChatStore({ name });
  });

  afterEach(() => {
    store.close();
    indexedDB.deleteDatabase(name);
  });

  it('C6: keeps transcript rows and lastSeq across a reopen, as after a reload', async () => {
    await store.append('s1', [{ sessionId: 's1', seq: 1, at: 1, event: { text: 'hello' } }], 1);
    await store.append('s1', [{ sessionId: 's1', seq: 2, at: 2, event: { text: 'again' } }], 2);
    store.close();

    store = await openIndexedDbChatStore({ name });
    expect(await store.lastSeq('s1')).to.equal(2);
    expect((await store.transcript('s1')).map((row) => row.seq)).to.deep.equal([1, 2]);
    expect(await store.lastSeq('other')).to.equal(0);
  });

  it('C6: keeps unacknowledged outbox entries in creation order until acknowledged', async () => {
    await store.enqueue({ cmid: 'b', sessionId: 's1', text: 'second', createdAt: 2 });
    await store.enqueue({ cmid: 'a', sessionId: 's1', text: 'first', createdAt: 1 });
    await store.enqueue({ cmid: 'c', sessionId: 's2', text: 'elsewhere', createdAt: 1 });

    expect((await store.pending('s1')).map((entry) => entry.text)).to.deep.equal(['first', 'second']);
    await store.acknowledge('a');
    expect((await store.pending('s1')).map((entry) => entry.cmid)).to.deep.equal(['b']);
  });

  it('replaces a transcript wholesale after an HTTP re-read', async () => {
    await store.append('s1', [{ sessionId: 's1', seq: 1, at: 1, event: 'old' }], 1);
    await store.replace('s1', [{ sessionId: 's1', seq: 5, at: 5, event: 'new' }], 5);
    expect(await store.transcript('s1')).to.deep.equal([{ sessionId: 's1', seq: 5, at: 5, event: 'new' }]);
    expect(await store.lastSeq('s1')).to.equal(5);
  });

  it('C5: keeps the client record (browser id, session, resume token, epoch) as one typed value across a reopen', async () => {
    await store.writeRecord({ browserId: 'b1', sessionId: 's1', resumeToken: 't1', epoch: 'e1' });
    store.close();
    store = await openIndexedDbChatStore({ name });
    expect(await store.readRecord()).to.deep.equal({ browserId: 'b1', sessionId: 's1', resumeToken: 't1', epoch: 'e1' });
  });

  it('lists the sessions it holds, forgets one with its cursor, and lists every pending entry in the order written', async () => {
    await store.append('s1', [{ sessionId: 's1', seq: 1, at: 1, event: 'x' }], 1);
    await store.append('s2', [{ sessionId: 's2', seq: 1, at: 1, event: 'y' }], 1);
    await store.forget('s1');
    expect(await store.sessions()).to.deep.equal(['s2']);
    expect(await store.transcript('s1')).to.deep.equal([]);
    await store.enqueue({ cmid: 'b', sessionId: 's2', text: 'second', createdAt: 2 });
    await store.enqueue({ cmid: 'a', sessionId: 's1', text: 'first', createdAt: 1 });
    expect((await store.pending()).map((entry) => entry.cmid)).to.deep.equal(['a', 'b']);
  });
});

