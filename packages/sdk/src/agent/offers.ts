import { BehaviorSubject, type SchedulerLike, type Subscription } from 'rxjs';
import type { Offer } from '@parley/protocol';

/**
 * Work offered to the agent. P10: an offer leaves the list at its expiry,
 * even if the service's withdrawal is slow to come.
 */
export class Offers {
  readonly list$ = new BehaviorSubject<readonly Offer[]>([]);
  readonly #timers = new Map<string, Subscription>();

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly now: () => number,
  ) {}

  add(offer: Offer): void {
    if (this.#timers.has(offer.offerId)) return;
    const { offerId, sessionId, button, prechat, identity, expiresAt } = offer;
    this.#timers.set(offerId, this.scheduler.schedule(() => this.remove(offerId), Math.max(0, expiresAt - this.now())));
    this.list$.next([...this.list$.value, { offerId, sessionId, button, prechat, ...(identity && { identity }), expiresAt }]);
  }

  remove(offerId: string): void {
    this.#timers.get(offerId)?.unsubscribe();
    this.#timers.delete(offerId);
    if (this.list$.value.some((offer) => offer.offerId === offerId)) this.list$.next(this.list$.value.filter((offer) => offer.offerId !== offerId));
  }

  stop(): void {
    for (const timer of this.#timers.values()) timer.unsubscribe();
    this.#timers.clear();
  }
}
