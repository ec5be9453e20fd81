import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyChat } from '@parley/widget';

describe('<parley-chat>', () => {
  it('C1: renders an accessible launcher', async () => {
    const chat = await fixture<ParleyChat>(html`<parley-chat endpoint="http://localhost" button="sales"></parley-chat>`);
    const launcher = chat.shadowRoot!.querySelector('[part=launcher]')!;
    expect(chat).to.be.instanceOf(ParleyChat);
    expect(launcher.textContent!.trim()).to.equal('Chat with us');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    await expect(chat).to.be.accessible();
  });

  it('C9: opens from the keyboard and tells the page', async () => {
    const chat = await fixture<ParleyChat>(html`<parley-chat></parley-chat>`);
    chat.shadowRoot!.querySelector<HTMLButtonElement>('[part=launcher]')!.focus();
    const opened = oneEvent(chat, 'parley-open');
    await sendKeys({ press: 'Enter' });
    await opened;
    await chat.updateComplete;
    expect(chat.open).to.equal(true);
    expect(chat.shadowRoot!.querySelector('[part=panel]')).not.to.equal(null);
    await expect(chat).to.be.accessible();
  });
});
