import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { ParleyAgentBadge } from '@parley/agent-badge';
import { FakeAgentClient, presenceView } from '../test-support/fake-agent-client.js';
import { agentToken, startService, until } from '../../../sdk/src/test-support/live-service.js';

async function click(element: Element): Promise<void> {
  const rect = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
}

async function badgeWith(client: FakeAgentClient): Promise<ParleyAgentBadge> {
  const badge = await fixture<ParleyAgentBadge>(html`<parley-agent-badge .client=${client} .customStatuses=${[{ id: 'lunch', label: 'At lunch' }]}></parley-agent-badge>`);
  await badge.updateComplete;
  return badge;
}

const $ = (badge: ParleyAgentBadge, selector: string) => badge.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (badge: ParleyAgentBadge) => badge.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('<parley-agent-badge>', () => {
  it('A1, P9: signed in to the real service, shows the Offline it was given at sign-in (and an agent\'s default presence when one is set)', async () => {
    const service = await startService({
      agents: [
        { id: 'ana', name: 'Ana', offices: ['north'], capacity: 5 },
        { id: 'ben', name: 'Ben', offices: ['north'], capacity: 5, defaultStatus: 'available' },
      ],
    });
    const signedIn = async (agentId: string) => {
      const badge = await fixture<ParleyAgentBadge>(html`<parley-agent-badge endpoint=${service.url} token=${await agentToken(service, agentId)}></parley-agent-badge>`);
      // The service's presence, not the badge's placeholder before it has any.
      const presence = await until(badge.client!.presence$, (candidate) => candidate.view !== undefined && !candidate.reconnecting);
      await badge.updateComplete;
      return { badge, view: presence.view! };
    };
    const ana = await signedIn('ana');
    expect([ana.view.status, ana.view.reason.cause]).to.deep.equal(['offline', 'default']);
    expect($(ana.badge, '[part=label]')!.textContent).to.equal('Offline');
    expect(ana.badge.shadowRoot!.querySelector('select')!.value).to.equal('offline');
    expect($(ana.badge, '[part=capacity]')!.textContent).to.equal('0 of 5 chats');
    await expect(ana.badge).to.be.accessible();
    const ben = await signedIn('ben');
    expect([ben.view.status, ben.view.reason.cause]).to.deep.equal(['available', 'default']);
    expect($(ben.badge, '[part=label]')!.textContent).to.equal('Available');
    ana.badge.remove();
    ben.badge.remove();
  });

  it('A2: shows a green light when Available, with capacity', async () => {
    const badge = await badgeWith(new FakeAgentClient());
    expect(getComputedStyle($(badge, '[part=light]')!).backgroundColor).to.equal('rgb(21, 128, 61)');
    expect($(badge, '[part=label]')!.textContent).to.equal('Available');
    expect($(badge, '[part=capacity]')!.textContent).to.equal('1 of 3 chats');
    await expect(badge).to.be.accessible();
  });

  it('A2, P8: the status menu works from the keyboard; custom statuses show with their base', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    $(badge, 'select')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(client.calls).to.deep.equal([['status', 'away']]);
    client.presence$.next({ view: presenceView({ status: 'away', custom: 'lunch', version: 2 }), reconnecting: false, manualAt: undefined });
    await badge.updateComplete;
    expect($(badge, '[part=label]')!.textContent).to.equal('Away · At lunch');
  });

  it('A4: per-office toggles set one office Available or Away', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    const toggles = [...badge.shadowRoot!.querySelectorAll<HTMLInputElement>('input[role=switch]')];
    expect(toggles.length).to.equal(2);
    await click(toggles[0]!);
    expect(client.calls).to.deep.equal([['office', 'north', 'away']]);
    await expect(badge).to.be.accessible();
  });

  it('P7, M7: a reconnecting overlay over the held status, not a flip to Offline', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    client.presence$.next({ view: presenceView(), reconnecting: true, manualAt: undefined });
    client.connection$.next({ status: 'reconnecting', reason: 'maintenance', attempt: 0, nextInMs: 300 });
    await badge.updateComplete;
    expect(text(badge)).to.contain('Available');
    expect($(badge, '[part=overlay]')!.textContent).to.equal('Reconnecting…');
    await expect(badge).to.be.accessible();
  });

  it('P10, P11: an automatic change says why, and a missed offer offers reset presence', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    client.presence$.next({ view: presenceView({ status: 'away', reason: { source: 'system', cause: 'missed', actor: 'system', at: 1 }, version: 3 }), reconnecting: false, manualAt: undefined });
    await badge.updateComplete;
    expect($(badge, '[part=reason]')!.textContent).to.equal('Set Away automatically: a chat offer was missed.');
    const reset = [...badge.shadowRoot!.querySelectorAll('button')].find((button) => button.textContent === 'Reset presence')!;
    await click(reset);
    expect(client.calls).to.deep.equal([['reset']]);
    await expect(badge).to.be.accessible();
  });

  it('A6: logout, and a logout elsewhere, shows signed out and tells the page', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    const logout = [...badge.shadowRoot!.querySelectorAll('button')].find((button) => button.textContent === 'Log out')!;
    await click(logout);
    expect(client.calls).to.deep.equal([['logout']]);
    const told = oneEvent(badge, 'parley-logged-out');
    client.loggedOut$.next(true);
    await told;
    await badge.updateComplete;
    expect(text(badge)).to.contain('Signed out');
  });

  it('P11: the capacity reason says which way it went: all slots in use when Busy, a slot free when Available again', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    client.presence$.next({ view: presenceView({ status: 'busy', capacity: { used: 3, total: 3 }, reason: { source: 'system', cause: 'capacity', actor: 'system', at: 1 } }), reconnecting: false, manualAt: undefined });
    await badge.updateComplete;
    expect($(badge, '[part=reason]')!.textContent).to.equal('Set Busy automatically: all chat slots are in use.');
    client.presence$.next({ view: presenceView({ status: 'available', capacity: { used: 1, total: 3 }, reason: { source: 'system', cause: 'capacity', actor: 'system', at: 2 }, version: 2 }), reconnecting: false, manualAt: undefined });
    await badge.updateComplete;
    expect($(badge, '[part=reason]')!.textContent).to.equal('Set Available automatically: a chat slot is free.');
    expect($(badge, '[part=capacity]')!.textContent).to.equal('1 of 3 chats');
    await expect(badge).to.be.accessible();
  });

  it('M1, M2: a planned window shows from when it is scheduled until it is over; after it, the reason says the agent is back', async () => {
    const client = new FakeAgentClient();
    const badge = await badgeWith(client);
    const startsAt = Date.UTC(2026, 0, 10, 9, 0);
    client.windows$.next([{ id: 'w1', startsAt, endsAt: startsAt + 3_600_000, message: 'Upgrading the chat service' }]);
    await badge.updateComplete;
    const line = $(badge, '[part=maintenance]')!;
    expect(line.getAttribute('role')).to.equal('status');
    expect(line.textContent).to.match(/^Planned maintenance .+: Upgrading the chat service\. You will be set Offline for it, and back after\.$/);
    await expect(badge).to.be.accessible();
    client.windows$.next([]);
    client.presence$.next({ view: presenceView({ reason: { source: 'system', cause: 'maintenance', actor: 'system', at: 3 }, version: 3 }), reconnecting: false, manualAt: undefined });
    await badge.updateComplete;
    expect($(badge, '[part=maintenance]')).to.equal(null);
    expect($(badge, '[part=reason]')!.textContent).to.equal('Set Available automatically: planned maintenance is over.');
  });
});
