import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { filter, firstValueFrom } from 'rxjs';
import type { ChatClient } from '@parley/sdk';
// Registers <parley-chat>, whose panel and chat client are the real ones.
import '@parley/widget';
import type { ParleyChat } from '@parley/widget';
import type { ParleyChatPanel } from '@parley/widget/panel';
import { RawAgent, startService } from '../../../sdk/src/test-support/live-service.js';
import { click, typeInto, typeKeys } from '../test-support/input.js';

/** The widget with its real panel and client, chatting with Ana (a raw agent) on a real service. */
async function chatting(): Promise<{ panel: ParleyChatPanel; client: ChatClient; agent: RawAgent; sessionId: string }> {
  const service = await startService();
  const agent = await RawAgent.connect(service, 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  const chat = await fixture<ParleyChat>(html`<parley-chat endpoint=${service.url} button="sales"></parley-chat>`);
  await chat.open();
  const panel = chat.shadowRoot!.querySelector<ParleyChatPanel>('parley-chat-panel')!;
  const client = panel.client as ChatClient;
  await firstValueFrom(client.availability$.pipe(filter((availability) => availability?.online === true)));
  await panel.updateComplete;
  await typeInto(panel.shadowRoot!.querySelector('input[name=name]')!, 'Dana');
  await click(panel.shadowRoot!.querySelector('button[type=submit]')!);
  const offer = await agent.seen((frame) => frame.type === 'offer');
  await agent.request({ type: 'accept', offerId: offer.offerId });
  await firstValueFrom(client.session$.pipe(filter((session) => session.state === 'active')));
  return { panel, client, agent, sessionId: offer.sessionId as string };
}

/** The tick of the customer's message with this text, once the panel shows it in `status`. */
async function tick(panel: ParleyChatPanel, client: ChatClient, text: string, status: string): Promise<Element> {
  await firstValueFrom(client.messages$.pipe(filter((messages) => messages.some((message) => message.text === text && message.status === status))));
  await panel.updateComplete;
  const line = [...panel.shadowRoot!.querySelectorAll('[part~=message-customer]')].find((item) => item.textContent!.includes(text))!;
  return line.querySelector('[part~=tick]')!;
}

describe('the widget: ticks and the rating, against the real service', () => {
  before(() => emulateMedia({ reducedMotion: 'reduce' }));

  it('I4: the customer\'s message ticks go sent → delivered → read as the agent receives and reads it; the customer\'s reads reach the agent', async () => {
    const { panel, client, agent, sessionId } = await chatting();
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Hello Dana' });
    // The panel is open and the page visible: the agent's message is read as it arrives.
    const read = await agent.seen((frame) => frame.type === 'receipt' && frame.by === 'customer' && (frame.read as number) > 0);
    const reply = await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'Hello Dana');
    expect(read.read).to.be.at.least(reply.seq as number);

    await click(panel.shadowRoot!.querySelector('#composer')!);
    await typeKeys('Where is my order?\n');
    const sent = await tick(panel, client, 'Where is my order?', 'sent');
    expect([sent.className, sent.getAttribute('aria-label'), sent.textContent]).to.deep.equal(['sent', 'Sent', '✓']);
    const event = await agent.seen((frame) => frame.type === 'event' && (frame.event as { text?: string }).text === 'Where is my order?');
    await agent.request({ type: 'receipt', sessionId, delivered: event.seq, read: 0 });
    const delivered = await tick(panel, client, 'Where is my order?', 'delivered');
    expect([delivered.className, delivered.getAttribute('aria-label'), delivered.textContent]).to.deep.equal(['delivered', 'Delivered', '✓✓']);
    await agent.request({ type: 'receipt', sessionId, delivered: event.seq, read: event.seq });
    const shown = await tick(panel, client, 'Where is my order?', 'read');
    expect([shown.className, shown.getAttribute('aria-label')]).to.deep.equal(['read', 'Read']);
    await expect(panel).to.be.accessible();
    agent.close();
  });

  it('I3: once the chat ends the customer rates it with stars and a comment, and the agent sees the rating', async () => {
    const { panel, client, agent, sessionId } = await chatting();
    await agent.request({ type: 'end-session', sessionId });
    await firstValueFrom(client.session$.pipe(filter((session) => session.state === 'ended')));
    await panel.updateComplete;
    const form = panel.shadowRoot!.querySelector('form[part=rating]')!;
    expect(form.querySelector('legend')!.textContent).to.equal('How was your chat?');
    await expect(panel).to.be.accessible();
    await click(form.querySelector('input[value="4"]')!.closest('label')!);
    await typeInto(form.querySelector('textarea[name=comment]')!, 'Quick and kind');
    await click(form.querySelector('button[type=submit]')!);
    const rating = await agent.seen((frame) => frame.type === 'event' && (frame.event as { kind: string }).kind === 'rating');
    expect(rating.event).to.deep.equal({ kind: 'rating', score: 4, comment: 'Quick and kind' });
    await firstValueFrom(client.events$.pipe(filter((events) => events.some((item) => item.kind === 'rating'))));
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('form[part=rating]')).to.equal(null);
    expect(panel.shadowRoot!.querySelector('[part=rating]')!.textContent).to.equal('Thank you for your feedback.');
    await expect(panel).to.be.accessible();
    agent.close();
  });
});
