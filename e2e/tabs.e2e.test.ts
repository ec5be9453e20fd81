import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import type { DemoService } from './support/demo-service.js';
import { useDemo } from './support/demo-suite.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts } from './support/pages.js';

describe('tabs, end to end', () => {
  let browser: Browser;
  let service: DemoService;
  useDemo((demo) => ({ browser, service } = demo));

  it('A6: three agent pages; Away in one shows in all; logout in one logs out all', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await agentConsole(first, service.url, 'Ben');
    const pages = [first, await context.newPage(), await context.newPage()];
    for (const page of pages.slice(1)) {
      await page.goto(`${service.url}/agent.html`);
      await expect(page.locator('parley-agent-badge [part=label]')).toHaveText('Available');
    }
    await pages[1]!.locator('parley-agent-badge').getByRole('combobox', { name: 'Status' }).selectOption('away');
    for (const page of pages) await expect(page.locator('parley-agent-badge [part=label]')).toHaveText('Away');
    await pages[2]!.locator('parley-agent-badge').getByRole('button', { name: 'Log out' }).click();
    for (const page of pages) await expect(page.locator('#sign-in')).toBeVisible();
    await context.close();
  });

  it('C5, C6: the conversation continues in a second tab and after a reload, over one socket', async () => {
    const agent = await (await browser.newContext()).newPage();
    await agentConsole(agent, service.url, 'Ana');
    const context = await browser.newContext();
    const first = await context.newPage();
    await customerStarts(first, service.url);
    await agentAccepts(agent);
    await customerSays(first, 'from the first tab');
    await agentSays(agent, 'hello both tabs');

    const second = await context.newPage();
    await second.goto(service.url);
    await second.locator('parley-chat').locator('[part=launcher]').click();
    await expect(second.locator('parley-chat-panel')).toContainText('hello both tabs');
    await expect(second.locator('parley-chat-panel')).toContainText('from the first tab');

    await first.reload();
    await first.locator('parley-chat').locator('[part=launcher]').click();
    await expect(first.locator('parley-chat-panel')).toContainText('hello both tabs');
    await customerSays(second, 'from the second tab');
    await expect(agent.locator('#lines')).toContainText('from the second tab');
    await expect.poll(async () => (await service.metrics()).connections.customer).toBe(1);
    assert.equal((await service.metrics()).connections.customer, 1);
    await context.close();
  });
});
