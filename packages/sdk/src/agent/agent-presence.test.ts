import { expect } from '@open-wc/testing';
import { EMPTY, map, scan } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { PresenceView } from '@parley/protocol';
import { createMemoryChatStore } from '../storage/memory-chat-store.js';
import { FakeWebSocket } from '../test-support/fake-web-socket.js';
import { AgentEngine } from './agent-engine.js';
import { INITIAL_PRESENCE, reduceAgentPresence, type AgentPresenceEvent } from './presence-view.js';

const scheduler = () =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

function view(version: number, status: PresenceView['status'], cause: PresenceView['reason']['cause'], at: number, used = 0): PresenceView {
  return { agentId: 'ana', status, offices: { north: 'available' }, capacity: { used, total: 2 }, reason: { source: cause === 'manual' ? 'agent' : 'system', cause, actor: cause === 'manual' ? 'ana' : 'system', at }, version };
}

/** An engine on virtual time with a socket the test drives, started (its store read) before the marbles run. */
async function engineOn(testScheduler: TestScheduler) {
  FakeWebSocket.reset(() => testScheduler.now());
  let ids = 0;
  const engine = new AgentEngine({
    endpoint: 'http://service.test',
    token: 't',
    store: createMemoryChatStore(),
    agentId: 'ana',
    WebSocket: FakeWebSocket,
    scheduler: testScheduler,
    random: () => 0,
    wake$: EMPTY,
    newId: () => `id${ids++}`,
    now: () => testScheduler.now(),
    disconnectGraceMs: 120_000,
    activityEveryMs: 30_000,
    retryQueuedMs: 5_000,
  });
  await engine.start();
  return engine;
}

describe('agent presence (marbles)', () => {
  it('P1: a manual choice shows at once, and an automatic change computed before it does not undo it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const events = cold<AgentPresenceEvent>('a 9ms m 9ms b 9ms c', {
        a: { type: 'server', presence: view(1, 'available', 'manual', 0) },
        m: { type: 'manual', status: 'away', agentId: 'ana', at: 10 },
        // Queued before the manual choice (at 5): stale, whatever its version.
        b: { type: 'server', presence: view(2, 'busy', 'capacity', 5, 2) },
        // The service's answer to the choice.
        c: { type: 'server', presence: view(3, 'away', 'manual', 10) },
      });
      const statuses = events.pipe(
        scan(reduceAgentPresence, INITIAL_PRESENCE),
        map((state) => `${state.view?.status}/${state.view?.version}`),
      );
      expectObservable(statuses).toBe('a 9ms m 9ms b 9ms c', { a: 'available/1', m: 'away/1', b: 'away/1', c: 'away/3' });
    });
  });

  it('P11: every view carries source, cause, actor and time, the optimistic one included', () => {
    const state = reduceAgentPresence(reduceAgentPresence(INITIAL_PRESENCE, { type: 'server', presence: view(1, 'available', 'default', 0) }), { type: 'manual', status: 'away', agentId: 'ana', at: 42 });
    expect(state.view!.reason).to.deep.equal({ source: 'agent', cause: 'manual', actor: 'ana', at: 42 });
  });

  it('P7: a dropped connection overlays "reconnecting" on the held presence; back within the grace nothing changes; past it, Offline (disconnect)', async () => {
    const testScheduler = scheduler();
    const engine = await engineOn(testScheduler);
    testScheduler.run(({ expectObservable }) => {
      const socket = () => FakeWebSocket.opened.at(-1)!;
      const bring = (at: number, action: () => void) => testScheduler.schedule(action, at);
      bring(0, () => {
        socket().open();
        socket().welcome();
        socket().receive({ type: 'presence', presence: view(1, 'available', 'manual', 0) });
      });
      bring(1000, () => socket().serverClose(1012));
      // Back at 1.5 s: the service held presence.
      bring(1500, () => {
        socket().open();
        socket().welcome();
      });
      bring(2000, () => socket().serverClose(1006));
      bring(200_000, () => engine.stop());
      const shown = engine.snapshot$.pipe(map(({ presence }) => `${presence.view?.status ?? '-'}${presence.reconnecting ? '+r' : ''}:${presence.view?.reason.cause ?? '-'}`));
      // Seen from when the presence first arrives (frame 0).
      expectObservable(shown, '^ 125s !').toBe('a 999ms r 499ms a 499ms r 119999ms o', {
        a: 'available:manual',
        r: 'available+r:manual',
        o: 'offline+r:disconnect',
      });
    });
  });

  it('P10: an offer leaves the list when it expires, even before the service withdraws it', async () => {
    const testScheduler = scheduler();
    const engine = await engineOn(testScheduler);
    testScheduler.run(({ expectObservable }) => {
      testScheduler.schedule(() => {
        const socket = FakeWebSocket.opened[0]!;
        socket.open();
        socket.welcome();
        socket.receive({ type: 'offer', offerId: 'o1', sessionId: 's1', button: 'sales', prechat: {}, expiresAt: 30_000 });
      }, 0);
      testScheduler.schedule(() => engine.stop(), 40_000);
      expectObservable(engine.snapshot$.pipe(map(({ offers }) => offers.length)), '^ 31s !').toBe('b 29999ms c', { b: 1, c: 0 });
    });
  });

  it('A3: input in any tab is reported as the latest activity time, at most once per 30 s', async () => {
    const testScheduler = scheduler();
    const engine = await engineOn(testScheduler);
    testScheduler.run(({ cold }) => {
      testScheduler.schedule(() => {
        FakeWebSocket.opened[0]!.open();
        // A long heartbeat: this test is about activity, not a silent socket.
        FakeWebSocket.opened[0]!.welcome(600_000);
      }, 0);
      // Input at 1 s, 2 s, 10 s (another tab), 45 s.
      cold('1s a 999ms a 7999ms a 34999ms a').subscribe(() => engine.recordActivity(testScheduler.now()));
      testScheduler.schedule(() => engine.stop(), 100_000);
      testScheduler.flush();
      const reports = FakeWebSocket.opened[0]!.sent.filter((frame) => frame.type === 'activity').map((frame) => frame.at);
      // 1 s at once; the newest of 2 s and 10 s at 31 s; 45 s's at 61 s.
      expect(reports).to.deep.equal([1000, 10_000, 45_000]);
    });
  });
});
