// The demo agent console: signs in with a demo token, places <parley-agent-badge>, and builds the
// rest of the console on the badge's own agent client (offers, chats, replies). Text only: every
// value from the service goes in through textContent.
import { countdown, createAlerts } from './agent-alerts.js';
import { showQueue } from './agent-queue.js';
import { customerDetails } from './customer-details.js';
import { fileOf, sendFile } from './agent-files.js';

const slot = document.querySelector('#badge-slot');
const stored = localStorage.getItem('parley-demo-agent');

const { agents, customStatuses } = await (await fetch('/demo/agents')).json();
for (const agent of agents) {
  const button = document.createElement('button');
  button.textContent = `${agent.name} (${agent.offices.join(', ')})`;
  button.addEventListener('click', () => signIn(agent.id));
  document.querySelector('#agents').append(button);
}
if (stored) await signIn(stored);

async function signIn(agentId) {
  const { token } = await (await fetch(`/demo/agent-token?agent=${encodeURIComponent(agentId)}`)).json();
  localStorage.setItem('parley-demo-agent', agentId);
  const badge = document.createElement('parley-agent-badge');
  badge.setAttribute('endpoint', location.origin);
  badge.setAttribute('token', token);
  badge.setAttribute('custom-statuses', JSON.stringify(customStatuses.map(({ id, label }) => ({ id, label }))));
  slot.replaceChildren(badge);
  await customElements.whenDefined('parley-agent-badge');
  await badge.updateComplete;
  document.querySelector('#sign-in').hidden = true;
  document.querySelector('#desk').hidden = false;
  desk(badge.client);
  badge.addEventListener('parley-logged-out', () => {
    localStorage.removeItem('parley-demo-agent');
    document.querySelector('#sign-in').hidden = false;
    document.querySelector('#desk').hidden = true;
  });
}

function desk(client) {
  // Declared first: render runs as soon as the first subscription replays, and asks it for the marks.
  let alerts;
  let selected;
  let work = [];
  let conversations = {};
  const text = (tag, content, className) => {
    const element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  };

  client.offers$.subscribe((offers) => {
    document.querySelector('#offers').replaceChildren(
      ...offers.map((offer) => {
        const card = text('li', `${offer.identity?.name ?? offer.prechat.name ?? 'A customer'} on ${offer.button} `, 'card');
        card.append(countdown(offer.expiresAt), customerDetails(offer.prechat, offer.identity));
        const accept = text('button', 'Accept');
        accept.addEventListener('click', async () => (selected = await client.accept(offer.offerId)));
        const decline = text('button', 'Decline');
        decline.addEventListener('click', () => client.decline(offer.offerId));
        card.append(accept, decline);
        return card;
      }),
    );
    if (offers.length === 0) document.querySelector('#offers').append(text('li', 'No offers right now.', 'hint'));
  });
  client.work$.subscribe((items) => {
    work = items;
    if (!selected || !work.some((item) => item.sessionId === selected)) selected = work[0]?.sessionId;
    render();
  });
  client.conversations$.subscribe((value) => {
    conversations = value;
    render();
  });
  client.typing$.subscribe((typing) => (document.querySelector('#typing').hidden = !typing[selected]));
  alerts = createAlerts(client, { selected: () => selected, onChange: () => render() });
  document.querySelector('#sound').addEventListener('change', (event) => alerts.setSound(event.target.checked));
  showQueue(client, document.querySelector('#queue'));

  function render() {
    document.querySelector('#chats').replaceChildren(
      ...work.map((item) => {
        const entry = text('li', '');
        const unread = alerts?.unread(item.sessionId) ?? 0;
        const button = text('button', `${item.identity?.name ?? item.prechat.name ?? 'Customer'} · ${item.state}${item.phase === 'wrap-up' ? ' (ended)' : ''}${unread > 0 ? ` · ${unread} new` : ''}`);
        button.setAttribute('aria-pressed', String(item.sessionId === selected));
        if (unread > 0) button.classList.add('unread');
        button.addEventListener('click', () => {
          selected = item.sessionId;
          alerts.seen();
        });
        entry.append(button);
        return entry;
      }),
    );
    const lines = conversations[selected] ?? [];
    document.querySelector('#lines').replaceChildren(...lines.map(showLine));
    // I4: the chat on screen is read: the customer's messages so far tick as read on their side.
    if (selected && lines.length > 0 && document.visibilityState === 'visible') client.markRead(selected);
    const item = work.find((candidate) => candidate.sessionId === selected);
    document.querySelector('#details').replaceChildren(...(item ? [customerDetails(item.prechat, item.identity)] : []));
    document.querySelector('#chat-id').textContent = item ? `Chat id ${item.sessionId}${item.phase === 'consult' ? ' (consulting)' : ''}` : '';
    document.querySelector('#reply').hidden = !item;
    document.querySelector('#close-work').hidden = item?.phase !== 'wrap-up';
    document.querySelector('#end').hidden = !item || item.phase === 'wrap-up';
  }

  document.addEventListener('visibilitychange', () => render());

  /** A line of the chat; the agent's own replies say where they are (sending → sent → delivered → read), and a refused one offers Retry. */
  function showLine(line) {
    if (line.from === 'system') return text('li', line.text, 'system');
    const entry = text('li', `${line.author || 'You'}: ${line.text}`, line.from);
    if (line.attachment) entry.append(fileOf(client, selected, line.attachment));
    if (line.from !== 'agent') return entry;
    entry.dataset.status = line.status;
    const status = { queued: 'Sending…', sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: `Not sent: ${line.error}` }[line.status];
    entry.append(text('span', status, 'status'));
    if (line.status === 'failed') {
      const retry = text('button', 'Retry');
      retry.addEventListener('click', () => client.retry(line.id).catch((error) => say(error)));
      entry.append(retry);
    }
    return entry;
  }

  // Problems show beside the form, never in a blocking dialog.
  const problem = document.querySelector('#problem');
  const say = (error) => (problem.textContent = error ? error.message : '');

  const box = document.querySelector('#reply-text');
  document.querySelector('#reply').addEventListener('submit', async (event) => {
    event.preventDefault();
    const message = box.value;
    box.value = '';
    // Resolves once the reply is stored in the outbox; its line then shows sending → sent.
    await client.reply(selected, message).then(
      () => say(),
      (error) => {
        box.value = message;
        say(error);
      },
    );
  });
  box.addEventListener('input', () => client.setTyping(selected, box.value.length > 0));
  // I2: a file picked goes as a reply of its own.
  document.querySelector('#reply-file').addEventListener('change', async (event) => {
    const input = event.target;
    for (const file of input.files) await sendFile(client, selected, file).then(() => say(), (error) => say(error));
    input.value = '';
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      document.querySelector('#reply').requestSubmit();
    }
  });
  document.querySelector('#end').addEventListener('click', () => client.end(selected));
  document.querySelector('#consult').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = document.querySelector('#consult-id');
    await client.consult(id.value.trim()).then(
      () => {
        selected = id.value.trim();
        say();
      },
      (error) => say(error),
    );
    id.value = '';
  });
  document.querySelector('#close-work').addEventListener('click', () => client.closeWork(selected));
}
