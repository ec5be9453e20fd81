// The demo admin console: planned windows, the read-only switch and a drain through the admin API,
// <parley-office-admin> for offices, stuck work and the presence report, <parley-left-messages>
// for what customers left while nobody was available, and <parley-ratings> for how they rated their chats.
const { token } = await (await fetch('/demo/admin-token')).json();
const say = (message) => (document.querySelector('#status').textContent = message);

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message ?? response.statusText);
  return answer;
}

const admin = document.createElement('parley-office-admin');
admin.setAttribute('endpoint', location.origin);
admin.setAttribute('admin-token', token);
document.querySelector('#admin-slot').append(admin);

const left = document.createElement('parley-left-messages');
left.setAttribute('endpoint', location.origin);
left.setAttribute('admin-token', token);
document.querySelector('#left-slot').append(left);

const ratings = document.createElement('parley-ratings');
ratings.setAttribute('endpoint', location.origin);
ratings.setAttribute('admin-token', token);
document.querySelector('#ratings-slot').append(ratings);

async function showWindows() {
  const { windows } = await api('GET', '/admin/maintenance-windows');
  document.querySelector('#windows').replaceChildren(
    ...windows.map((window) => {
      const item = document.createElement('li');
      item.textContent = `${new Date(window.startsAt).toLocaleTimeString()}–${new Date(window.endsAt).toLocaleTimeString()}: ${window.message} `;
      const cancel = document.createElement('button');
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', async () => {
        await api('DELETE', `/admin/maintenance-windows/${window.id}`);
        await showWindows();
      });
      item.append(cancel);
      return item;
    }),
  );
}

document.querySelector('#window').addEventListener('submit', async (event) => {
  event.preventDefault();
  const startsAt = Date.now() + Number(document.querySelector('#starts-in').value) * 60_000;
  const endsAt = startsAt + Number(document.querySelector('#lasts').value) * 60_000;
  try {
    await api('POST', '/admin/maintenance-windows', { startsAt, endsAt, message: document.querySelector('#message').value });
    say('Window scheduled: agents are told now, customers within the notice lead.');
    await showWindows();
  } catch (error) {
    say(error.message);
  }
});

const readOnly = document.querySelector('#read-only');
readOnly.addEventListener('click', async () => {
  const on = readOnly.getAttribute('aria-pressed') !== 'true';
  await api('PUT', '/admin/read-only', { on });
  readOnly.setAttribute('aria-pressed', String(on));
  readOnly.textContent = `Read-only: ${on ? 'on' : 'off'}`;
  say(on ? 'Read-only: buttons are offline, new chats refused, open chats continue.' : 'Writable again.');
});

document.querySelector('#drain').addEventListener('click', async () => {
  await api('POST', '/admin/drain');
  say('Draining: every client was told to reconnect. In the demo the node takes them back at once.');
});

await showWindows();
