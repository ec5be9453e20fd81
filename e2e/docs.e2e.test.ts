import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { expect } from 'playwright/test';
import { build } from 'vite';
import { launchBrowser } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { DOCUMENTED_SERVICE, RUN, SHOWN, docFiles, documentedScriptTag, examplesOf, type DocExample } from './support/doc-examples.js';
import { watch } from './support/page-problems.js';
import { agentConsole } from './support/pages.js';

const root = resolve(import.meta.dirname, '..');
const examples = docFiles().flatMap(examplesOf);
const runnable = examples.filter((example) => (RUN as readonly string[]).includes(example.language));

/**
 * A reader's own project: a folder outside the repository that sees the
 * packages as installed (the built `dist`, through their `exports`), where an
 * example is one module.
 */
function project(): string {
  const folder = mkdtempSync(join(tmpdir(), 'parley-doc-example-'));
  symlinkSync(resolve(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  return folder;
}

/** Bundles a browser module as a reader's bundler would: every chunk by its file name. */
async function bundle(folder: string, file: string, code: string): Promise<Map<string, string>> {
  writeFileSync(join(folder, file), code);
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: folder,
    build: { write: false, target: 'es2022', minify: false, lib: { entry: join(folder, file), formats: ['es'], fileName: 'example' } },
  });
  const [result] = Array.isArray(output) ? output : [output];
  const chunks = new Map<string, string>();
  for (const chunk of (result as { output: { type: string; fileName: string; code?: string }[] }).output) {
    if (chunk.type === 'chunk') chunks.set(chunk.fileName, chunk.code!);
  }
  return chunks;
}

/** The reader's site: another origin than the chat service, serving the current example's page and modules. */
class ExampleSite {
  page = '';
  modules = new Map<string, string>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ExampleSite> {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const site = new ExampleSite(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => {
      const path = request.url ?? '/';
      if (path === '/') return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(site.page);
      const module = site.modules.get(path.slice(1));
      if (module !== undefined) return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(module);
      response.writeHead(path === '/favicon.ico' ? 204 : 404).end();
    });
    return site;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}

const pageOf = (body: string) => `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Example</title></head><body>\n${body}\n</body></html>`;

describe('the docs, as written, against the demo service (`npm start`)', () => {
  let browser: Browser;
  let service: DemoService;
  let site: ExampleSite;
  let folder: string;
  /** The documented one-line tag (docs/embedding.md), for examples of the page API it defines. */
  let tag: string;

  before(async () => {
    browser = await launchBrowser();
    site = await ExampleSite.start();
    service = await DemoService.start({ env: { PARLEY_ALLOWED_ORIGINS: site.url } });
    folder = project();
    // As the README's first step: Ana signs in to the agent console and is Available.
    await agentConsole(await (await browser.newContext()).newPage(), service.url);
    tag = documentedScriptTag(service.url);
  });
  after(async () => {
    await browser.close();
    await service.stop();
    await site.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The example with this test's service in place of `npm start`'s address: the only change made to it. */
  const placed = (code: string) => code.replaceAll(DOCUMENTED_SERVICE, service.url).replaceAll(DOCUMENTED_SERVICE.replace('http:', 'ws:'), service.url.replace('http:', 'ws:'));

  it('every fenced block in the README and docs/ says by its language whether it runs (ts, js, html, css) or is only shown (sh, json, text)', () => {
    const unclassified = examples.filter((example) => ![...RUN, ...SHOWN].includes(example.language as never)).map((example) => `${example.where} \`\`\`${example.language}`);
    assert.deepEqual(unclassified, []);
    assert.ok(runnable.length >= 10, `only ${runnable.length} runnable examples found`);
  });

  it('every ts example type-checks, strict, against the packages\' published types', () => {
    const typed = runnable.filter((example) => example.language === 'ts');
    const files = typed.map((example, index) => {
      const file = join(folder, `typed-${index}.ts`);
      writeFileSync(file, `${example.code}export {};\n`);
      return file;
    });
    const tsc = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--lib', 'es2022,dom', '--types', 'node', ...files], { cwd: folder, encoding: 'utf8' });
    // Errors name the example they are in.
    const report = tsc.stdout.replace(/typed-(\d+)\.ts/g, (_, index: string) => typed[Number(index)]!.where);
    assert.equal(tsc.status, 0, report);
  });

  for (const example of runnable) {
    it(`${example.where} (${[example.language, ...example.flags].join(' ')}) runs as written`, { timeout: 90_000 }, async () => {
      if (example.language === 'css') return runStyleSheet(example);
      if (example.flags.includes('node')) return runInNode(example);
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = await watch(page);
      try {
        if (example.language === 'html') await runPage(page, example);
        else await runModule(page, example);
        assert.deepEqual(problems, { errors: [], failedLoads: [] });
      } finally {
        await context.close();
      }
    });
  }

  /** A browser module: top-level awaits finish without an error; the page API examples run on a page with the documented tag. */
  async function runModule(page: Page, example: DocExample): Promise<void> {
    const file = `example.${example.language}`;
    site.modules = await bundle(folder, file, placed(example.code));
    const usesPageApi = /\bparley\.\w+\(/.test(example.code) && !example.code.includes('import');
    site.page = pageOf(usesPageApi ? tag : '');
    await page.goto(site.url);
    if (usesPageApi) await page.waitForFunction(() => 'parley' in window);
    await page.evaluate((src) => import(src).then(() => undefined), `/example.js`);
  }

  /**
   * A page: its elements come up connected to the service. An example with no
   * script of its own is the "from npm" use, so the page imports the packages.
   */
  async function runPage(page: Page, example: DocExample): Promise<void> {
    const html = placed(example.code);
    site.modules = /<script[^>]*\bsrc=/.test(html) ? new Map() : await bundle(folder, 'packages.js', "import '@parley/widget';\nimport '@parley/agent-badge';\n");
    site.page = pageOf(`${site.modules.size > 0 ? '<script type="module" src="/example.js"></script>\n' : ''}${html}`);
    const availability: unknown[] = [];
    await page.exposeFunction('availabilityShown', (detail: unknown) => availability.push(detail));
    await page.addInitScript(() => document.addEventListener('parley-availability', (event) => (window as unknown as { availabilityShown(detail: unknown): void }).availabilityShown((event as CustomEvent).detail)));
    let welcomed = false;
    page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => (welcomed ||= String(payload).includes('"type":"welcome"'))));
    let adminAnswers = 0;
    page.on('response', (response) => {
      if (response.url().startsWith(`${service.url}/admin/`) && response.ok()) adminAnswers += 1;
    });
    await page.goto(site.url);
    // What each element shows once it works: the chat's live availability, the badge's welcome, the admin lists.
    if (/parley-chat(\.js|\s)/.test(html)) {
      await expect.poll(() => availability.length, { message: 'the launcher shows live availability', timeout: 20_000 }).toBeGreaterThan(0);
      const button = /(?:data-button|button)="([^"]+)"/.exec(html)![1];
      assert.equal((availability[0] as { button: string }).button, button);
    }
    if (html.includes('<parley-agent-badge')) await expect.poll(() => welcomed, { message: 'the badge is signed in', timeout: 20_000 }).toBe(true);
    if (/<parley-(office-admin|left-messages|ratings)/.test(html)) await expect.poll(() => adminAnswers, { message: 'the admin lists load', timeout: 20_000 }).toBeGreaterThan(0);
  }

  /** A style sheet: every rule parses. */
  async function runStyleSheet(example: DocExample): Promise<void> {
    const page = await browser.newPage();
    try {
      const rules = await page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        return sheet.cssRules.length;
      }, example.code);
      assert.equal(rules, example.code.split('}').length - 1, 'every rule of the example parses');
    } finally {
      await page.close();
    }
  }

  /** A Node module (`ts node`): run by Node in the reader's project, exits 0. */
  async function runInNode(example: DocExample): Promise<void> {
    const file = join(folder, 'example-node.ts');
    writeFileSync(file, placed(example.code));
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, output);
  }
});
