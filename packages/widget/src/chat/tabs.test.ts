import { expect } from '@open-wc/testing';
import { filter, firstValueFrom } from 'rxjs';
import type { ChatClient } from '@parley/sdk';
import type { ParleyChat } from '@parley/widget';
import type { ParleyChatPanel } from '@parley/widget/panel';
import { RawAgent, startService } from '../../../sdk/src/test-support/live-service.js';

/** A page of the site with the widget's script tag, in a same-origin frame (a tab, as far as the widget can tell). */
async function sitePage(endpoint: string): Promise<ParleyChat> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body><script src="/packages/widget/dist/parley-chat.js" data-endpoint="${endpoint}" data-button="sales"></script></body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  // The script is synchronous here, so the widget is on the page once the frame has loaded.
  return frame.contentDocument!.querySelector<ParleyChat>('parley-chat')!;
}

/** Opens the widget and returns its panel, with the chat client the panel renders. */
async function openPanel(chat: ParleyChat): Promise<{ panel: ParleyChatPanel; client: ChatClient }> {
  await chat.open();
  const panel = chat.shadowRoot!.querySelector<ParleyChatPanel>('parley-chat-panel')!;
  await panel.updateComplete;
  return { panel, client: panel.client as ChatClient };
}

const agentSaid = (client: ChatClient, text: string) =>
  firstValueFrom(client.messages$.pipe(filter((messages) => messages.some((message) => message.from === 'agent' && message.text === text))));

describe('the widget in several tabs', () => {
  it('C5: the conversation started in one tab continues in another', async () => {
    const service = await startService();
    const agent = await RawAgent.connect(service, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const first = await sitePage(service.url);
    const second = await sitePage(service.url);

    const { panel, client } = await openPanel(first);
    await firstValueFrom(client.availability$.pipe(filter((availability) => availability?.online === true)));
    await panel.updateComplete;
    const name = panel.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]')!;
    name.value = 'Dana';
    name.form!.requestSubmit();
    const offer = await agent.seen((frame) => frame.type === 'offer');
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await agent.request({ type: 'reply', sessionId: offer.sessionId, cmid: 'a1', text: 'Hello Dana, how can I help?' });

    const other = await openPanel(second);
    await agentSaid(other.client, 'Hello Dana, how can I help?');
    await other.panel.updateComplete;
    expect(other.panel.shadowRoot!.textContent).to.contain('Hello Dana, how can I help?');
    await agentSaid(client, 'Hello Dana, how can I help?');
    await panel.updateComplete;
    expect(panel.shadowRoot!.textContent).to.contain('Hello Dana, how can I help?');
    first.ownerDocument.defaultView!.frameElement!.remove();
    second.ownerDocument.defaultView!.frameElement!.remove();
    agent.close();
  });
});
