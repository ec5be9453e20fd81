// Tabs: 1, 5 and 20 pages of one origin in Chromium (real top-level pages of one browser context).
// Prints customer sockets at the service, leader failover after closing the leader page (until the
// new leader's socket is open), and how long a presence change takes to show in every agent page.
//
//   node --conditions=source --import tsx bench/tabs.ts
import type { BrowserContext, Page } from 'playwright';
import { launchBrowser } from '../e2e/support/browser.js';
import { DemoService } from '../e2e/support/demo-service.js';
import { ms, percentile } from './support/service.js';

const COUNTS = [1, 5, 20];
const command = '`node --conditions=source --import tsx bench/tabs.ts`';
const service = await DemoService.start();
const browser = await launchBrowser();

/** Waits for a condition by asking again every 20 ms (a benchmark may wait in real time). */
async function poll<T>(check: () => Promise<T | undefined | false>, limitMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A shop page whose widget reports, on window, when it leads and when its socket is open. */
async function shopPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(service.url);
  await page.evaluate(async () => {
    const chat = document.querySelector('parley-chat') as HTMLElement & { open(): Promise<void>; close(): void };
    await chat.open();
    chat.close();
    const panel = chat.shadowRoot!.querySelector('parley-chat-panel') as unknown as { client: { leader$: { subscribe(f: (v: boolean) => void): void }; connection$: { subscribe(f: (v: { status: string }) => void): void } } };
    const state = window as unknown as { leader: boolean; openAt?: number };
    panel.client.leader$.subscribe((leader) => (state.leader = leader));
    panel.client.connection$.subscribe((connection) => {
      if (connection.status === 'open' && state.leader && state.openAt === undefined) state.openAt = Date.now();
    });
  });
  return page;
}

const rows: string[] = [];
for (const count of COUNTS) {
  const context = await browser.newContext();
  const pages: Page[] = [];
  for (let index = 0; index < count; index++) pages.push(await shopPage(context));
  const sockets = await poll(async () => {
    const { connections } = await service.metrics();
    return connections.customer >= 1 && (await new Promise((resolve) => setTimeout(resolve, 300)), (await service.metrics()).connections.customer);
  });
  rows.push(`| tabs: ${count} page${count > 1 ? 's' : ''}, customer sockets at the service | ${sockets} | 1 | ${command} |`);
  if (count > 1) {
    const leaders = await Promise.all(pages.map((page) => page.evaluate(() => (window as unknown as { leader: boolean }).leader)));
    const leader = pages[leaders.indexOf(true)]!;
    const closedAt = Date.now();
    await leader.close();
    const rest = pages.filter((page) => page !== leader);
    const openAt = await poll(async () => {
      const times = await Promise.all(rest.map((page) => page.evaluate(() => (window as unknown as { openAt?: number }).openAt)));
      return times.find((time) => time !== undefined);
    });
    rows.push(`| tabs: ${count} pages, leader failover (leader page closed → new leader's socket open) | ${ms(openAt - closedAt)} | < 500 ms | ${command} |`);
  }
  await context.close();
}

// Presence: a change in one agent page, timed to when every page shows it.
for (const count of [5, 20]) {
  const context = await browser.newContext();
  await context.addInitScript(() => localStorage.setItem('parley-demo-agent', 'ana'));
  const pages: Page[] = [];
  for (let index = 0; index < count; index++) {
    const page = await context.newPage();
    await page.goto(`${service.url}/agent.html`);
    await page.locator('parley-agent-badge [part=label]').waitFor();
    await page.evaluate(() => {
      const badge = document.querySelector('parley-agent-badge') as unknown as { client: { presence$: { subscribe(f: (v: { view?: { status: string } }) => void): void } } };
      const state = window as unknown as { seen: Record<string, number> };
      state.seen = {};
      badge.client.presence$.subscribe((presence) => {
        if (presence.view) state.seen[presence.view.status] ??= Date.now();
      });
    });
    pages.push(page);
  }
  const delays: number[] = [];
  for (let round = 0; round < 10; round++) {
    const status = round % 2 === 0 ? 'away' : 'available';
    await Promise.all(pages.map((page) => page.evaluate((target) => delete (window as unknown as { seen: Record<string, number> }).seen[target], status)));
    const changer = pages[round % count]!;
    // Timed from the agent's actual change in the page, not from when the automation began to act.
    await changer.evaluate(() => {
      const select = document.querySelector('parley-agent-badge')!.shadowRoot!.querySelector('select')!;
      select.addEventListener('change', () => ((window as unknown as { changedAt: number }).changedAt = Date.now()), { once: true, capture: true });
    });
    await changer.locator('parley-agent-badge').getByRole('combobox', { name: 'Status' }).selectOption(status);
    const changedAt = await changer.evaluate(() => (window as unknown as { changedAt: number }).changedAt);
    const seen = await poll(async () => {
      const times = await Promise.all(pages.map((page) => page.evaluate((target) => (window as unknown as { seen: Record<string, number> }).seen[target], status)));
      return times.every((time) => time !== undefined) && (times as number[]);
    });
    delays.push(...seen.map((time) => time - changedAt));
  }
  rows.push(`| tabs: presence change shown in all ${count} agent pages, p50 / p99 | ${ms(percentile(delays, 50))} / ${ms(percentile(delays, 99))} | p99 < 50 ms | ${command} |`);
  await context.close();
}

await browser.close();
await service.stop();
for (const row of rows) console.log(row);
process.exit(0);
