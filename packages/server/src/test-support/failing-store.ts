import { StoreReadOnlyError, type Store } from '../store/store.js';

const WRITES = new Set<string>(['setMeta', 'probe', 'createSession', 'updateSession', 'appendEvent', 'putWork', 'removeWork', 'putOffer', 'deleteOffer', 'putPresence', 'addOfflineMessage', 'purgeOfflineMessages', 'recordOptOut', 'addWindow', 'deleteWindow', 'addWebhook', 'deleteWebhook', 'addWebhookDelivery', 'updateWebhookDelivery']);

/** A store whose writes fail as a read-only database's do while `readOnly()` is true (M6 detection). */
export function withReadOnlySwitch(inner: Store, readOnly: () => boolean): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        WRITES.has(String(property)) && readOnly()
          ? Promise.reject(new StoreReadOnlyError('attempt to write a readonly database'))
          : (value as (...parameters: unknown[]) => unknown).apply(target, args);
    },
  });
}
