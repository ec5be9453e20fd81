import { after, before, describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import { launchBrowser, screenshot } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts } from './support/pages.js';

describe('the demo, end to end', () => {
  let browser: Browser;
  let service: DemoService;
  before(async () => {
    browser = await launchBrowser();
    service = await DemoService.start();
  });
  after(async () => {
    await browser.close();
    await service.stop();
  });

  it('C1, C4, P4: a customer starts a chat, an agent accepts, messages and typing flow both ways; another agent consults', async () => {
    const agent = await (await browser.newContext()).newPage();
    const customer = await (await browser.newContext()).newPage();
    await agentConsole(agent, service.url);
    await customerStarts(customer, service.url);
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

    await screenshot(customer, 'shop-widget-open');
    await screenshot(agent, 'agent-console');
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${service.url}/admin.html`);
    await expect(admin.locator('parley-office-admin')).toContainText('Presence report');
    await screenshot(admin, 'admin-console');
  });
});
