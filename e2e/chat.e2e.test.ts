import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import { launchBrowser, screenshot } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { useDemoWithShop } from './support/demo-suite.js';
import { watch } from './support/page-problems.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts } from './support/pages.js';
import { ShopServer } from './support/shop-server.js';

describe('the demo, end to end, with the shop on another origin under a strict CSP', () => {
  let browser: Browser;
  let service: DemoService;
  let shop: ShopServer;
  useDemoWithShop((demo) => ({ browser, service, shop } = demo));

  it('C1, C4, C10, P4: the documented one-line tag on a shop of another origin under a strict CSP; the customer chats with an agent both ways; another agent consults', async () => {
    const agent = await (await browser.newContext()).newPage();
    const customer = await (await browser.newContext()).newPage();
    const problems = await watch(customer);
    await agentConsole(agent, service.url);
    await customerStarts(customer, shop.url);
    assert.notEqual(new URL(customer.url()).origin, new URL(service.url).origin);
    await agentAccepts(agent);
    const panel = customer.locator('parley-chat-panel');
    await expect(panel).toContainText('Ana joined the chat');

    await customerSays(customer, 'Where is my order A-1042?');
    await expect(agent.locator('#lines')).toContainText('Where is my order A-1042?');
    await agent.getByLabel('Reply').fill('Let me look');
    await expect(panel).toContainText('Ana is typing');
    await agentSays(agent, 'It ships tomorrow.');
    await expect(panel).toContainText('It ships tomorrow.');
    await customer.locator('parley-chat-panel').getByLabel('Your message').fill('Thanks');
    await expect(agent.locator('#typing')).toBeVisible();

    // P4: another agent joins as consultant and sees the conversation.
    const ben = await (await browser.newContext()).newPage();
    await agentConsole(ben, service.url, 'Ben');
    const chatId = ((await agent.locator('#chat-id').textContent()) ?? '').replace('Chat id ', '');
    await ben.getByLabel(/Join another agent's chat/).fill(chatId);
    await ben.getByRole('button', { name: 'Consult' }).click();
    await expect(ben.locator('#lines')).toContainText('It ships tomorrow.');
    await expect(ben.locator('#chat-id')).toContainText('(consulting)');

    assert.deepEqual(problems, { errors: [], failedLoads: [] });
    await screenshot(customer, 'shop-widget-open');
    await screenshot(agent, 'agent-console');
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${service.url}/admin.html`);
    await expect(admin.locator('parley-office-admin')).toContainText('Presence report');
    await screenshot(admin, 'admin-console');
  });

  it('M3: with the network gone, "Reconnecting…" shows at once (not after the heartbeat), and goes as soon as the socket is back', async () => {
    const agent = await (await browser.newContext()).newPage();
    const context = await browser.newContext();
    const customer = await context.newPage();
    await agentConsole(agent, service.url, 'Ben');
    await customerStarts(customer, shop.url, 'Olu');
    await agentAccepts(agent);
    const panel = customer.locator('parley-chat-panel');
    await expect(panel).toContainText('Ben joined the chat');
    const reconnecting = panel.locator('[part=notice]', { hasText: 'Reconnecting…' });

    const dropped = Date.now();
    await context.setOffline(true);
    await expect(reconnecting).toBeVisible();
    const shownAfter = Date.now() - dropped;
    await customerSays(customer, 'written while offline');
    const back = Date.now();
    await context.setOffline(false);
    await expect(reconnecting).toBeHidden();
    const goneAfter = Date.now() - back;
    await expect(agent.locator('#lines')).toContainText('written while offline');
    console.log(`network drop: "Reconnecting…" shown after ${shownAfter} ms; gone ${goneAfter} ms after the network came back`);
  });
});

describe('a shop whose origin the service does not allow', () => {
  it('C2: the widget shows no misleading state (hidden, never "Leave a message") and logs one line naming the setting to change', async () => {
    const browser = await launchBrowser();
    const allowed = await ShopServer.start();
    const refused = await ShopServer.start();
    const service = await DemoService.start({ env: { PARLEY_ALLOWED_ORIGINS: allowed.url } });
    refused.chatService = service.url;
    try {
      const page = await browser.newPage();
      const problems = await watch(page);
      await page.goto(refused.url);
      await expect(page.locator('parley-chat')).toBeHidden();
      await expect.poll(() => problems.errors.length).toBe(1);
      assert.match(problems.errors[0]!, new RegExp(`Add ${refused.url.replace(/[.]/g, '\\.')} to the service's allowedOrigins \\(PARLEY_ALLOWED_ORIGINS\\)`));
      assert.equal(await page.locator('parley-chat').locator('[part=launcher]').getByText('Leave a message').count(), 0);
    } finally {
      await browser.close();
      await service.stop();
      await allowed.close();
      await refused.close();
    }
  });
});
