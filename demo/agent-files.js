// I2 in the demo agent console: the files of a chat, images inline and the rest as downloads, and
// a file picker that sends one with a reply. Through the badge's agent client: `attachmentAccess`
// gives the endpoint and token for one chat, the service answers signed links, and `reply` sends
// the message naming the upload through the outbox (the upload's key is the reply's cmid, so a
// retried upload is stored once).

const links = new Map();

/** A signed link to a file of the chat, asked for again shortly before it runs out. */
async function link(client, sessionId, attachment) {
  const known = links.get(attachment.id);
  if (known && known.expiresAt - 30_000 > Date.now()) return known.url;
  const { endpoint, token, session } = await client.attachmentAccess(sessionId);
  const response = await fetch(`${endpoint}/v1/attachments/${encodeURIComponent(attachment.id)}/link?session=${encodeURIComponent(session)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error((await response.json()).error.message);
  const answer = await response.json();
  const fresh = { url: new URL(answer.url, endpoint).href, expiresAt: answer.expiresAt };
  links.set(attachment.id, fresh);
  return fresh.url;
}

/** The element for a file in a line: its name at once, then the image or the download link. */
export function fileOf(client, sessionId, attachment) {
  const holder = document.createElement('span');
  holder.className = 'attachment';
  holder.textContent = attachment.name;
  link(client, sessionId, attachment).then(
    (url) => {
      if (attachment.type.startsWith('image/')) {
        const image = document.createElement('img');
        image.src = url;
        image.alt = attachment.name;
        holder.replaceChildren(image);
      } else {
        const anchor = document.createElement('a');
        anchor.href = url;
        anchor.download = attachment.name;
        anchor.textContent = attachment.name;
        holder.replaceChildren(anchor);
      }
    },
    () => (holder.textContent = `${attachment.name} (cannot be read now)`),
  );
  return holder;
}

/** Uploads the file for the chat, then sends a reply naming it; resolves once the reply is in the outbox. */
export async function sendFile(client, sessionId, file) {
  const { endpoint, token, session } = await client.attachmentAccess(sessionId);
  const cmid = crypto.randomUUID();
  const query = new URLSearchParams({ key: cmid, name: file.name, session });
  const response = await fetch(`${endpoint}/v1/attachments?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: file,
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error.message);
  return client.reply(sessionId, '', { attachment: answer.attachment, cmid });
}
