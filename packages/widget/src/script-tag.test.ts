import { expect, oneEvent } from '@open-wc/testing';
import { filter, firstValueFrom } from 'rxjs';
import type { ChatClient } from '@parley/sdk';
import type { ParleyChatPanel } from '@parley/widget/panel';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { RawAgent, startService } from '../../sdk/src/test-support/live-service.js';

/** A plain host page with hostile global CSS and a strict CSP, embedding the widget with the one-line script tag. */
async function hostilePage(endpoint: string): Promise<HTMLIFrameElement> {
  const { host } = new URL(endpoint);
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position: fixed; inset: 0; width: 640px; height: 560px; border: 0';
  frame.srcdoc = `<!doctype html><html lang="en"><head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; connect-src http://${host} ws://${host}; img-src 'self'">
    <link rel="stylesheet" href="/packages/widget/src/test-support/hostile-page.css">
    </head><body><p>A host page</p>
    <script src="/packages/widget/dist/parley-chat.js" data-endpoint="${endpoint}" data-button="sales" async></script>
    </body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

/** Waits for something in the page to become true, checking once per animation frame (no timers). */
async function frameUntil<T>(what: string, check: () => T | undefined | null | false, frames = 600): Promise<T> {
  for (let frame = 0; frame < frames; frame++) {
    const value = check();
    if (value) return value;
    await new Promise(requestAnimationFrame);
  }
  throw new Error(`never happened: ${what}`);
}

async function clickIn(frame: HTMLIFrameElement, element: Element): Promise<void> {
  const outer = frame.getBoundingClientRect();
  const inner = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(outer.left + inner.left + inner.width / 2), Math.round(outer.top + inner.top + inner.height / 2)] });
}

describe('the script-tag bundle', () => {
  it('C1, C10: on a page with hostile CSS and a strict CSP it renders, opens and sends a message; hostile messages never execute', async () => {
    const service = await startService();
    const agent = await RawAgent.connect(service, 'ana');
    await agent.request({ type: 'presence', status: 'available' });
    const frame = await hostilePage(service.url);
    const page = frame.contentWindow as Window & { __parleyPwned?: boolean };
    const violations: string[] = [];
    page.document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    page.addEventListener('error', (event) => violations.push(`error ${event.message}`));
    page.addEventListener('unhandledrejection', (event) => violations.push(`rejection ${String(event.reason)}`));
    const chat = await frameUntil('the widget is on the page', () => page.document.querySelector('parley-chat'));
    const launcher = chat.shadowRoot!.querySelector<HTMLButtonElement>('[part=launcher]')!;
    expect(page.getComputedStyle(launcher).display).to.not.equal('none');
    expect(page.getComputedStyle(chat).position).to.equal('fixed');

    const opened = oneEvent(chat, 'parley-open');
    await clickIn(frame, launcher);
    await opened;
    const panel = chat.shadowRoot!.querySelector<ParleyChatPanel>('parley-chat-panel')!;
    const client = panel.client as ChatClient;
    await firstValueFrom(client.availability$.pipe(filter((availability) => availability?.online === true)));
    await panel.updateComplete;
    const name = panel.shadowRoot!.querySelector<HTMLInputElement>('input[name=name]')!;
    name.focus();
    await sendKeys({ type: 'Dana' });
    await sendKeys({ press: 'Enter' });

    const offer = await agent.seen((candidate) => candidate.type === 'offer');
    await agent.request({ type: 'accept', offerId: offer.offerId });
    await firstValueFrom(client.session$.pipe(filter((session) => session.state === 'active')));
    await panel.updateComplete;
    const composer = panel.shadowRoot!.querySelector<HTMLTextAreaElement>('#composer')!;
    await clickIn(frame, composer);
    await sendKeys({ type: 'Hello from a hostile page' });
    await sendKeys({ press: 'Enter' });
    await agent.seen((candidate) => candidate.type === 'event' && (candidate.event as { text?: string }).text === 'Hello from a hostile page');

    const sessionId = offer.sessionId as string;
    const hostile = ['<img src=x onerror="window.__parleyPwned = true">', '<script>window.__parleyPwned = true</script>', 'javascript:window.__parleyPwned=true'];
    for (const [index, text] of hostile.entries()) await agent.request({ type: 'reply', sessionId, cmid: `x${index}`, text });
    await firstValueFrom(client.messages$.pipe(filter((messages) => messages.some((message) => message.text.startsWith('javascript:')))));
    await panel.updateComplete;
    expect(panel.shadowRoot!.textContent).to.contain('javascript:window.__parleyPwned=true');
    expect(panel.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    expect(panel.shadowRoot!.querySelectorAll('a').length).to.equal(0);
    expect(page.__parleyPwned).to.equal(undefined);
    expect(violations).to.deep.equal([]);
    frame.remove();
    agent.close();
  });
});
