import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { ParleyLeftMessages } from '@parley/agent-badge';
import { startService } from '../../../sdk/src/test-support/live-service.js';

async function click(element: Element): Promise<void> {
  const rect = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
}

const button = (element: ParleyLeftMessages, label: string) => [...element.shadowRoot!.querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === label)!;

describe('<parley-left-messages> (real service)', () => {
  it('C2: admins see what customers left, mark it handled, see it among the handled ones, and export the list as CSV', async () => {
    const service = await startService();
    const leave = (name: string, text: string) =>
      fetch(`${service.url}/v1/offline-messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ button: 'sales', name, email: `${name.toLowerCase()}@example.com`, text }) });
    expect((await leave('Dana', 'Please call me about order A-1042')).status).to.equal(201);
    expect((await leave('Olu', 'Do you ship to Norway?')).status).to.equal(201);

    const element = await fixture<ParleyLeftMessages>(html`<parley-left-messages endpoint=${service.url} admin-token=${service.adminToken}></parley-left-messages>`);
    await element.refresh();
    await element.updateComplete;
    const rows = () => [...element.shadowRoot!.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(2, 6).map((cell) => cell.textContent!.trim()));
    expect(rows()).to.deep.equal([
      ['Olu', 'olu@example.com', 'Do you ship to Norway?', 'Open'],
      ['Dana', 'dana@example.com', 'Please call me about order A-1042', 'Open'],
    ]);
    expect(element.shadowRoot!.querySelector('a')!.getAttribute('href')).to.equal('mailto:olu@example.com');
    await expect(element).to.be.accessible();

    let done = oneEvent(element, 'parley-admin-done');
    await click(button(element, 'Mark handled'));
    expect((await done).detail).to.equal('handled');
    await element.updateComplete;
    expect(rows().map(([name]) => name)).to.deep.equal(['Dana']);

    const select = element.shadowRoot!.querySelector('select')!;
    select.value = 'handled';
    select.dispatchEvent(new Event('change'));
    await element.refresh();
    await element.updateComplete;
    expect(rows()[0]![0]).to.equal('Olu');
    expect(rows()[0]![3]).to.match(/\(admin\)$/);

    const downloads: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      done = oneEvent(element, 'parley-admin-done');
      await click(button(element, 'Export CSV'));
      expect((await done).detail).to.equal('export');
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(downloads).to.deep.equal(['left-messages-handled.csv']);
  });
});
