import { expect } from '@open-wc/testing';
import type { AttachmentRef } from '@parley/protocol';
import { agentSession, attachmentLink, createAttachmentSender, uploadFile, type Upload } from '@parley/sdk/attachments';
import { createChatClient, ParleyError, type ChatMessage } from '@parley/sdk';
import { createAgentClient } from '@parley/sdk/agent';
import { pngFile, loadImage } from '../test-support/image-file.js';
import { agentToken, chatting, startService, startServiceAgain, stopService, until } from '../test-support/live-service.js';

const withFile = (messages: ChatMessage[]) => messages.filter((message) => message.attachment !== undefined);

describe('attachments against the real service', () => {
  it('I2: a customer sends an image with progress; it shows inline for the customer and for the agent; the agent sends one back', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    const files = createAttachmentSender(chat);
    const seen: Upload[][] = [];
    files.uploads$.subscribe((uploads) => seen.push([...uploads]));
    const file = pngFile('screen.png');

    const cmid = await files.send(file);
    const [sent] = withFile(await until(chat.messages$, (messages) => withFile(messages).some((message) => message.status === 'sent')));
    expect([sent!.id, sent!.text, sent!.attachment!.name, sent!.attachment!.type, sent!.attachment!.size]).to.deep.equal([cmid, '', 'screen.png', 'image/png', file.size]);
    expect(seen.some((uploads) => uploads[0]?.status === 'uploading')).to.equal(true);
    expect(seen.some((uploads) => uploads[0]?.loaded === file.size)).to.equal(true);
    expect(seen.at(-1)).to.deep.equal([]);
    expect((await loadImage((await files.link(sent!.attachment!)).url)).naturalWidth).to.equal(1);

    // The agent's side: the message carries the file; the agent's token opens a link for this session.
    const frame = await agent.seen((candidate) => candidate.type === 'event' && (candidate.event as { attachment?: unknown }).attachment !== undefined);
    const attachment = (frame.event as { attachment: AttachmentRef }).attachment;
    expect(attachment).to.deep.equal(sent!.attachment);
    const agentAccess = { endpoint: service.url, token: await agentToken(service, 'ana'), session: sessionId };
    expect((await loadImage((await attachmentLink(agentAccess, attachment.id)).url)).naturalWidth).to.equal(1);

    const reply = await uploadFile(agentAccess, pngFile('answer.png'), { key: 'agent-reply-1' });
    await agent.request({ type: 'reply', sessionId, cmid: 'agent-reply-1', attachment: reply.id });
    const fromAgent = withFile(await until(chat.messages$, (messages) => withFile(messages).some((message) => message.from === 'agent'))).find((message) => message.from === 'agent')!;
    expect(fromAgent.attachment).to.deep.equal(reply);
    expect((await loadImage((await files.link(reply)).url)).naturalWidth).to.equal(1);
    chat.close();
    agent.close();
  });

  it('I2: an upload is cancelled before it is stored; one that failed (service down) is kept and retried with the same key: sent once', async () => {
    const service = await startService();
    const { chat, agent, sessionId } = await chatting(service);
    const files = createAttachmentSender(chat);
    let uploads: readonly Upload[] = [];
    files.uploads$.subscribe((value) => (uploads = value));

    const cancelled = files.send(pngFile('never.png'));
    const [pending] = uploads;
    files.cancel(pending!.id);
    const refusal = await cancelled.catch((error: unknown) => error);
    expect(refusal).to.be.instanceOf(ParleyError);
    expect((refusal as ParleyError).code).to.equal('cancelled');
    expect(uploads).to.deep.equal([]);

    await stopService(service);
    const failure = await files.send(pngFile('later.png')).catch((error: unknown) => error);
    expect((failure as ParleyError).code).to.equal('network');
    const [failed] = uploads;
    expect([failed!.status, failed!.name, failed!.code]).to.deep.equal(['failed', 'later.png', 'network']);

    await startServiceAgain(service);
    const cmid = await files.retry(failed!.id);
    expect(cmid).to.equal(failed!.id);
    expect(uploads).to.deep.equal([]);
    const messages = await until(chat.messages$, (list) => list.some((message) => message.id === cmid && message.status === 'sent'));
    expect(withFile(messages).map((message) => message.attachment!.name)).to.deep.equal(['later.png']);
    // The same key again (an answer lost on the way) gets the same file back: stored once.
    const access = await chat.attachmentAccess();
    const again = await uploadFile(access, pngFile('later.png'), { key: cmid });
    expect(again).to.deep.equal(messages.find((message) => message.id === cmid)!.attachment);
    await agent.reconnect();
    await agent.seen((frame) => frame.type === 'event' && (frame.event as { cmid?: string }).cmid === cmid);
    const withCmid = agent.frames.filter((frame) => frame.type === 'event' && frame.sessionId === sessionId && (frame.event as { cmid?: string }).cmid === cmid);
    expect(new Set(withCmid.map((frame) => frame.seq)).size).to.equal(1);
    chat.close();
    agent.close();
  });

  it('I2: an agent on the agent SDK sends an image in a reply: in its own conversation and in the customer\'s, readable by both', async () => {
    const service = await startService();
    const agent = createAgentClient({ endpoint: service.url, token: await agentToken(service, 'ben') });
    await agent.setStatus('available');
    const chat = createChatClient({ endpoint: service.url, button: 'sales' });
    await until(chat.availability$, (availability) => availability?.online === true);
    const sessionId = await chat.start({ name: 'Olu' });
    const [offer] = await until(agent.offers$, (offers) => offers.some((candidate) => candidate.sessionId === sessionId));
    await agent.accept(offer!.offerId);
    await until(chat.session$, (session) => session.state === 'active');

    const files = createAttachmentSender(agentSession(agent, sessionId));
    const cmid = await files.send(pngFile('from-ben.png'));
    const conversations = await until(agent.conversations$, (bySession) => bySession[sessionId]?.some((line) => line.id === cmid && line.status === 'sent') ?? false);
    const line = conversations[sessionId]!.find((candidate) => candidate.id === cmid)!;
    expect([line.from, line.text, line.attachment?.name]).to.deep.equal(['agent', '', 'from-ben.png']);
    const [received] = withFile(await until(chat.messages$, (messages) => withFile(messages).length === 1));
    expect(received!.attachment).to.deep.equal(line.attachment);
    expect((await loadImage((await files.link(line.attachment!)).url)).naturalWidth).to.equal(1);
    expect((await loadImage((await createAttachmentSender(chat).link(received!.attachment!)).url)).naturalWidth).to.equal(1);
    chat.close();
    agent.close();
  });
});
