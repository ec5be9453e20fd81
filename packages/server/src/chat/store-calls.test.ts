import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../store/sqlite-store.js';
import { countingStore } from '../test-support/counting-store.js';
import { openChat, type OpenChat } from '../test-support/chat-setup.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

/** Calls that only look at this process's transaction scope: no round trip to count. */
const LOCAL = new Set<PropertyKey>(['afterCommit', 'inTransaction']);

/** The store calls one message costs (a deterministic count, like a size budget): fewer calls, fewer round trips on PostgreSQL. */
describe('store calls per message', () => {
  let count: ReturnType<typeof countingStore>['count'];
  let service: TestService;
  let chat: OpenChat;

  before(async () => {
    const counted = countingStore(openSqliteStore(':memory:'), LOCAL);
    count = counted.count;
    const store = counted.store;
    service = await startTestService({}, { store });
    chat = await openChat(service);
    await chat.customer.request({ type: 'message', cmid: 'warm-up', text: 'Hello' });
  });
  after(() => service.close());

  it('a customer message: the session, the append (exactly once by cmid), its agents, the S1/S5 deadlines and the S2 flag', async () => {
    const used = await count(async () => {
      const ack = await chat.customer.request({ type: 'message', cmid: 'c1', text: 'Where is my parcel?' });
      await chat.agent.next((frame) => frame.type === 'event' && frame.seq === ack.seq);
    });
    assert.deepEqual(used, ['getSession', 'appendEvent', 'workOfSession', 'clearDeadline', 'clearDeadline', 'updateSession']);
  });

  it('an agent reply: the session, its work (authorization before deduplication), the append, the S1 deadline and the S2 flag', async () => {
    const used = await count(async () => {
      const ack = await chat.agent.request({ type: 'reply', sessionId: chat.sessionId, cmid: 'a1', text: 'It left this morning.' });
      await chat.customer.next((frame) => frame.type === 'event' && frame.seq === ack.seq);
    });
    assert.deepEqual(used, ['getSession', 'workOfSession', 'appendEvent', 'setDeadline', 'updateSession']);
  });

  it('a re-sent message stores nothing and gets its first ack', async () => {
    const first = await chat.customer.request({ type: 'message', cmid: 'c2', text: 'Thanks' });
    const used = await count(async () => assert.equal((await chat.customer.request({ type: 'message', cmid: 'c2', text: 'Thanks' })).seq, first.seq));
    assert.deepEqual(used, ['getSession', 'appendEvent', 'eventsAfter']);
  });
});
