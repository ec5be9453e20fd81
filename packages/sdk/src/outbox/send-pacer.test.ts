import { expect } from '@open-wc/testing';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { FRAME_LIMITS, OUTBOX_PACE } from '@parley/protocol';
import { waitToSend } from './send-pacer.js';

const testScheduler = () =>
  new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });

/**
 * The outbox's loop in miniature: a flush sends what waits while the pacer
 * allows, and the pacer calls the next flush. Each send is a marble.
 */
function pacedSends(scheduler: TestScheduler, pace: { perSecond: number; burst: number }) {
  const budget = { tokens: pace.burst, at: scheduler.now() };
  const waiting: string[] = [];
  const sent$ = new Subject<string>();
  let wakeUp: { unsubscribe(): void } | undefined;
  const flush = (): void => {
    while (waiting.length > 0) {
      const waitMs = waitToSend(budget, pace, scheduler.now());
      if (waitMs) {
        // As the outbox does: one later flush, however many sends were refused.
        wakeUp?.unsubscribe();
        wakeUp = scheduler.schedule(flush, waitMs);
        return;
      }
      sent$.next(waiting.shift()!);
    }
  };
  const write = (values: string) => {
    waiting.push(...values);
    flush();
  };
  return { sent$, write };
}

describe('send pacer', () => {
  it('C6: sends a burst at once, then one per interval, in order, until nothing waits', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // 3 at once, then 20 a second: one every 50 ms.
      const outbox = pacedSends(scheduler, { perSecond: 20, burst: 3 });
      expectObservable(outbox.sent$).toBe('(abc) 45ms d 49ms e 49ms f');
      cold('x').subscribe(() => outbox.write('abcdef'));
    });
  });

  it('C6: a quiet time refills the burst, never past it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const outbox = pacedSends(scheduler, { perSecond: 10, burst: 2 });
      expectObservable(outbox.sent$).toBe('(ab) 96ms c 99ms d 799ms (ef) 96ms g');
      cold('x 999ms y').subscribe((write) => outbox.write(write === 'x' ? 'abcd' : 'efg'));
    });
  });

  it('C6: what is written while the pace holds waits its turn; many refusals wake one flush', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const outbox = pacedSends(scheduler, { perSecond: 10, burst: 1 });
      expectObservable(outbox.sent$).toBe('a 99ms b 99ms c');
      cold('x 9ms y 9ms z').subscribe((write) => outbox.write({ x: 'a', y: 'b', z: 'c' }[write]!));
    });
  });

  it('C6: at the protocol\'s outbox pace, 100 messages sent again after a reconnect all fit the service\'s default frame limit', () => {
    const scheduler = testScheduler();
    const sentAt: number[] = [];
    let dropped = 0;
    scheduler.run(({ cold }) => {
      const outbox = pacedSends(scheduler, OUTBOX_PACE);
      // The service's per-socket bucket at its default limit, replayed: each send must find a token there.
      let tokens: number = FRAME_LIMITS.burst;
      outbox.sent$.subscribe(() => {
        const now = scheduler.now();
        tokens = Math.min(FRAME_LIMITS.burst, tokens + ((now - (sentAt.at(-1) ?? 0)) * FRAME_LIMITS.perSecond) / 1000);
        sentAt.push(now);
        if (tokens < 1) dropped++;
        else tokens--;
      });
      cold('x').subscribe(() => outbox.write('m'.repeat(100)));
    });
    expect([sentAt.length, dropped]).to.deep.equal([100, 0]);
    expect(sentAt.filter((at) => at === 0).length).to.equal(OUTBOX_PACE.burst);
    expect(sentAt.at(-1)).to.equal(((100 - OUTBOX_PACE.burst) * 1000) / OUTBOX_PACE.perSecond);
  });
});
