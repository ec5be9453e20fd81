// Prints the shipped size of each browser artefact (minified, gzip, brotli) and,
// with --check, exits 1 when one is over its budget in package.json ("sizeBudgets",
// brotli bytes). Sizes are deterministic, so a budget may fail the build.
//
//   npm run size          check budgets (part of npm test)
//   node bench/size.mjs   print the table only
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const budgets = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).sizeBudgets;

/** An SDK entry as an app would ship it: bundled with its rxjs, idb, valibot and uuid parts, minified. */
async function bundled(entry) {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['source', 'browser', 'es2015', 'module', 'import', 'default'] },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: resolve(root, entry), formats: ['es'], fileName: 'sdk' },
      // Lib mode keeps whitespace and /* @__PURE__ */ annotations in ES output for later
      // tree-shaking; an app's final bundle would keep neither (vite drops comments when it minifies an app).
      rolldownOptions: { output: { minify: true, comments: false } },
    },
  });
  const [result] = Array.isArray(output) ? output : [output];
  return result.output.filter((chunk) => chunk.type === 'chunk').map((chunk) => chunk.code).join('\n');
}

const file = (path) => () => readFileSync(resolve(root, path), 'utf8');

const ARTEFACTS = [
  { name: 'sdk', what: 'SDK ESM entry + rxjs + idb (bundled, minified)', code: () => bundled('packages/sdk/src/index.ts') },
  { name: 'sdk-agent', what: 'SDK agent entry (@parley/sdk/agent, bundled, minified)', code: () => bundled('packages/sdk/src/agent/index.ts') },
  { name: 'sdk-attachments', what: 'SDK attachments entry (@parley/sdk/attachments, bundled, minified)', code: () => bundled('packages/sdk/src/attachments/index.ts') },
  { name: 'widget-first-load', what: 'widget first load: the script tag (packages/widget/dist/parley-chat.js)', code: file('packages/widget/dist/parley-chat.js') },
  {
    name: 'widget',
    what: 'full widget: first load + panel (Lit, SDK, UI, strings)',
    code: () => file('packages/widget/dist/parley-chat.js')() + file('packages/widget/dist/parley-chat-panel.js')(),
  },
  { name: 'agent-badge', what: 'badge script-tag bundle (packages/agent-badge/dist/parley-agent-badge.js)', code: file('packages/agent-badge/dist/parley-agent-badge.js') },
  { name: 'admin', what: 'admin script-tag bundle (packages/agent-badge/dist/parley-admin.js)', code: file('packages/agent-badge/dist/parley-admin.js') },
];

const brotli = (code) => brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const rows = [];
for (const artefact of ARTEFACTS) {
  const code = await artefact.code();
  const bytes = Buffer.byteLength(code);
  const size = { minified: bytes, gzip: gzipSync(code, { level: 9 }).length, brotli: brotli(code) };
  rows.push({ ...artefact, ...size, budget: budgets[artefact.name] });
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
if (process.argv.includes('--rows')) {
  // Rows for the combined table of `npm run bench`.
  for (const row of rows) {
    const target = row.budget === undefined ? '—' : `≤ ${kb(row.budget)} brotli`;
    console.log(`| size: ${row.what} | ${kb(row.brotli)} brotli (${kb(row.minified)} min, ${kb(row.gzip)} gzip) | ${target} | \`node bench/size.mjs\` |`);
  }
} else {
  console.log('| artefact | minified | gzip | brotli | budget (brotli) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const verdict = row.budget === undefined ? '—' : `${kb(row.budget)} ${row.brotli <= row.budget ? 'ok' : 'OVER'}`;
    console.log(`| ${row.what} | ${kb(row.minified)} | ${kb(row.gzip)} | ${kb(row.brotli)} | ${verdict} |`);
  }
  console.log('(KB = 1000 bytes; made by `node bench/size.mjs`)');
}

const over = rows.filter((row) => row.budget !== undefined && row.brotli > row.budget);
if (process.argv.includes('--check') && over.length > 0) {
  console.error(`Over budget: ${over.map((row) => `${row.name} ${row.brotli} > ${row.budget} bytes`).join(', ')}`);
  process.exit(1);
}
