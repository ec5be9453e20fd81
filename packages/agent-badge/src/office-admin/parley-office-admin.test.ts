import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { ParleyOfficeAdmin } from '@parley/agent-badge';
import { RawAgent, startService } from '../../../sdk/src/test-support/live-service.js';

async function click(element: Element): Promise<void> {
  const rect = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
}

const button = (admin: ParleyOfficeAdmin, label: string) => [...admin.shadowRoot!.querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === label)!;

describe('<parley-office-admin> (real service)', () => {
  it('A5, P5, P8: sets agents Away for an office, releases stuck work, shows and exports the presence report', async () => {
    const service = await startService();
    const ana = await RawAgent.connect(service, 'ana');
    await ana.request({ type: 'presence', status: 'available' });
    // Stuck work: a chat that ended but still holds Ana's capacity.
    const customer = new WebSocket(`${service.url.replace('http', 'ws')}/v1/socket`);
    await new Promise((resolve) => (customer.onopen = resolve));
    const answers: Array<Record<string, unknown>> = [];
    customer.onmessage = (event) => answers.push(JSON.parse(String(event.data)) as Record<string, unknown>);
    customer.send(JSON.stringify({ type: 'hello', v: 1, role: 'customer', browserId: 'admin-test', button: 'sales' }));
    customer.send(JSON.stringify({ type: 'start', ref: 's' }));
    const offer = await ana.seen((frame) => frame.type === 'offer');
    await ana.request({ type: 'accept', offerId: offer.offerId });
    await ana.request({ type: 'end-session', sessionId: offer.sessionId });

    const admin = await fixture<ParleyOfficeAdmin>(html`<parley-office-admin endpoint=${service.url} admin-token=${service.adminToken}></parley-office-admin>`);
    await admin.refresh();
    await admin.updateComplete;
    expect(admin.shadowRoot!.textContent).to.contain('Ended chats still holding capacity');
    expect(admin.stuck.map((work) => work.agentId)).to.deep.equal(['ana']);
    await expect(admin).to.be.accessible();

    let done = oneEvent(admin, 'parley-admin-done');
    await click(admin.shadowRoot!.querySelector('tbody button')!);
    expect((await done).detail).to.equal('release');
    await admin.updateComplete;
    expect(admin.stuck).to.deep.equal([]);

    done = oneEvent(admin, 'parley-admin-done');
    await click(button(admin, 'Set Away'));
    expect((await done).detail).to.equal('office-away');
    const away = await ana.seen((frame) => frame.type === 'presence' && (frame.presence as { reason: { source: string } }).reason.source === 'admin');
    expect((away.presence as { status: string }).status).to.equal('away');

    await admin.refresh();
    await admin.updateComplete;
    expect(admin.report.some((row) => row.agentId === 'ana' && row.source === 'admin' && row.cause === 'manual')).to.equal(true);
    const downloads: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      done = oneEvent(admin, 'parley-admin-done');
      await click(button(admin, 'Export CSV'));
      await done;
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(downloads).to.deep.equal(['presence-report.csv']);
    await expect(admin).to.be.accessible();
    customer.close();
    ana.close();
  });
});
