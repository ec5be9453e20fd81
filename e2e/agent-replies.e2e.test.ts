import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from 'playwright/test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { launchBrowser } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { agentAccepts, agentConsole, agentSays, customerStarts } from './support/pages.js';

/** Dialogs a page opened (`alert`, `confirm`…): an agent console must never block on one. */
function watchDialogs(page: Page, dialogs: string[]): void {
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}

/** The network is back, as far as the page knows: the client tries at once instead of waiting out its backoff. */
const wake = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('online')));

/** The agent's line for a reply, and what it says about it (Sending…, Sent, Delivered, Read, Not sent…). */
const replyLine = (agent: Page, text: string) => agent.locator('#lines li.agent', { hasText: text });

/** The agent's messages as the customer's widget shows them, in order. */
async function customerSees(customer: Page, texts: string[]): Promise<string[]> {
  const lines = await customer.locator('parley-chat-panel [part~=message]').allTextContents();
  return lines.flatMap((line) => texts.filter((text) => line.includes(text)));
}

/** A reply the service stored: sent, and then delivered and read as the customer's widget gets and shows it (I4). */
const STORED = /^(Sent|Delivered|Read)$/;

/** Every reply once, in the order written: the customer's view, and the agent's own. */
async function deliveredOnceInOrder(customer: Page, agent: Page, texts: string[]): Promise<void> {
  for (const text of texts) await expect(customer.locator('parley-chat-panel')).toContainText(text, { timeout: 15_000 });
  assert.deepEqual(await customerSees(customer, texts), texts);
  for (const text of texts) {
    // Stored by the service; the customer's open widget may already have received and read it (I4).
    await expect(replyLine(agent, text).locator('.status')).toHaveText(STORED, { timeout: 15_000 });
    await expect(replyLine(agent, text)).toHaveCount(1);
  }
}

describe('agent replies, exactly once, end to end', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser.close());

  async function chat(service: DemoService, agentContext?: BrowserContext) {
    const agent = await (agentContext ?? (await browser.newContext())).newPage();
    const customer = await (await browser.newContext()).newPage();
    const dialogs: string[] = [];
    watchDialogs(agent, dialogs);
    await agentConsole(agent, service.url);
    await customerStarts(customer, service.url);
    await agentAccepts(agent);
    await expect(agent.getByLabel('Reply')).toBeVisible();
    return { agent, customer, dialogs };
  }

  it('M3, M7: replies written while the service drains, and while it is SIGKILLed and restarted, reach the customer once, in order; the console shows Sending… then Sent, never a dialog', async () => {
    let service = await DemoService.start();
    try {
      const { agent, customer, dialogs } = await chat(service);
      await agentSays(agent, 'before anything');
      await expect(replyLine(agent, 'before anything').locator('.status')).toHaveText(STORED);

      // M3: a drain (SIGTERM), the process exits, a new one starts on the same database.
      const restarting = service.restart();
      await expect(agent.locator('parley-agent-badge [part=overlay]')).toHaveText('Reconnecting…');
      for (const text of ['during the drain, one', 'during the drain, two']) {
        await agentSays(agent, text);
        await expect(replyLine(agent, text).locator('.status')).toHaveText('Sending…');
      }
      service = await restarting;
      await Promise.all([wake(agent), wake(customer)]);
      await deliveredOnceInOrder(customer, agent, ['before anything', 'during the drain, one', 'during the drain, two']);

      // A crash: no drain, no goodbye; the replies wait in IndexedDB until the service is back.
      await service.kill();
      await expect(agent.locator('parley-agent-badge [part=overlay]')).toHaveText('Reconnecting…');
      for (const text of ['after the crash, one', 'after the crash, two']) {
        await agentSays(agent, text);
        await expect(replyLine(agent, text).locator('.status')).toHaveText('Sending…');
      }
      service = await service.startAgain();
      await Promise.all([wake(agent), wake(customer)]);
      await deliveredOnceInOrder(customer, agent, ['before anything', 'during the drain, one', 'during the drain, two', 'after the crash, one', 'after the crash, two']);
      assert.deepEqual(dialogs, []);
    } finally {
      await service.stop();
    }
  });

  it('P6, A7: replies stored while the agent cannot reach the service survive a reload and the leader tab closing, and reach the customer once, in order', async () => {
    let service = await DemoService.start();
    try {
      const agentContext = await browser.newContext();
      // The agent's sockets only: while blocked, the pages load but cannot connect.
      let blocked = false;
      await agentContext.routeWebSocket(/\/v1\/socket/, (socket) => (blocked ? socket.close() : socket.connectToServer()));
      const { agent, customer, dialogs } = await chat(service, agentContext);

      /** Drops every socket (SIGKILL) and brings the service back with the agent's sockets blocked. */
      const cutOffAgent = async () => {
        await service.kill();
        blocked = true;
        service = await service.startAgain();
        await wake(customer);
      };

      // P6: written while cut off, then a reload: the reply is in IndexedDB, and the reloaded page sends it.
      await cutOffAgent();
      await agentSays(agent, 'written before the reload');
      await expect(replyLine(agent, 'written before the reload').locator('.status')).toHaveText('Sending…');
      await agent.reload();
      blocked = false;
      await wake(agent);
      await deliveredOnceInOrder(customer, agent, ['written before the reload']);

      // A7: a second tab follows; each tab writes a reply while cut off; the leader tab closes; the other sends both.
      const other = await agentContext.newPage();
      watchDialogs(other, dialogs);
      await other.goto(`${service.url}/agent.html`);
      await expect(other.getByLabel('Reply')).toBeVisible();
      await cutOffAgent();
      await agentSays(agent, 'from the leader tab');
      await expect(replyLine(agent, 'from the leader tab').locator('.status')).toHaveText('Sending…');
      await agentSays(other, 'from the other tab');
      await expect(replyLine(other, 'from the other tab').locator('.status')).toHaveText('Sending…');
      await agent.close();
      blocked = false;
      await wake(other);
      await deliveredOnceInOrder(customer, other, ['written before the reload', 'from the leader tab', 'from the other tab']);
      assert.deepEqual(dialogs, []);
    } finally {
      await service.stop();
    }
  });
});
