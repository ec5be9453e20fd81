import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { ParleyChatPanel } from '@parley/widget/panel';
import { FakeChatClient, message } from '../test-support/fake-chat-client.js';
import { click, press, typeInto, typeKeys } from '../test-support/input.js';

async function panelWith(client: FakeChatClient, options: { locale?: string } = {}): Promise<ParleyChatPanel> {
  const panel = await fixture<ParleyChatPanel>(html`<parley-chat-panel .client=${client} locale=${options.locale ?? 'en'} open></parley-chat-panel>`);
  await panel.updateComplete;
  return panel;
}

const $ = (panel: ParleyChatPanel, selector: string) => panel.shadowRoot!.querySelector<HTMLElement>(selector);
const $$ = (panel: ParleyChatPanel, selector: string) => [...panel.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const text = (panel: ParleyChatPanel) => panel.shadowRoot!.textContent!.replace(/\s+/g, ' ');
const settle = async (panel: ParleyChatPanel) => {
  await panel.updateComplete;
  await panel.updateComplete;
};

describe('<parley-chat-panel>', () => {
  // The opening animation blends colours while it runs; axe must see the panel at rest.
  before(() => emulateMedia({ reducedMotion: 'reduce' }));

  it('C2: when nobody can answer it offers a leave-a-message form, sent with the keyboard alone', async () => {
    const client = new FakeChatClient();
    client.availability$.next({ button: 'sales', online: false, reason: 'agents', stale: false });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('We are away right now');
    await expect(panel).to.be.accessible();
    // Focus starts in the form (C9); fill it with the keyboard only.
    expect(panel.shadowRoot!.activeElement?.getAttribute('name')).to.equal('name');
    await typeKeys('Dana');
    await press('Tab');
    await typeKeys('dana@example.com');
    await press('Tab');
    await typeKeys('Please call me');
    await press('Tab');
    await press('Enter');
    await settle(panel);
    expect(client.called('leave')).to.deep.equal([[{ name: 'Dana', email: 'dana@example.com', text: 'Please call me' }]]);
    expect(text(panel)).to.contain('We will reply by email');
    await expect(panel).to.be.accessible();
  });

  it('C3: the pre-chat form has the configured fields, and hidden page fields are sent with them', async () => {
    const client = new FakeChatClient();
    const panel = await panelWith(client);
    panel.prechatFields = [
      { name: 'name', label: 'Your name', required: true },
      { name: 'email', label: 'Email', type: 'email' },
    ];
    panel.hiddenFields = { order: 'A-1042' };
    await settle(panel);
    expect($$(panel, 'form input').map((input) => input.getAttribute('name'))).to.deep.equal(['name', 'email']);
    await typeInto($(panel, 'input[name=name]')!, 'Dana');
    await click($(panel, 'button[type=submit]')!);
    await settle(panel);
    expect(client.called('start')).to.deep.equal([[{ order: 'A-1042', name: 'Dana', email: '' }]]);
    await expect(panel).to.be.accessible();
  });

  it('C4: Waiting shows the queue position; the conversation shows sending, sent and failed with retry; typing; agent joined', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'waiting', position: 3 });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('You are number 3 in line');
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    client.notices$.next({ kind: 'agent-joined', agent: { id: 'ana', name: 'Ana' } });
    client.messages$.next([message('m1', 'customer', 'hello', 'sent'), message('m2', 'customer', 'are you there', 'sending'), message('m3', 'customer', 'refused', 'failed'), message('m4', 'agent', 'Hi Dana')]);
    client.typing$.next(true);
    await settle(panel);
    expect(text(panel)).to.contain('Ana joined the chat');
    expect(text(panel)).to.contain('Sending…');
    expect(text(panel)).to.contain('Not sent.');
    expect(text(panel)).to.contain('Ana is typing…');
    expect($(panel, '[role=log]')!.getAttribute('aria-live')).to.equal('polite');
    await click($(panel, '.failed button')!);
    expect(client.called('retry')).to.deep.equal([['m3']]);
    await expect(panel).to.be.accessible();
  });

  it('C4, C9: Enter sends, Shift+Enter makes a new line, and typing is told', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    const panel = await panelWith(client);
    const composer = $(panel, '#composer') as HTMLTextAreaElement;
    await typeInto(composer, 'first line');
    await press('Shift+Enter');
    await typeKeys('second line');
    await press('Enter');
    await settle(panel);
    expect(client.called('send')).to.deep.equal([['first line\nsecond line']]);
    expect(composer.value).to.equal('');
    expect(client.called('typing')[0]).to.deep.equal([true]);
  });

  it('M4: the customer is told when another agent takes over', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ben', name: 'Ben' } });
    const panel = await panelWith(client);
    client.notices$.next({ kind: 'agent-changed', agent: { id: 'ben', name: 'Ben' }, previous: { id: 'ana', name: 'Ana' } });
    await settle(panel);
    expect(text(panel)).to.contain("You're now chatting with Ben");
    await expect(panel).to.be.accessible();
  });

  it('M3: a reconnect shows a brief, polite "Reconnecting…" status, not an error', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    const panel = await panelWith(client);
    client.connection$.next({ status: 'reconnecting', reason: 'maintenance', attempt: 0, nextInMs: 200 });
    await settle(panel);
    const notice = $(panel, '[part=notice]')!;
    expect(notice.textContent).to.equal('Reconnecting…');
    expect(notice.getAttribute('role')).to.equal('status');
    expect($(panel, '[role=alert]')).to.equal(null);
    await expect(panel).to.be.accessible();
    client.connection$.next({ status: 'open' });
    await settle(panel);
    expect($(panel, '[part=notice]')).to.equal(null);
  });

  it('M1: the planned-maintenance notice shows ahead of and during a window', async () => {
    const client = new FakeChatClient();
    const now = Date.now();
    client.availability$.next({ button: 'sales', online: true, reason: 'agents', stale: false, window: { id: 'w', startsAt: now + 3_600_000, endsAt: now + 7_200_000, message: 'Upgrade' } });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('Chat will be down for planned maintenance from');
    client.availability$.next({ button: 'sales', online: false, reason: 'maintenance', stale: false, window: { id: 'w', startsAt: now - 1, endsAt: now + 3_600_000, message: 'Upgrade' } });
    await settle(panel);
    expect(text(panel)).to.contain('Chat is down for planned maintenance until');
    await expect(panel).to.be.accessible();
  });

  it('M5, M6: the read-only notice shows; a held (stale) availability keeps the chat offered', async () => {
    const client = new FakeChatClient();
    client.availability$.next({ button: 'sales', online: true, reason: 'agents', stale: true });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('Start chat');
    client.availability$.next({ button: 'sales', online: false, reason: 'read-only', stale: false });
    await settle(panel);
    expect(text(panel)).to.contain('Chat is temporarily unavailable');
    await expect(panel).to.be.accessible();
  });

  it('S1, S3: an Inactive chat says it is paused and the customer can write to continue', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'inactive' });
    client.messages$.next([message('m1', 'agent', 'Still there?')]);
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('This chat is paused');
    await typeInto($(panel, '#composer')!, 'yes, back');
    await press('Enter');
    expect(client.called('send')).to.deep.equal([['yes, back']]);
    await expect(panel).to.be.accessible();
  });

  it('C7, S5: an Ended chat offers a new chat and the transcript download', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'ended', reason: 'inactive-timeout' });
    client.messages$.next([message('m1', 'agent', 'Bye')]);
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('This chat has ended.');
    expect($(panel, '#composer')).to.equal(null);
    await expect(panel).to.be.accessible();
    const downloads: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    };
    try {
      await click($$(panel, '[part=actions] button')[1]!);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(downloads).to.deep.equal(['chat-transcript.txt']);
    await click($$(panel, '[part=actions] button')[0]!);
    await settle(panel);
    expect(text(panel)).to.contain('Start chat');
  });

  it('a session the agent started shows its first message and a composer to answer it', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    client.messages$.next([message('m9', 'agent', 'Your order shipped.')]);
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('Your order shipped.');
    expect($(panel, '#composer')).to.not.equal(null);
    await expect(panel).to.be.accessible();
  });

  it('C9: Escape asks to close; the conversation is a labelled live log', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    const panel = await panelWith(client);
    await expect(panel).to.be.accessible();
    $(panel, '#composer')!.focus();
    const closing = oneEvent(panel, 'parley-close');
    await press('Escape');
    await closing;
    expect($(panel, '[role=log]')!.getAttribute('aria-label')).to.equal('Chat');
  });

  it('C9: localised (French) and right-to-left (Arabic)', async () => {
    const client = new FakeChatClient();
    const french = await panelWith(client, { locale: 'fr' });
    expect(text(french)).to.contain('Commencer');
    const arabic = await panelWith(new FakeChatClient(), { locale: 'ar' });
    expect($(arabic, '[part=panel]')!.getAttribute('dir')).to.equal('rtl');
    expect($(arabic, '[part=panel]')!.getAttribute('lang')).to.equal('ar');
    await expect(arabic).to.be.accessible();
  });

  it('C10: message text is never HTML; only http(s) addresses become links', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    const hostile = [
      '<img src=x onerror="window.__parleyPwned = true">',
      '<script>window.__parleyPwned = true</script>',
      'javascript:window.__parleyPwned=true',
      'see https://example.com/help. and data:text/html,<b>x</b>',
    ];
    client.messages$.next(hostile.map((text, index) => message(`m${index}`, 'agent', text)));
    const panel = await panelWith(client);
    await settle(panel);
    expect($$(panel, 'img, script, iframe, object')).to.deep.equal([]);
    const links = $$(panel, 'a');
    expect(links.map((link) => link.getAttribute('href'))).to.deep.equal(['https://example.com/help']);
    expect(links[0]!.getAttribute('rel')).to.equal('noopener noreferrer nofollow');
    expect(text(panel)).to.contain('<img src=x onerror=');
    expect((window as { __parleyPwned?: boolean }).__parleyPwned).to.equal(undefined);
    await expect(panel).to.be.accessible();
  });

  it('C8: agent messages that arrive while closed are counted as unread', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    const panel = await panelWith(client);
    panel.open = false;
    await settle(panel);
    const counted = oneEvent(panel, 'parley-unread');
    client.messages$.next([message('m1', 'agent', 'Hello?')]);
    expect((await counted).detail).to.equal(1);
  });

  it('C6: a message written while disconnected stays in the conversation, marked Sending…, until it is sent', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active' });
    client.connection$.next({ status: 'reconnecting', reason: 'network', attempt: 2, nextInMs: 1500 });
    const panel = await panelWith(client);
    await typeInto($(panel, '#composer')!, 'written offline');
    await press('Enter');
    client.messages$.next([message('q1', 'customer', 'written offline', 'queued')]);
    await settle(panel);
    expect($(panel, '[part~=message] [part=status]')!.textContent).to.equal('Sending…');
    await expect(panel).to.be.accessible();
    client.connection$.next({ status: 'open' });
    client.messages$.next([message('q1', 'customer', 'written offline', 'sent')]);
    await settle(panel);
    expect($(panel, '[part~=message] [part=status]')).to.equal(null);
  });

  it('C9: full screen on a phone (under 480 px wide)', async () => {
    await setViewport({ width: 400, height: 720 });
    try {
      const panel = await panelWith(new FakeChatClient());
      const rect = $(panel, '[part=panel]')!.getBoundingClientRect();
      expect([rect.left, rect.top, rect.width, rect.height]).to.deep.equal([0, 0, 400, 720]);
      await expect(panel).to.be.accessible();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
