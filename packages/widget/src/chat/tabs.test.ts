import { expect } from '@open-wc/testing';
import type { ParleyChat } from '@parley/widget';
import { RawAgent, startService } from '../../../sdk/src/test-support/live-service.js';

/** A page of the site with the widget's script tag, in a same-origin frame (a tab, as far as the widget can tell). */
async function sitePage(endpoint: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body><script src="/packages/widget/dist/parley-chat.js" data-endpoint="${endpoint}" data-button="sales"></script></body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

async function until<T>(check: () => T | undefined | null | false): Promise<T> {
  for (let frame = 0; frame < 600; frame++) {
    const value = check();
    if (value) return value;
    await new Promise(requestAnimationFrame);
  }
  throw new Error('never happened');
}

const widget = (frame: HTMLIFrameElement) => frame.contentDocument!.querySelector<ParleyChat>('parley-chat')!;
const panelText = (frame: HTMLIFrameElement) => widget(frame).shadowRoot!.querySelector('parley-chat-panel')?.shadowRoot?.textContent ?? '';

describe('the widget in several tabs', () => {
  it('C5: the conversation started in one tab continues in another', async () => {
    const service = await startService();
    const agent = await RawAgent.connect(service, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const first = await sitePage(service.url);
    const second = await sitePage(service.url);
    await until(() => widget(first) && widget(second));
    await widget(first).open();
    const panel = await until(() => widget(first).shadowRoot!.querySelector('parley-chat-panel'));
    const name = await until(() => panel.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]'));
    name.value = 'Dana';
    name.form!.requestSubmit();
    const offer = await agent.seen((frame) => frame.type === 'offer');
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await agent.request({ type: 'reply', sessionId: offer.sessionId, cmid: 'a1', text: 'Hello Dana, how can I help?' });
    await widget(second).open();
    await until(() => panelText(second).includes('Hello Dana, how can I help?'));
    expect(panelText(first)).to.contain('Hello Dana, how can I help?');
    first.remove();
    second.remove();
    agent.close();
  });
});
