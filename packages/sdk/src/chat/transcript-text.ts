import type { ChatMessage, ConversationEvent } from './chat-view.js';

/** The words of a transcript file, so a UI can give it in its own language. */
export interface TranscriptLabels {
  title: string;
  site: string;
  agent: string;
  date: string;
  /** Shown after the date: in which time zone the times are. */
  timeZone: (zone: string) => string;
  agentJoined: (name: string) => string;
  agentChanged: (name: string) => string;
  ended: string;
}

export interface TranscriptOptions {
  /** The site the chat was on; default: the page's host. */
  site?: string | undefined;
  /** Language for dates; default: the platform's. */
  locale?: string | undefined;
  /** Time zone for times; default: the platform's (the reader's local time). */
  timeZone?: string | undefined;
  labels?: Partial<TranscriptLabels> | undefined;
}

export const TRANSCRIPT_LABELS: TranscriptLabels = {
  title: 'Chat transcript',
  site: 'Site',
  agent: 'Agent',
  date: 'Date',
  timeZone: (zone) => `times in ${zone}`,
  agentJoined: (name) => `${name} joined the chat`,
  agentChanged: (name) => `You're now chatting with ${name}`,
  ended: 'The chat ended',
};

/**
 * C7: the stored conversation as a plain-text file (a file sent, I2, by its name after the text): a header (site, agents,
 * date), then one line per message or event in `seq` order, in local time,
 * ending with a newline. Messages not yet stored by the service are left out.
 */
export function transcriptText(messages: readonly ChatMessage[], events: readonly ConversationEvent[], options: TranscriptOptions = {}): string {
  const labels = { ...TRANSCRIPT_LABELS, ...options.labels };
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const day = new Intl.DateTimeFormat(options.locale, { dateStyle: 'long', timeZone });
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });
  const dateKey = new Intl.DateTimeFormat('en-CA', { timeZone });
  const lines: Array<{ seq: number; at: number; text: string }> = [];
  for (const message of messages) {
    if (message.seq !== undefined) lines.push({ seq: message.seq, at: message.at, text: `${message.author}: ${[message.text, message.attachment?.name].filter(Boolean).join(' ')}` });
  }
  for (const event of events) {
    if (event.kind === 'rating') continue;
    const text = event.kind === 'agent-joined' ? labels.agentJoined(event.agent.name) : event.kind === 'agent-changed' ? labels.agentChanged(event.agent.name) : labels.ended;
    lines.push({ seq: event.seq, at: event.at, text });
  }
  lines.sort((a, b) => a.seq - b.seq);
  const agents = [...new Set(events.flatMap((event) => ('agent' in event ? [event.agent.name] : [])))];
  const first = lines[0]?.at;
  const header = [
    labels.title,
    `${labels.site}: ${options.site ?? globalThis.location?.host ?? ''}`,
    ...(agents.length > 0 ? [`${labels.agent}: ${agents.join(', ')}`] : []),
    ...(first !== undefined ? [`${labels.date}: ${day.format(first)} (${labels.timeZone(timeZone)})`] : []),
  ];
  // A chat that runs past midnight says so on the first line of each new day.
  let shownDay = first === undefined ? '' : dateKey.format(first);
  const body = lines.map(({ at, text }) => {
    const today = dateKey.format(at);
    const prefix = today === shownDay ? time.format(at) : `${today} ${time.format(at)}`;
    shownDay = today;
    return `[${prefix}] ${text}`;
  });
  return `${[...header, '', ...body].join('\n')}\n`;
}
