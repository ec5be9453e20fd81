import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import { ParleyRatings } from '@parley/agent-badge';
import { chatting, startService, until } from '../../../sdk/src/test-support/live-service.js';

async function click(element: Element): Promise<void> {
  const rect = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.left + rect.width / 2), Math.round(rect.top + rect.height / 2)] });
}

describe('<parley-ratings> (real service)', () => {
  it('I3: admins see how customers rated their chats (count, average, each rating) and export them as CSV', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    await chat.end();
    await until(chat.session$, (session) => session.state === 'ended');
    await chat.rate(4, 'Quick and kind');

    const element = await fixture<ParleyRatings>(html`<parley-ratings endpoint=${service.url} admin-token=${service.adminToken}></parley-ratings>`);
    await element.refresh();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('.row p')!.textContent).to.equal('1 rating in the last 30 days, average 4 of 5.');
    const cells = [...element.shadowRoot!.querySelectorAll('tbody td')].map((cell) => cell.textContent!.trim());
    expect(cells.slice(1)).to.deep.equal(['★★★★☆4 of 5', 'Quick and kind', 'ana', 'sales', sessionId]);
    await expect(element).to.be.accessible();

    const downloads: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      const done = oneEvent(element, 'parley-admin-done');
      await click([...element.shadowRoot!.querySelectorAll('button')].find((button) => button.textContent === 'Export CSV')!);
      expect((await done).detail).to.equal('export');
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(downloads).to.deep.equal(['ratings.csv']);
    chat.close();
    agent.close();
  });

  it('I3: without the admin token the report is refused and says so', async () => {
    const service = await startService();
    const element = await fixture<ParleyRatings>(html`<parley-ratings endpoint=${service.url} admin-token="wrong"></parley-ratings>`);
    await element.refresh();
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('admin token');
    expect(element.shadowRoot!.querySelector('table')).to.equal(null);
  });
});
