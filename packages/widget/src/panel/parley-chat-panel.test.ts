import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { ParleyChatPanel } from '@parley/widget/panel';
import { ParleyError } from '@parley/sdk';
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
    client.availability$.next({ button: 'sales', online: false, reason: 'agents', window: undefined, stale: false });
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
    // C2: the confirmation says only what is true: the message is stored for the team, no promise of an email.
    expect(text(panel)).to.contain('Thank you, your message was received. Our team will see it when they are back.');
    expect(text(panel)).to.not.match(/reply by email/i);
    await expect(panel).to.be.accessible();
  });

  it('C2: a start refused because the queue is full says so and offers the leave-a-message form', async () => {
    const client = new FakeChatClient();
    client.start = async () => {
      throw new ParleyError('queue_full', 'So many people are waiting (100) that no more can join this queue now; please leave a message instead.');
    };
    const panel = await panelWith(client);
    panel.prechatFields = [];
    await settle(panel);
    await click($(panel, 'button[type=submit]')!);
    await settle(panel);
    expect($(panel, '[role=alert]')!.textContent).to.contain('please leave a message instead');
    expect($$(panel, 'form [name]').map((field) => field.getAttribute('name'))).to.deep.equal(['name', 'email', 'text']);
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
    client.events$.next([{ seq: 3, at: 0, kind: 'agent-joined', agent: { id: 'ana', name: 'Ana' } }]);
    client.messages$.next([message('m1', 'customer', 'hello', 'sent'), message('m4', 'agent', 'Hi Dana'), message('m2', 'customer', 'are you there', 'sending'), message('m3', 'customer', 'refused', 'failed')]);
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
    client.events$.next([{ seq: 7, at: 0, kind: 'agent-changed', agent: { id: 'ben', name: 'Ben' }, previous: { id: 'ana', name: 'Ana' } }]);
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
    client.availability$.next({ button: 'sales', online: true, reason: 'agents', window: undefined, stale: true });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('Start chat');
    client.availability$.next({ button: 'sales', online: false, reason: 'read-only', window: undefined, stale: false });
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

  it('C4: lines follow the order the service stored them (seq): a message sent before the agent joined comes first, as the agent sees it', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    client.messages$.next([message('m2', 'customer', 'Anyone there?', 'sent', 2), message('m5', 'agent', 'Hi, I am here', 'sent', 5), message('q1', 'customer', 'great', 'sending')]);
    client.events$.next([{ seq: 4, at: 0, kind: 'agent-joined', agent: { id: 'ana', name: 'Ana' } }]);
    const panel = await panelWith(client);
    const lines = $$(panel, '[role=log] li').map((line) => line.textContent!.replace(/\s+/g, ' ').trim());
    // The customer's stored message carries its tick (I4).
    expect(lines).to.deep.equal(['You Anyone there? ✓', 'Ana joined the chat', 'Ana Hi, I am here', 'You great Sending…']);
  });

  it('C7: End chat is not beside Send; it asks first, Keep chatting cancels, and only the confirmation ends', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    const panel = await panelWith(client);
    expect($$(panel, '[part=composer] button').map((button) => button.textContent)).to.deep.equal(['Send']);
    await click($(panel, '#end')!);
    await settle(panel);
    expect($(panel, '[part=confirm]')!.textContent).to.contain('End this chat?');
    expect(panel.shadowRoot!.activeElement?.id).to.equal('keep-chatting');
    await expect(panel).to.be.accessible();
    await press('Enter');
    await settle(panel);
    expect([$(panel, '[part=confirm]'), client.called('end').length]).to.deep.equal([null, 0]);
    await click($(panel, '#end')!);
    await settle(panel);
    await click($(panel, '#confirm-end-yes')!);
    expect(client.called('end')).to.deep.equal([[]]);
  });

  it('C7: the transcript is downloaded in the widget language, with the page as the site', async () => {
    const client = new FakeChatClient();
    client.session$.next({ state: 'ended', reason: 'customer-ended' });
    const panel = await panelWith(client, { locale: 'fr' });
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = () => {};
    try {
      await click($$(panel, '[part=actions] button')[1]!);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    const [[options]] = client.called('transcript') as [[{ site: string; locale: string; labels: { title: string; agentJoined: (name: string) => string } }]];
    expect([options.site, options.locale, options.labels.title, options.labels.agentJoined('Ana')]).to.deep.equal([location.host, 'fr', 'Transcription de la discussion', 'Ana a rejoint la discussion']);
  });

  it('C9: after the pre-chat form is sent with Enter, focus is in the composer; the message log is reachable by keyboard', async () => {
    const client = new FakeChatClient();
    const panel = await panelWith(client);
    expect(panel.shadowRoot!.activeElement?.getAttribute('name')).to.equal('name');
    await typeKeys('Dana');
    await press('Enter');
    await settle(panel);
    expect(panel.shadowRoot!.activeElement?.id).to.equal('composer');
    client.messages$.next([message('m1', 'agent', 'Hello Dana')]);
    await settle(panel);
    await press('Shift+Tab');
    expect(panel.shadowRoot!.activeElement?.getAttribute('role')).to.equal('log');
    await expect(panel).to.be.accessible();
  });

  it('M6: read-only says the same thing everywhere: no chat can start and no message can be left (no form); in a chat, what is written waits on this device', async () => {
    const client = new FakeChatClient();
    client.availability$.next({ button: 'sales', online: false, reason: 'read-only', window: undefined, stale: false });
    const panel = await panelWith(client);
    expect(text(panel)).to.contain('messages cannot be left right now');
    expect($$(panel, 'form')).to.deep.equal([]);
    expect(text(panel)).to.not.contain('will be sent');
    await expect(panel).to.be.accessible();
    client.session$.next({ state: 'active', agent: { id: 'ana', name: 'Ana' } });
    await settle(panel);
    expect($(panel, '[part=notice]')!.textContent).to.contain('What you write is kept on this device and sent when it is back.');
    expect($(panel, '#composer')).to.not.equal(null);
  });

  it('M6: a refusal is shown as a styled alert, not bare text', async () => {
    const client = new FakeChatClient();
    client.availability$.next({ button: 'sales', online: false, reason: 'agents', window: undefined, stale: false });
    client.leaveMessage = async () => {
      throw new Error('Messages cannot be stored right now. Please try again in a few minutes.');
    };
    const panel = await panelWith(client);
    await typeInto($(panel, 'input[name=name]')!, 'Dana');
    await typeInto($(panel, 'input[name=email]')!, 'dana@example.com');
    await typeInto($(panel, 'textarea[name=text]')!, 'Hello');
    await click($(panel, 'button[type=submit]')!);
    await settle(panel);
    const alert = $(panel, '[role=alert]')!;
    const style = getComputedStyle(alert);
    expect([style.color, style.borderTopStyle, style.fontWeight]).to.deep.equal(['rgb(185, 28, 28)', 'solid', '600']);
    await expect(panel).to.be.accessible();
  });

  it('C9: the panel follows the page, not the OS: light on a light page under a dark OS; theme="dark" and theme="auto" override; a dark page gets a dark panel', async () => {
    const surface = (panel: ParleyChatPanel) => getComputedStyle($(panel, '[part=panel]')!).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    try {
      expect(surface(await panelWith(new FakeChatClient()))).to.equal('rgb(255, 255, 255)');
      const dark = await fixture<ParleyChatPanel>(html`<parley-chat-panel .client=${new FakeChatClient()} theme="dark" open></parley-chat-panel>`);
      expect(surface(dark)).to.equal('rgb(17, 24, 39)');
      await expect(dark).to.be.accessible();
      const auto = await fixture<ParleyChatPanel>(html`<parley-chat-panel .client=${new FakeChatClient()} theme="auto" open></parley-chat-panel>`);
      expect(surface(auto)).to.equal('rgb(17, 24, 39)');
      await emulateMedia({ colorScheme: 'light' });
      expect(surface(auto)).to.equal('rgb(255, 255, 255)');
      document.documentElement.style.colorScheme = 'dark';
      expect(surface(await panelWith(new FakeChatClient()))).to.equal('rgb(17, 24, 39)');
    } finally {
      document.documentElement.style.colorScheme = '';
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});

