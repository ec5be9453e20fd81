import { html, type TemplateResult } from 'lit';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;

/**
 * C10: message text is only ever text. Web addresses become links when they
 * are http(s) and nothing else (no `javascript:`, no `data:`), opened in a
 * new tab with no opener and no referrer. Lit escapes everything else.
 */
export function messageText(text: string): Array<string | TemplateResult> {
  const parts: Array<string | TemplateResult> = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(safeLink(raw) ?? raw);
    last = start + raw.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function safeLink(raw: string): TemplateResult | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return html`<a part="link" href=${url.href} target="_blank" rel="noopener noreferrer nofollow">${raw}</a>`;
}
