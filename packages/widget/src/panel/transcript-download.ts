import type { ChatClient } from '@parley/sdk';
import type { Locale } from '../strings/locale.js';

/** C7: saves the conversation as a text file, in the widget's language, with the page's host as the site. */
export function downloadTranscript(client: Pick<ChatClient, 'transcript'>, { strings: t, lang }: Locale): void {
  const text = client.transcript({
    site: location.host,
    locale: lang,
    labels: {
      title: t.transcriptTitle,
      site: t.transcriptSite,
      agent: t.transcriptAgent,
      date: t.transcriptDate,
      timeZone: t.transcriptTimeZone,
      agentJoined: t.agentJoined,
      agentChanged: t.agentChanged,
      ended: t.chatEnded,
    },
  });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  link.download = 'chat-transcript.txt';
  link.click();
  URL.revokeObjectURL(link.href);
}
