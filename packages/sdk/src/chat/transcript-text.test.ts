import { expect } from '@open-wc/testing';
import type { TranscriptRow } from '../storage/chat-store.js';
import { EMPTY_OUTBOX } from '../outbox/outbox.js';
import { conversationEvents, messageList } from './chat-view.js';
import { transcriptText } from './transcript-text.js';

const at = (time: string) => Date.parse(`2026-01-05T${time}Z`);
const row = (seq: number, time: string, event: Record<string, unknown>): TranscriptRow => ({ sessionId: 's1', seq, at: at(time), event });
const rows: TranscriptRow[] = [
  row(1, '13:00:00', { kind: 'state', state: 'waiting', reason: 'started' }),
  row(2, '13:00:05', { kind: 'message', from: 'customer', author: 'Dana', text: 'Hello?', cmid: 'c1' }),
  row(3, '13:01:00', { kind: 'state', state: 'active', reason: 'agent-accepted' }),
  row(4, '13:01:00', { kind: 'agent-joined', agent: { id: 'ana', name: 'Ana' } }),
  row(5, '13:01:30', { kind: 'message', from: 'agent', author: 'Ana', text: 'Hi Dana' }),
  row(6, '13:05:00', { kind: 'agent-changed', agent: { id: 'ben', name: 'Ben' }, previous: { id: 'ana', name: 'Ana' } }),
  row(7, '13:06:00', { kind: 'state', state: 'ended', reason: 'customer-ended' }),
];

describe('the conversation and its transcript', () => {
  it('C4: events carry their seq, so a message sent before the agent joined comes before "joined", as on the agent side', () => {
    const events = conversationEvents(rows);
    expect(events.map((event) => [event.seq, event.kind])).to.deep.equal([
      [4, 'agent-joined'],
      [6, 'agent-changed'],
      [7, 'ended'],
    ]);
    const messages = messageList(rows, { entries: [{ cmid: 'c2', sessionId: 's1', text: 'still going', createdAt: 0 }], statuses: new Map() }, 'Dana');
    expect(messages.map((message) => [message.seq, message.author, message.text])).to.deep.equal([
      [2, 'Dana', 'Hello?'],
      [5, 'Ana', 'Hi Dana'],
      [undefined, 'Dana', 'still going'],
    ]);
  });

  it('C7: the file has a header (site, agents, date), local times, the events, and ends with a newline', () => {
    const messages = messageList(rows, EMPTY_OUTBOX, 'Dana');
    const paris = transcriptText(messages, conversationEvents(rows), { site: 'shop.example.com', locale: 'en-GB', timeZone: 'Europe/Paris' });
    expect(paris).to.equal(
      [
        'Chat transcript',
        'Site: shop.example.com',
        'Agent: Ana, Ben',
        'Date: 5 January 2026 (times in Europe/Paris)',
        '',
        '[14:00:05] Dana: Hello?',
        '[14:01:00] Ana joined the chat',
        '[14:01:30] Ana: Hi Dana',
        "[14:05:00] You're now chatting with Ben",
        '[14:06:00] The chat ended',
        '',
      ].join('\n'),
    );
    const tokyo = transcriptText(messages, conversationEvents(rows), { site: 'shop.example.com', timeZone: 'Asia/Tokyo', labels: { agentJoined: (name) => `${name} a rejoint la discussion` } });
    expect(tokyo).to.contain('[22:01:00] Ana a rejoint la discussion\n');
  });

  it('I2: a message carries its file from the transcript and the outbox; the transcript names the file after the text', () => {
    const attachment = { id: 'f1', name: 'screen.png', type: 'image/png', size: 120 };
    const withFiles = [
      row(1, '13:00:00', { kind: 'message', from: 'customer', author: 'Dana', text: '', cmid: 'c1', attachment }),
      row(2, '13:00:10', { kind: 'message', from: 'agent', author: 'Ana', text: 'The label', attachment: { ...attachment, id: 'f2', name: 'label.pdf', type: 'application/pdf' } }),
    ];
    const outbox = { entries: [{ cmid: 'c2', sessionId: 's1', text: '', createdAt: 0, attachment: { ...attachment, id: 'f3', name: 'more.png' } }], statuses: new Map() };
    const messages = messageList(withFiles, outbox, 'Dana');
    expect(messages.map((message) => [message.id, message.attachment?.name])).to.deep.equal([
      ['c1', 'screen.png'],
      ['seq-2', 'label.pdf'],
      ['c2', 'more.png'],
    ]);
    const text = transcriptText(messages, [], { site: 's', timeZone: 'UTC' });
    expect(text).to.contain('[13:00:00] Dana: screen.png\n[13:00:10] Ana: The label label.pdf\n');
  });

  it('C7: a chat running past midnight dates the first line of the new day', () => {
    const late = [row(1, '22:59:00', { kind: 'message', from: 'customer', author: 'Dana', text: 'late', cmid: 'c1' }), { ...row(2, '23:00:00', { kind: 'message', from: 'agent', author: 'Ana', text: 'early' }), at: at('23:00:00') + 1000 }];
    const text = transcriptText(messageList(late, EMPTY_OUTBOX, 'Dana'), [], { site: 's', timeZone: 'Europe/Paris' });
    expect(text).to.contain('[23:59:00] Dana: late\n[2026-01-06 00:00:01] Ana: early\n');
  });
});
