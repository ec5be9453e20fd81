import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * What a fenced block in the docs is, by its fence's language. Every fence
 * names one, so nothing is left out by accident:
 * - `ts`, `js`: run as a browser module on a page of another origin than the
 *   service (`ts node`: run by Node instead);
 * - `html`: loaded as a page's body; `css`: parsed as a style sheet;
 * - `sh` (shell commands), `json` (wire frames and payloads), `text`
 *   (output, layouts, headers): shown, not run.
 */
export const RUN = ['ts', 'js', 'html', 'css'] as const;
export const SHOWN = ['sh', 'json', 'text'] as const;

export interface DocExample {
  /** Where it is: `docs/sdk.md:7`. */
  where: string;
  language: string;
  /** Words after the language, e.g. `node`. */
  flags: string[];
  code: string;
}

/** The address `npm start` serves; examples say it, and tests put their own service's address in its place. */
export const DOCUMENTED_SERVICE = 'http://127.0.0.1:8787';

/** The docs a user reads: the README and every page under docs/. */
export function docFiles(): string[] {
  const docs = readdirSync(resolve(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => resolve(root, 'docs', name));
  return [resolve(root, 'README.md'), ...docs];
}

/** Every fenced block of a Markdown file, its indentation removed. */
export function examplesOf(file: string): DocExample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: DocExample[] = [];
  let open: { indent: number; fence: string; info: string; start: number; body: string[] } | undefined;
  lines.forEach((line, index) => {
    const fence = /^(\s*)(`{3,})(.*)$/.exec(line);
    if (!open) {
      if (fence) open = { indent: fence[1]!.length, fence: fence[2]!, info: fence[3]!.trim(), start: index + 1, body: [] };
      return;
    }
    if (fence && fence[2] === open.fence && fence[3]!.trim() === '') {
      const [language = '', ...flags] = open.info.split(/\s+/).filter(Boolean);
      examples.push({ where: `${relative(root, file)}:${open.start}`, language, flags, code: open.body.join('\n') + '\n' });
      open = undefined;
      return;
    }
    open.body.push(line.slice(Math.min(open.indent, /^\s*/.exec(line)![0].length)));
  });
  if (open) throw new Error(`${relative(root, file)}:${open.start}: a fence that never closes`);
  return examples;
}

/** The one-line script tag exactly as docs/embedding.md documents it, pointing at `service`. */
export function documentedScriptTag(service: string): string {
  const tag = examplesOf(resolve(root, 'docs/embedding.md')).find((example) => example.language === 'html' && example.code.includes('/widget/parley-chat.js'));
  if (!tag) throw new Error('docs/embedding.md shows no script tag');
  return tag.code.trim().replaceAll(DOCUMENTED_SERVICE, service);
}
