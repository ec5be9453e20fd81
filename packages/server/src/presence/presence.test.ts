import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { PresenceView } from '@parley/protocol';
import { FakeClock } from '../clock/fake-clock.js';
import type { TestClient } from '../test-support/test-client.js';
import { openChat } from '../test-support/chat-setup.js';
import { startTestService, type TestService } from '../test-support/test-server.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The next presence frame matching, as a view. */
async function presence(client: TestClient, match: (view: PresenceView) => boolean = () => true): Promise<PresenceView> {
  const frame = await client.next((candidate) => candidate.type === 'presence' && match(candidate.presence as PresenceView));
  return frame.presence as PresenceView;
}

describe('agent presence in the service', () => {
  let service: TestService;
  afterEach(() => service.close());

  it('A1, P9: Offline at sign-in by default; the default presence when one is set', async () => {
    service = await startTestService({
      agents: [
        { id: 'ana', name: 'Ana', offices: ['north'], capacity: 2 },
        { id: 'ben', name: 'Ben', offices: ['north'], capacity: 1, defaultStatus: 'available' },
      ],
    });
    const ana = await service.agent('ana');
    assert.deepEqual(await presence(ana).then((view) => [view.status, view.reason.cause]), ['offline', 'default']);
    const ben = await service.agent('ben');
    assert.equal((await presence(ben, (view) => view.status === 'available')).reason.cause, 'default');
  });

  it('A4: Away for one office keeps the other office answering', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    await ana.request({ type: 'presence', status: 'away', office: 'north' });
    assert.equal(service.server.service.maintenance.availability('sales').online, false);
    assert.equal(service.server.service.maintenance.availability('support').online, true);
  });

  it('A5: an admin sets one agent, or every agent, Away for an office', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    const ben = await service.agent('ben');
    await ana.request({ type: 'presence', status: 'available' });
    await ben.request({ type: 'presence', status: 'available' });
    const one = await service.admin('POST', '/admin/offices/north/away', { agentId: 'ben' });
    assert.deepEqual(one.body.away, ['ben']);
    const benAway = await presence(ben, (view) => view.reason.source === 'admin');
    assert.deepEqual([benAway.status, benAway.reason.actor], ['away', 'admin']);
    const all = await service.admin('POST', '/admin/offices/north/away', {});
    assert.deepEqual(all.body.away, ['ana', 'ben']);
    const anaNow = await presence(ana, (view) => view.reason.source === 'admin');
    assert.deepEqual(anaNow.offices, { north: 'away', south: 'available' });
    assert.equal((await service.admin('POST', '/admin/offices/nowhere/away', {})).status, 404);
  });

  it('P3, A6: every browser of the agent gets the same presence; logout in one logs out all', async () => {
    service = await startTestService();
    const first = await service.agent('ana', 'browser-a');
    const second = await service.agent('ana', 'browser-b');
    await first.request({ type: 'presence', status: 'available' });
    const seen = await presence(second, (view) => view.status === 'available');
    await first.request({ type: 'presence', status: 'lunch' });
    const lunch = await presence(second, (view) => view.custom === 'lunch');
    assert.equal(lunch.status, 'away');
    assert.equal(lunch.version, seen.version + 1);
    await first.request({ type: 'logout' });
    assert.equal((await second.closed).code, 4410);
    assert.equal((await first.closed).code, 4410);
    assert.equal(service.server.service.presence.view('ana').status, 'offline');
  });

  it('A7, P7: closing one of two connections changes nothing; after the last, presence holds for the grace, then Offline (disconnect)', async () => {
    service = await startTestService();
    const first = await service.agent('ana', 'browser-a');
    const second = await service.agent('ana', 'browser-b');
    await first.request({ type: 'presence', status: 'available' });
    await first.close();
    await service.advance(10 * MINUTE);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await second.request({ type: 'activity', at: service.clock.now() });
    await second.close();
    await service.advance(120 * SECOND - 1);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await service.advance(1);
    const view = service.server.service.presence.view('ana');
    assert.deepEqual([view.status, view.reason.cause], ['offline', 'disconnect']);
  });

  it('P6, M7: a reconnect within the grace (a refresh, a drain) keeps presence without a flap', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const before = service.server.service.presence.view('ana');
    await ana.close();
    await service.advance(30 * SECOND);
    const again = await service.agent('ana');
    const restored = await presence(again);
    assert.deepEqual([restored.status, restored.version], ['available', before.version]);
    await service.advance(5 * MINUTE);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
  });

  it('A3: Away after 60 minutes without activity in any tab; activity pushes it back', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    await service.advance(50 * MINUTE);
    await ana.request({ type: 'activity', at: service.clock.now() });
    await service.advance(59 * MINUTE);
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await service.advance(1 * MINUTE);
    const view = await presence(ana, (candidate) => candidate.status === 'away');
    assert.equal(view.reason.cause, 'idle');
  });

  it('P2: presence is never computed from the time of day: for 36 hours from Sunday midnight, every hour, an Available agent reconnects, is offered a chat, works it and stays Available, an Away one stays Away, and the button stays online', async () => {
    // A weekend night and day, a weekday night and morning: whatever business hours could be, they are crossed.
    service = await startTestService({ presence: { idleMinutes: 24 * 60 } }, { clock: new FakeClock(Date.UTC(2026, 0, 4, 0, 0, 0)) });
    let ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const ben = await service.agent('ben');
    await ben.request({ type: 'presence', status: 'away' });
    const watcher = await service.customer('browser-watcher');
    assert.equal((await watcher.next((frame) => frame.type === 'availability')).online, true);
    const seen: string[] = [];
    for (let hour = 0; hour < 36; hour++) {
      await service.advance(HOUR);
      const at = new Date(service.clock.now()).toISOString();
      // A reconnect (presence restored) and sign-in rules run at this hour.
      await ana.close();
      await service.agentGone('ana');
      ana = await service.agent('ana');
      assert.equal((await presence(ana)).status, 'available', `ana after a reconnect at ${at}`);
      // Routing and capacity run at this hour: a chat is offered to Ana (never to Ben, who is Away), worked and closed.
      const customer = await service.customer(`browser-${hour}`);
      const started = await customer.request({ type: 'start' });
      assert.equal(started.type, 'result', `start at ${at}: ${JSON.stringify(started)}`);
      const { sessionId } = started.data as { sessionId: string };
      const offer = await ana.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
      await ana.request({ type: 'accept', offerId: offer.offerId });
      await customer.request({ type: 'end' });
      await ana.request({ type: 'close-work', sessionId });
      await customer.close();
      const [anaNow, benNow] = [service.server.service.presence.view('ana'), service.server.service.presence.view('ben')];
      seen.push(`${anaNow.status}/${benNow.status}/${service.server.service.maintenance.availability('sales').online}`);
      assert.deepEqual([anaNow.status, anaNow.capacity.used, benNow.status, benNow.reason.cause], ['available', 0, 'away', 'manual'], `at ${at}`);
    }
    assert.deepEqual(new Set(seen), new Set(['available/away/true']));
    assert.equal(ben.frames.some((frame) => frame.type === 'offer'), false);
    // What the customer side heard all along: never offline.
    assert.equal(watcher.frames.some((frame) => frame.type === 'availability' && frame.online === false), false);
  });

  it('P1: Available turns Busy at capacity and back when work is closed; P4: a consult uses no capacity', async () => {
    service = await startTestService();
    const { agent: ben, customer, sessionId } = await openChat(service, { agentId: 'ben' });
    assert.equal((await presence(ben, (view) => view.status === 'busy')).reason.cause, 'capacity');
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    await ana.request({ type: 'consult', sessionId });
    assert.deepEqual(service.server.service.presence.view('ana').capacity, { used: 0, total: 2 });
    assert.equal(service.server.service.presence.view('ana').status, 'available');
    await customer.request({ type: 'end' });
    await ben.request({ type: 'close-work', sessionId });
    assert.ok(await presence(ben, (view) => view.status === 'available' && view.reason.cause === 'capacity'));
  });

  it('P5: ended work holds capacity, is listed as stuck, and is released by the agent, by an admin, or when the bound passes', async () => {
    service = await startTestService();
    const ben = await service.agent('ben');
    await ben.request({ type: 'presence', status: 'available' });
    const capacityOf = () => service.server.service.presence.view('ben').capacity.used;
    const stuck = async () => ((await service.admin('GET', '/admin/stuck-work')).body.work as Array<{ sessionId: string }>).map((work) => work.sessionId);
    /** A chat Ben accepted and the customer ended: it still holds his one slot. */
    const endedChat = async (browserId: string) => {
      const customer = await service.customer(browserId);
      const { sessionId } = (await customer.request({ type: 'start' })).data as { sessionId: string };
      const offer = await ben.next((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
      await ben.request({ type: 'accept', offerId: offer.offerId });
      await customer.request({ type: 'end' });
      assert.deepEqual([await stuck(), capacityOf(), service.server.service.presence.view('ben').status], [[sessionId], 1, 'busy']);
      // Shown to the agent: the work is in wrap-up.
      await ben.next((frame) => frame.type === 'work' && (frame.items as Array<{ sessionId: string; phase: string }>).some((item) => item.sessionId === sessionId && item.phase === 'wrap-up'));
      return sessionId;
    };
    const released = async () => {
      assert.deepEqual([await stuck(), capacityOf()], [[], 0]);
      await presence(ben, (view) => view.status === 'available' && view.capacity.used === 0);
    };

    // The agent closes it.
    const closedByAgent = await endedChat('browser-1');
    assert.equal((await ben.request({ type: 'close-work', sessionId: closedByAgent })).type, 'result');
    await released();

    // An admin releases it.
    const releasedByAdmin = await endedChat('browser-2');
    const answer = await service.admin('POST', '/admin/stuck-work/release', { sessionId: releasedByAdmin, agentId: 'ben' });
    assert.deepEqual([answer.status, answer.body.released], [200, { sessionId: releasedByAdmin, agentId: 'ben' }]);
    await released();

    // Nobody does: it holds until the bound (30 minutes), then is released.
    const bound = await endedChat('browser-3');
    await service.advance(30 * MINUTE - 1);
    assert.deepEqual([await stuck(), capacityOf()], [[bound], 1]);
    await service.advance(1);
    await released();
  });

  it('P10: an offer not accepted in time sets Away (missed) and goes to the next agent; reset presence returns to capacity status', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    const ben = await service.agent('ben');
    await ana.request({ type: 'presence', status: 'available' });
    await ben.request({ type: 'presence', status: 'available' });
    const customer = await service.customer('browser-1');
    await customer.request({ type: 'start' });
    const first = await ana.next((frame) => frame.type === 'offer');
    await service.advance(30 * SECOND);
    await ana.next((frame) => frame.type === 'offer-withdrawn' && frame.offerId === first.offerId);
    assert.equal((await presence(ana, (view) => view.status === 'away')).reason.cause, 'missed');
    await ben.next((frame) => frame.type === 'offer');
    await ana.request({ type: 'reset-presence' });
    assert.deepEqual(await presence(ana, (view) => view.reason.cause === 'reset').then((view) => view.status), 'available');
  });

  it('P8, P11: custom statuses appear in the presence report with source, cause, actor, start and duration, as CSV', async () => {
    service = await startTestService();
    const ana = await service.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    await service.advance(10 * MINUTE);
    await ana.request({ type: 'presence', status: 'lunch' });
    await service.advance(30 * MINUTE);
    const report = await service.admin('GET', '/admin/presence-report');
    const rows = report.body.rows as Array<Record<string, unknown>>;
    const available = rows.find((row) => row.status === 'available' && row.agentId === 'ana')!;
    assert.deepEqual([available.source, available.cause, available.actor, available.durationSeconds], ['agent', 'manual', 'ana', 600]);
    const lunch = rows.find((row) => row.custom === 'lunch')!;
    assert.deepEqual([lunch.status, lunch.durationSeconds], ['away', 1800]);
    const csv = await fetch(`${service.server.url}/admin/presence-report?format=csv`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines[0], 'agentId,status,custom,source,cause,actor,startedAt,durationSeconds');
    assert.ok(lines.some((line) => line.startsWith('ana,away,lunch,agent,manual,ana,')));
  });
});
