import type { DomainEvent } from '../events/domain-events.js';
import type { ServiceContext } from '../service/context.js';
import type { Store } from '../store/store.js';
import { FakeClock } from './fake-clock.js';

/** Where test mode keeps the business time, so a node started (or restarted) later joins it. */
const TEST_CLOCK_META = 'test_clock_now';

/**
 * Test mode's fake clock, on the business time the store holds when nodes
 * share one (the first node to start writes its own; the others and any
 * restarted node take it), else starting at the real time.
 */
export async function openTestClock(store: Store, shared: boolean): Promise<FakeClock> {
  if (!shared) return new FakeClock(Date.now());
  const stored = await store.getMeta(TEST_CLOCK_META);
  if (stored) return new FakeClock(Number(stored));
  const now = Date.now();
  await store.setMeta(TEST_CLOCK_META, String(now));
  return new FakeClock(now);
}

/**
 * The test-only clock control of one node, kept in step with the others:
 * moving it here runs what fell due, stores the new time and tells every node,
 * which moves its own clock to it (timers due there fire there).
 */
export class TestClockControl {
  constructor(
    private readonly clock: FakeClock,
    private readonly context: ServiceContext,
  ) {}

  async advance(ms: number): Promise<number> {
    // Another node may have moved the time a moment ago and its bus message not be here yet: the store has it.
    const stored = Number((await this.context.store.getMeta(TEST_CLOCK_META)) ?? 0);
    if (stored > this.clock.now()) this.clock.advance(stored - this.clock.now());
    this.clock.advance(ms);
    await this.context.deadlines.runDue();
    const now = this.clock.now();
    await this.context.store.setMeta(TEST_CLOCK_META, String(now));
    this.context.emit({ type: 'test-clock', now });
    return now;
  }

  /** Another node moved the business time: this one follows (never back). */
  observe(event: DomainEvent): void {
    if (event.type !== 'test-clock' || event.now <= this.clock.now()) return;
    this.clock.advance(event.now - this.clock.now());
    void this.context.deadlines.runDue().catch((error: unknown) => this.context.log.error({ err: error }, 'deadlines failed'));
  }
}
