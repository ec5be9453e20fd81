import { ServiceError, type ServiceContext } from '../service/context.js';

const MINUTE = 60_000;

export interface StartCheck {
  browserId: string;
  button: string;
  /** The client's address key (see limits/client-address.ts). */
  address: string;
  /** I1: the verified user starting it, whose open chat on another browser counts too. */
  userId?: string | undefined;
}

/**
 * Whether a customer may start a chat now. Every count comes from the store
 * or the shared `LimitCounters`, so the limits hold across nodes:
 * one open chat per browser, at most `waitingPerButton` Waiting chats in a
 * button's queue, and at most `chatStartsPerAddress` / `chatStartsPerBrowser`
 * chats started per `chatStartWindowMinutes`.
 */
export async function checkStart(context: ServiceContext, request: StartCheck): Promise<void> {
  const { store, counters, clock, config } = context;
  const { limits } = config;
  if (await store.openSessionOfBrowser(request.browserId)) {
    throw new ServiceError('session_exists', 'A chat is already open on this browser: resume it instead of starting another.');
  }
  if (request.userId !== undefined && (await store.openSessionOfUser(request.userId))) {
    throw new ServiceError('session_exists', 'You already have a chat open (perhaps in another browser): resume it instead of starting another.');
  }
  if ((await store.countWaiting(request.button)) >= limits.waitingPerButton) {
    throw new ServiceError('queue_full', `So many people are waiting (${limits.waitingPerButton}) that no more can join this queue now; please leave a message instead.`);
  }
  // Counted only for starts that passed everything else, so refusals do not use the allowance up.
  const windowMs = limits.chatStartWindowMinutes * MINUTE;
  const now = clock.now();
  const fromAddress = await counters.hit(`start:address:${request.address}`, windowMs, now);
  const fromBrowser = await counters.hit(`start:browser:${request.browserId}`, windowMs, now);
  const per = `per ${limits.chatStartWindowMinutes} minutes`;
  if (fromAddress > limits.chatStartsPerAddress) {
    throw new ServiceError('rate_limited', `Too many chats were started from your network (at most ${limits.chatStartsPerAddress} ${per}); please try again later.`);
  }
  if (fromBrowser > limits.chatStartsPerBrowser) {
    throw new ServiceError('rate_limited', `Too many chats were started from this browser (at most ${limits.chatStartsPerBrowser} ${per}); please try again later.`);
  }
}
