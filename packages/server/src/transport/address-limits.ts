import type { LimitCounters } from '../limits/limit-counters.js';
import { RateLimiter } from './rate-limiter.js';

export interface AddressLimitSettings {
  connectionsPerAddress: number;
  addressFramesPerSecond: number;
  addressFrameBurst: number;
}

/** One socket's hold on its address's limits; released once, when the socket closes or signs in as an agent. */
export interface AddressSlot {
  readonly key: string;
  /** The frame bucket shared by every socket of the address, while the slot is held. */
  readonly frames: RateLimiter | undefined;
  release(): void;
}

/**
 * Per-address limits on sockets: how many may be open (counted through
 * `LimitCounters`, so every node sees the same count) and how many frames
 * they may send together (a token bucket per address on this node: checking
 * a shared counter on every frame would cost a round trip per frame).
 */
export class AddressLimits {
  readonly #buckets = new Map<string, { limiter: RateLimiter; holders: number }>();

  constructor(
    private readonly settings: AddressLimitSettings,
    private readonly counters: LimitCounters,
  ) {}

  /** Takes a slot for one more socket of `key`, or undefined when the address has as many as it may. */
  async admit(key: string): Promise<AddressSlot | undefined> {
    if ((await this.counters.open(key)) > this.settings.connectionsPerAddress) {
      this.counters.close(key);
      return undefined;
    }
    const bucket = this.#buckets.get(key) ?? { limiter: new RateLimiter(this.settings.addressFramesPerSecond, this.settings.addressFrameBurst), holders: 0 };
    bucket.holders++;
    this.#buckets.set(key, bucket);
    let held = true;
    return {
      key,
      get frames() {
        return held ? bucket.limiter : undefined;
      },
      release: () => {
        if (!held) return;
        held = false;
        this.counters.close(key);
        if (--bucket.holders === 0) this.#buckets.delete(key);
      },
    };
  }
}
