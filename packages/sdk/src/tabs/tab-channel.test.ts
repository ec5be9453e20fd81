import { expect } from '@open-wc/testing';
import { createTabChannel } from '@parley/sdk';
import { firstValueFrom } from 'rxjs';

describe('tab channel', () => {
  it('C5: carries a message from one tab to another over BroadcastChannel', async () => {
    const name = `parley-test-${crypto.randomUUID()}`;
    const leader = createTabChannel<{ kind: string; seq: number }>(name);
    const follower = createTabChannel<{ kind: string; seq: number }>(name);
    try {
      const received = firstValueFrom(follower.messages$);
      leader.post({ kind: 'event', seq: 7 });
      expect(await received).to.deep.equal({ kind: 'event', seq: 7 });
    } finally {
      leader.close();
      follower.close();
    }
  });

  it('C5: stands alone where the platform has no BroadcastChannel', () => {
    const opened: string[] = [];
    const Spy = class extends BroadcastChannel {
      constructor(name: string) {
        super(name);
        opened.push(name);
      }
    };
    createTabChannel<string>('parley-test-injected', { BroadcastChannel: Spy }).close();
    expect(opened).to.deep.equal(['parley-test-injected']);

    const alone = createTabChannel<string>('parley-test-alone', { BroadcastChannel: undefined });
    alone.messages$.subscribe();
    expect(() => alone.post('nobody hears this')).not.to.throw();
    alone.close();
  });
});
