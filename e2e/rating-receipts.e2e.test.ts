import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import { screenshot } from './support/browser.js';
import type { DemoService } from './support/demo-service.js';
import { useDemo } from './support/demo-suite.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts } from './support/pages.js';

describe('read receipts and the rating, end to end', () => {
  let browser: Browser;
  let service: DemoService;
  useDemo((demo) => ({ browser, service } = demo));

  it('I3, I4: ticks go to read both ways between the shop and the agent console; the customer rates the ended chat and the admin console reports it', async () => {
    const agent = await (await browser.newContext()).newPage();
    const customer = await (await browser.newContext()).newPage();
    await agentConsole(agent, service.url);
    await customerStarts(customer, service.url);
    await agentAccepts(agent);
    await expect(agent.getByLabel('Reply')).toBeVisible();

    // I4: the console shows the chat, so the customer's message is read as soon as it arrives.
    await customerSays(customer, 'Where is my order?');
    const tick = customer.locator('parley-chat-panel [part~=message-customer]', { hasText: 'Where is my order?' }).locator('[part~=tick]');
    await expect(tick).toHaveAttribute('aria-label', 'Read', { timeout: 15_000 });
    // And the widget is open on the shop: the agent's reply is read there.
    await agentSays(agent, 'It left the warehouse this morning.');
    await expect(agent.locator('#lines li.agent', { hasText: 'It left the warehouse this morning.' }).locator('.status')).toHaveText('Read', { timeout: 15_000 });
    await screenshot(customer, 'widget-read-receipts');

    // I3: the agent ends the chat; the customer rates it; the agent sees the rating, the admin console reports it.
    await agent.getByRole('button', { name: 'End chat' }).click();
    const panel = customer.locator('parley-chat-panel');
    await expect(panel.getByRole('group', { name: 'How was your chat?' })).toBeVisible();
    await panel.getByRole('radio', { name: '4 of 5 stars' }).check();
    await panel.getByLabel('Anything to add? (optional)').fill('Quick and kind');
    await screenshot(customer, 'widget-rating');
    await panel.getByRole('button', { name: 'Send rating' }).click();
    await expect(panel).toContainText('Thank you for your feedback.');
    await expect(agent.locator('#lines')).toContainText('Rated 4/5: Quick and kind');

    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${service.url}/admin.html`);
    const ratings = admin.locator('parley-ratings');
    await expect(ratings).toContainText('1 rating in the last 30 days, average 4 of 5.');
    await expect(ratings.locator('tbody tr')).toContainText('Quick and kind');
  });
});
