// Drops the indentation of Lit's html`` / css`` templates and of the plain CSS strings in
// *styles.ts files, for the script-tag and lazy bundles only. The minifier keeps template text as
// written, and that indentation was about 1 KB of every widget download. Only whitespace the
// browser ignores is removed:
// - html: a run of whitespace that holds a line break becomes that many line breaks (HTML
//   collapses it the same; text set with white-space: pre-wrap comes from expressions, never
//   from template text);
// - CSS: comments go, and spaces around { } ; : , > (outside quotes) go.
// Line breaks are kept, so every line of the source map still points where it did.
import { parseAst } from 'vite';
import type { Plugin } from 'vite';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
interface TemplateElement extends Node {
  value: { raw: string };
}
type Kind = 'html' | 'css';

export function templateWhitespace(): Plugin {
  return {
    name: 'parley:template-whitespace',
    enforce: 'post',
    transform(code, id) {
      if (!/\/packages\/[^/]+\/src\/.*\.ts$/.test(id) || id.includes('.test.')) return null;
      const plainCss = /styles\.ts$/.test(id);
      if (!plainCss && !/\b(html|css)`/.test(code)) return null;
      const edits: Array<{ start: number; end: number; text: string }> = [];
      const visit = (node: unknown, kind: Kind | undefined): void => {
        if (Array.isArray(node)) return node.forEach((child) => visit(child, kind));
        if (!node || typeof node !== 'object') return;
        const current = node as Node;
        if (current.type === 'TaggedTemplateExpression') {
          const tag = current['tag'] as Node & { name?: string };
          const tagKind = tag.type === 'Identifier' && (tag.name === 'html' || tag.name === 'css') ? tag.name : undefined;
          visit(tag, kind);
          visitTemplate(current['quasi'] as Node, tagKind);
          return;
        }
        if (current.type === 'TemplateLiteral') return visitTemplate(current, plainCss ? 'css' : undefined);
        for (const [key, value] of Object.entries(current)) if (key !== 'type') visit(value, kind);
      };
      const visitTemplate = (literal: Node, kind: Kind | undefined): void => {
        const quasis = literal['quasis'] as TemplateElement[];
        if (kind) {
          for (const [index, quasi] of quasis.entries()) {
            const raw = quasi.value.raw;
            // A backslash could be a line continuation; leave such a template as written.
            if (raw.includes('\\') || code.slice(quasi.start, quasi.end) !== raw) continue;
            let text = kind === 'html' ? raw.replace(/\s*\n\s*/g, (run) => '\n'.repeat(run.split('\n').length - 1)) : minifyCss(raw);
            if (index === 0) text = text.replace(/^\s+/, (run) => newlines(run));
            if (index === quasis.length - 1) text = text.replace(/\s+$/, (run) => newlines(run));
            if (text !== raw) edits.push({ start: quasi.start, end: quasi.end, text });
          }
        }
        visit(literal['expressions'], kind);
      };
      visit(parseAst(code, { lang: 'js' }).body, undefined);
      if (edits.length === 0) return null;
      let result = code;
      for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
      // Lines are unchanged, so the source map of the step before still holds line by line.
      return { code: result, map: null };
    },
  };
}

const newlines = (run: string) => '\n'.repeat(run.split('\n').length - 1);

/** CSS without comments and without the spaces it does not need; quoted strings untouched. */
function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => newlines(comment))
    .split(/('[^']*'|"[^"]*")/)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part
        .replace(/[ \t]*\n\s*/g, (run) => newlines(run))
        .replace(/[ \t]+/g, ' ')
        .replace(/ ?([{};,>]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;(\s*)}/g, '$1}');
    })
    .join('');
}
