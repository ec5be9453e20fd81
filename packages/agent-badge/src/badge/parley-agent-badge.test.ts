import { expect, fixture, html } from '@open-wc/testing';
import { ParleyAgentBadge } from '@parley/agent-badge';

describe('<parley-agent-badge>', () => {
  it('A1: shows Offline by default', async () => {
    const badge = await fixture<ParleyAgentBadge>(html`<parley-agent-badge></parley-agent-badge>`);
    expect(badge.shadowRoot!.querySelector('[part=label]')!.textContent).to.equal('Offline');
    await expect(badge).to.be.accessible();
  });

  it('A2: shows a green light when Available', async () => {
    const badge = await fixture<ParleyAgentBadge>(html`<parley-agent-badge status="available"></parley-agent-badge>`);
    const light = badge.shadowRoot!.querySelector('[part=light]')!;
    expect(getComputedStyle(light).backgroundColor).to.equal('rgb(21, 128, 61)');
    expect(badge.shadowRoot!.querySelector('[part=label]')!.textContent).to.equal('Available');
    await expect(badge).to.be.accessible();
  });
});
