import { expect } from '@open-wc/testing';
import { combineLatest, firstValueFrom, race, filter, map } from 'rxjs';
import { openTab, type TabFrame } from '../test-support/tab-frame.js';
import { RawAgent, serviceMetrics, startService, until, type LiveService } from '../test-support/live-service.js';

async function customerSockets(service: LiveService, expected: number): Promise<number> {
  // Asks the service until the count settles: each question is a round trip, not a timer.
  let count = -1;
  for (let tries = 0; tries < 200 && count !== expected; tries++) count = (await serviceMetrics(service)).connections.customer;
  return count;
}

const leaders = (tabs: TabFrame[]) => Promise.all(tabs.map((tab) => firstValueFrom(tab.chat.leader$)));

describe('tabs of one browser', () => {
  it('C5: five pages make one customer socket, share the conversation, and a new leader takes over with nothing lost', async () => {
    const service = await startService();
    const agent = await RawAgent.connect(service, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const tabs = await Promise.all(Array.from({ length: 5 }, () => openTab({ endpoint: service.url, button: 'sales' })));
    await Promise.all(tabs.map((tab) => until(tab.chat.connection$, (state) => state.status === 'open')));
    expect((await leaders(tabs)).filter(Boolean).length).to.equal(1);
    expect(await customerSockets(service, 1)).to.equal(1);

    // A follower starts the chat through the leader; every tab sees it.
    const follower = tabs[(await leaders(tabs)).indexOf(false)]!;
    const sessionId = await follower.chat.start({ name: 'Dana' });
    const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await Promise.all(tabs.map((tab) => until(tab.chat.session$, (session) => session.state === 'active')));
    await tabs[1]!.chat.send('from tab 2');
    await tabs[3]!.chat.send('from tab 4');
    await Promise.all(tabs.map((tab) => until(tab.chat.messages$, (list) => list.filter((message) => message.status === 'sent').length === 2)));

    // Close the leader; a message written during the handover is not lost.
    const leaderIndex = (await leaders(tabs)).indexOf(true);
    const rest = tabs.filter((_, index) => index !== leaderIndex);
    const closedAt = performance.now();
    tabs[leaderIndex]!.close();
    const handedOver = race(rest.map((tab) => tab.chat.leader$.pipe(filter(Boolean))));
    const during = rest[0]!.chat.send('during the handover');
    await firstValueFrom(handedOver);
    console.log(`C5: leader handover took ${Math.round(performance.now() - closedAt)} ms`);
    await during;
    await Promise.all(rest.map((tab) => until(tab.chat.messages$, (list) => list.filter((message) => message.status === 'sent').length === 3)));
    const texts = await firstValueFrom(combineLatest(rest.map((tab) => tab.chat.messages$)).pipe(map((lists) => lists.map((list) => list.map((message) => message.text)))));
    for (const list of texts) expect(list).to.deep.equal(['from tab 2', 'from tab 4', 'during the handover']);
    expect(await customerSockets(service, 1)).to.equal(1);
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'during the handover');
    expect(agent.customerTexts(sessionId)).to.deep.equal(['from tab 2', 'from tab 4', 'during the handover']);
    for (const tab of rest) tab.close();
    agent.close();
  });
});
