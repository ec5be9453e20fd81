import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { createChatClient, type ChatClient } from '@parley/sdk';
import { uploadFile } from '@parley/sdk/attachments';
import { ParleyChatPanel } from '@parley/widget/panel';
import { pngFile } from '../../../sdk/src/test-support/image-file.js';
import { agentToken, RawAgent, startService, startServiceAgain, stopService, until, type LiveService } from '../../../sdk/src/test-support/live-service.js';
import { click } from '../test-support/input.js';

void ParleyChatPanel;

/** The panel with a real client, in an Active chat with Ana (a raw agent). */
async function chattingPanel(service: LiveService): Promise<{ panel: ParleyChatPanel; client: ChatClient; agent: RawAgent; sessionId: string }> {
  const agent = await RawAgent.connect(service, 'ana');
  await agent.request({ type: 'presence', status: 'available' });
  const client = createChatClient({ endpoint: service.url, button: 'sales' });
  await until(client.availability$, (availability) => availability?.online === true);
  const sessionId = await client.start({ name: 'Dana' });
  const offer = await agent.seen((frame) => frame.type === 'offer' && frame.sessionId === sessionId);
  await agent.request({ type: 'accept', offerId: offer.offerId });
  await until(client.session$, (session) => session.state === 'active');
  const panel = await fixture<ParleyChatPanel>(html`<parley-chat-panel .client=${client} locale="en" open></parley-chat-panel>`);
  await panel.updateComplete;
  return { panel, client, agent, sessionId };
}

const files = (...list: File[]) => {
  const transfer = new DataTransfer();
  for (const file of list) transfer.items.add(file);
  return transfer;
};

/** Resolves once the panel shows a loaded image with this alt text (each render is an event, no timers). */
async function shownImage(panel: ParleyChatPanel, alt: string): Promise<HTMLImageElement> {
  for (;;) {
    const image = panel.shadowRoot!.querySelector<HTMLImageElement>(`img[part=attachment-image][alt="${alt}"]`);
    if (image) {
      if (!image.complete) await new Promise((resolve) => image.addEventListener('load', resolve, { once: true }));
      return image;
    }
    await new Promise((resolve) => panel.addEventListener('parley-rendered', resolve, { once: true }));
  }
}

/** Every render of the panel, as an event the waits above listen to. */
function announceRenders(panel: ParleyChatPanel): void {
  const observer = new MutationObserver(() => panel.dispatchEvent(new Event('parley-rendered')));
  observer.observe(panel.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
}

describe('<parley-chat-panel> attachments against the real service', () => {
  before(() => emulateMedia({ reducedMotion: 'reduce' }));

  it('I2: an image pasted or dropped is sent and shows inline; the agent gets it and sends one back, shown inline too', async () => {
    const service = await startService();
    const { panel, client, agent, sessionId } = await chattingPanel(service);
    announceRenders(panel);
    const seenProgress = new Promise<void>((resolve) => {
      const check = () => panel.shadowRoot!.querySelector('progress') && resolve();
      panel.addEventListener('parley-rendered', check);
    });

    const composer = panel.shadowRoot!.querySelector<HTMLTextAreaElement>('#composer')!;
    composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(pngFile('pasted.png')), bubbles: true, cancelable: true, composed: true }));
    await seenProgress;
    expect((await shownImage(panel, 'pasted.png')).naturalWidth).to.equal(1);
    const section = panel.shadowRoot!.querySelector('section')!;
    const over = new DragEvent('dragover', { dataTransfer: files(pngFile('dropped.png')), bubbles: true, cancelable: true, composed: true });
    section.dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true);
    section.dispatchEvent(new DragEvent('drop', { dataTransfer: files(pngFile('dropped.png')), bubbles: true, cancelable: true, composed: true }));
    expect((await shownImage(panel, 'dropped.png')).naturalWidth).to.equal(1);
    expect(panel.shadowRoot!.querySelector('[part=uploads]')).to.equal(null);

    const received = await agent.seen((frame) => frame.type === 'event' && (frame.event as { attachment?: { name: string } }).attachment?.name === 'dropped.png');
    expect((received.event as { from: string }).from).to.equal('customer');
    const access = { endpoint: service.url, token: await agentToken(service, 'ana'), session: sessionId };
    const reply = await uploadFile(access, pngFile('from-ana.png'), { key: 'ana-image' });
    await agent.request({ type: 'reply', sessionId, cmid: 'ana-image', text: 'Like this?', attachment: reply.id });
    expect((await shownImage(panel, 'from-ana.png')).naturalWidth).to.equal(1);
    await expect(panel).to.be.accessible();
    client.close();
    agent.close();
  });

  it('I2: a file picked while the service is down fails and is kept with Retry; retried it is sent once; Cancel forgets a failed one', async () => {
    const service = await startService();
    const { panel, client, agent } = await chattingPanel(service);
    announceRenders(panel);
    const input = panel.shadowRoot!.querySelector<HTMLInputElement>('[part=attach] input[type=file]')!;
    expect(input.getAttribute('aria-label')).to.equal('Attach');

    await stopService(service);
    const failedShown = async (count: number) => {
      while (panel.shadowRoot!.querySelectorAll('[part=upload] .failed').length !== count) await new Promise((resolve) => panel.addEventListener('parley-rendered', resolve, { once: true }));
    };
    input.files = files(pngFile('first.png')).files;
    input.dispatchEvent(new Event('change'));
    input.files = files(pngFile('second.png')).files;
    input.dispatchEvent(new Event('change'));
    await failedShown(2);
    await expect(panel).to.be.accessible();
    const uploads = () => [...panel.shadowRoot!.querySelectorAll<HTMLElement>('[part=upload]')];
    expect(uploads().map((upload) => upload.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'first.png The upload did not reach the service.RetryCancel',
      'second.png The upload did not reach the service.RetryCancel',
    ]);

    await click([...uploads()[1]!.querySelectorAll('button')].find((button) => button.textContent === 'Cancel')!);
    await failedShown(1);
    await startServiceAgain(service);
    await click([...uploads()[0]!.querySelectorAll('button')].find((button) => button.textContent === 'Retry')!);
    expect((await shownImage(panel, 'first.png')).naturalWidth).to.equal(1);
    await until(client.messages$, (messages) => messages.some((message) => message.attachment?.name === 'first.png' && message.status === 'sent'));
    const messages = await until(client.messages$, () => true);
    expect(messages.filter((message) => message.attachment).map((message) => message.attachment!.name)).to.deep.equal(['first.png']);
    expect(uploads()).to.deep.equal([]);
    client.close();
    agent.close();
  });
});
