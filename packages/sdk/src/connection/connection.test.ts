import { expect } from '@open-wc/testing';
import { Subject } from 'rxjs';
import { map } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { Connection, type ConnectionState } from './connection.js';
import { FakeWebSocket } from '../test-support/fake-web-socket.js';

function scheduler() {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

/** A connection on virtual time whose sockets behave as `onCreate` says; `attempts$` ticks at each socket made. */
function connect(testScheduler: TestScheduler, onCreate: (socket: FakeWebSocket) => void, random = () => 1, wake$ = new Subject<void>()) {
  const attempts$ = new Subject<string>();
  FakeWebSocket.reset(() => testScheduler.now(), (socket) => {
    attempts$.next('a');
    testScheduler.schedule(() => onCreate(socket));
  });
  const connection = new Connection({ url: 'ws://service/v1/socket', WebSocket: FakeWebSocket, hello: () => ({ role: 'customer', browserId: 'b' }), scheduler: testScheduler, random, wake$ });
  return { connection, attempts$, wake$ };
}

const status = (state: ConnectionState) => (state.status === 'reconnecting' ? `${state.reason}:${state.attempt}:${state.nextInMs}` : state.status);

describe('connection timing (marbles)', () => {
  it('backs off with full jitter and a floor: min(30 s, 500 ms + random·500 ms·2^attempt)', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ expectObservable }) => {
      const { connection, attempts$ } = connect(testScheduler, (socket) => socket.serverClose(1006));
      // random = 1: 1000, 1500, 2500, 4500, 8500, 16500, then the 30 s cap.
      expectObservable(attempts$, '^ 80s !').toBe('a 999ms a 1499ms a 2499ms a 4499ms a 8499ms a 16499ms a 29999ms a');
      testScheduler.schedule(() => connection.start());
      testScheduler.schedule(() => connection.stop(), 79_999);
    });
  });

  it('M3: a drain (reconnect frame, then 1012) brings the client back within the window, not at once and not by backoff', () => {
    const times: number[] = [];
    for (const random of [0, 0.25, 0.5, 0.999]) {
      const testScheduler = scheduler();
      testScheduler.run(() => {
        let first = true;
        const { connection } = connect(testScheduler, (socket) => {
          if (!first) return void times.push(testScheduler.now());
          first = false;
          socket.open();
          socket.welcome();
          testScheduler.schedule(() => {
            socket.receive({ type: 'reconnect', reason: 'maintenance', windowMs: 1000 });
            socket.serverClose(1012);
          }, 10_000);
        }, () => random);
        const states: string[] = [];
        connection.state$.subscribe((state) => states.push(status(state)));
        connection.start();
        testScheduler.flush();
        expect(states.slice(0, 3)).to.deep.equal(['connecting', 'open', `maintenance:0:${random * 1000}`]);
        connection.stop();
      });
    }
    // Spread over [0, 1000) ms after the close at 10 s, as the random draw says.
    expect(times).to.deep.equal([10_000, 10_250, 10_500, 10_999]);
  });

  it('declares a silent connection dead after heartbeat + 10 s, and a ping keeps it alive', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ expectObservable, cold }) => {
      const { connection } = connect(testScheduler, (socket) => {
        if (FakeWebSocket.opened.length > 1) return;
        socket.open();
        socket.welcome(25_000);
        cold('20s p').subscribe(() => socket.receive({ type: 'ping' }));
      });
      connection.start();
      // Open at 0, ping at 20 s: dead at 20 s + 25 s + 10 s, then backing off.
      expectObservable(connection.state$.pipe(map(status)), '^ 56s !').toBe('o 54999ms h', { o: 'open', h: 'heartbeat:1:1000' });
      expect(FakeWebSocket.opened.length).to.equal(1);
    });
    expect(FakeWebSocket.opened[0]!.sent.map((frame) => frame.type)).to.deep.equal(['hello', 'pong']);
  });

  it('resets the attempt count after 5 s of uptime, and not before', () => {
    const testScheduler = scheduler();
    testScheduler.run(() => {
      const lifetimes = [0, 0, 1000, 0, 6000];
      const { connection } = connect(testScheduler, (socket) => {
        const lifetime = lifetimes[FakeWebSocket.opened.length - 1];
        if (lifetime === undefined) return;
        socket.open();
        socket.welcome();
        testScheduler.schedule(() => socket.serverClose(1006), lifetime);
      });
      const attempts: number[] = [];
      connection.state$.subscribe((state) => state.status === 'reconnecting' && attempts.push(state.attempt));
      connection.start();
      testScheduler.flush();
      connection.stop();
      // Up 0, 0, 1 s, 0 s: the count climbs. Up 6 s: it starts again at 1.
      expect(attempts).to.deep.equal([1, 2, 3, 4, 1]);
    });
  });

  it('stops on terminal closes (auth, protocol) with a typed error, and does not loop: one attempt each', () => {
    for (const [code, errorCode] of [[4401, 'unauthorized'], [4400, 'bad_protocol'], [4403, 'forbidden'], [1008, 'policy_violation']] as const) {
      const testScheduler = scheduler();
      testScheduler.run(() => {
        const { connection } = connect(testScheduler, (socket) => socket.serverClose(code, 'nope'));
        connection.start();
        testScheduler.flush();
        const state = connection.state$.value;
        expect(state.status).to.equal('closed');
        expect(state.status === 'closed' && state.error?.code).to.equal(errorCode);
        expect(FakeWebSocket.opened.length).to.equal(1);
      });
    }
  });

  it('tries at once when the network comes back or the page becomes visible', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ expectObservable, cold }) => {
      const { connection, attempts$, wake$ } = connect(testScheduler, (socket) => socket.serverClose(1006), () => 1);
      // Failed at 0: next in 1 s, but the wake at 300 ms tries at once; that one fails: next in 1.5 s.
      expectObservable(attempts$, '^ 2s !').toBe('a 299ms a 1499ms a');
      testScheduler.schedule(() => connection.start());
      cold('300ms w').subscribe(() => wake$.next());
      testScheduler.schedule(() => connection.stop(), 2000);
    });
  });
});

describe('connection when the network goes (marbles)', () => {
  it('M3: the browser going offline shows reconnecting at once, not after the heartbeat; back online, it is open again as soon as the service welcomes it', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold }) => {
      const offline$ = new Subject<void>();
      const wake$ = new Subject<void>();
      let online = true;
      FakeWebSocket.reset(() => testScheduler.now(), (socket) => {
        testScheduler.schedule(() => {
          if (!online) return socket.serverClose(1006);
          socket.open();
          socket.welcome();
        });
      });
      const connection = new Connection({ url: 'ws://service/v1/socket', WebSocket: FakeWebSocket, hello: () => ({ role: 'customer', browserId: 'b' }), scheduler: testScheduler, random: () => 1, wake$, offline$ });
      const states: string[] = [];
      connection.state$.subscribe((state) => states.push(`${testScheduler.now()} ${status(state)}`));
      connection.start();
      cold('10s x').subscribe(() => {
        online = false;
        offline$.next();
      });
      cold('12s x').subscribe(() => {
        online = true;
        wake$.next();
      });
      testScheduler.schedule(() => connection.stop(), 20_000);
      testScheduler.flush();
      // Open at 0; the network goes at 10 s: reconnecting at that very moment, where the heartbeat
      // (25 s + 10 s) would have taken until 45 s. The attempt at 11 s fails (still offline); back
      // online at 12 s, the wake tries at once and the welcome makes it open in that same moment.
      expect(states).to.deep.equal(['0 connecting', '0 open', '10000 network:1:1000', '11000 network:2:1500', '12000 open', '20000 closed']);
    });
  });
});

describe('connection after a drain (marbles)', () => {
  it('M3: while the replacement starts, failed attempts keep coming back within the window, not by backoff; later failures back off again', () => {
    const testScheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    testScheduler.run(() => {
      const attempts: number[] = [];
      FakeWebSocket.reset(() => testScheduler.now(), (socket) => {
        attempts.push(testScheduler.now());
        testScheduler.schedule(() => {
          if (FakeWebSocket.opened.length === 1) {
            socket.open();
            socket.welcome();
            socket.receive({ type: 'reconnect', reason: 'maintenance', windowMs: 1000 });
            socket.serverClose(1012);
          } else socket.serverClose(1006); // refused: the replacement is not up
        });
      });
      const connection = new Connection({ url: 'ws://service/v1/socket', WebSocket: FakeWebSocket, hello: () => ({ role: 'customer', browserId: 'b' }), scheduler: testScheduler, random: () => 0.5 });
      const states: string[] = [];
      connection.state$.subscribe((state) => states.push(state.status === 'reconnecting' ? `${state.reason}:${state.nextInMs}` : state.status));
      connection.start();
      testScheduler.schedule(() => connection.stop(), 40_000);
      testScheduler.flush();
      // Every 500 ms (random 0.5 of the 1 s window) for 30 s after the drain, then backoff.
      const gaps = attempts.slice(1).map((at, index) => at - attempts[index]!);
      expect(gaps.slice(0, 60).every((gap) => gap === 500)).to.equal(true);
      expect(gaps.at(-1)).to.be.greaterThan(500);
      expect(states.filter((state) => state.startsWith('maintenance')).length).to.be.greaterThan(50);
    });
  });
});
