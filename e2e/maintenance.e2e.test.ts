import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import { launchBrowser } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts, occurrences } from './support/pages.js';

describe('maintenance, end to end', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser.close());

  it('M3, M7: a drain and restart mid-chat shows Reconnecting… briefly on both sides, and nothing is lost or duplicated', async () => {
    let service = await DemoService.start();
    try {
      const agent = await (await browser.newContext()).newPage();
      const customer = await (await browser.newContext()).newPage();
      await agentConsole(agent, service.url);
      await customerStarts(customer, service.url);
      await agentAccepts(agent);
      await customerSays(customer, 'before the restart');
      await agentSays(agent, 'reply before');
      await expect(customer.locator('parley-chat-panel')).toContainText('reply before');

      const restarting = service.restart();
      await expect(customer.locator('parley-chat-panel [part=notice]')).toHaveText('Reconnecting…');
      await expect(agent.locator('parley-agent-badge [part=overlay]')).toHaveText('Reconnecting…');
      await customerSays(customer, 'during the restart');
      service = await restarting;

      await expect(customer.locator('parley-chat-panel [part=notice]')).toHaveCount(0);
      await expect(agent.locator('parley-agent-badge [part=overlay]')).toHaveCount(0);
      await expect(agent.locator('parley-agent-badge [part=label]')).toHaveText('Available');
      await expect(agent.locator('#lines')).toContainText('during the restart');
      await agentSays(agent, 'reply after');
      await expect(customer.locator('parley-chat-panel')).toContainText('reply after');
      for (const text of ['before the restart', 'reply before', 'during the restart', 'reply after']) {
        assert.equal(await occurrences(customer, text), 1, `customer sees "${text}" once`);
        assert.equal(await occurrences(agent, text), 1, `agent sees "${text}" once`);
      }
    } finally {
      await service.stop();
    }
  });

  it('M6: read-only puts the button offline with the reason, and a new chat gets the clear message', async () => {
    const service = await DemoService.start();
    try {
      const agent = await (await browser.newContext()).newPage();
      await agentConsole(agent, service.url);
      await service.admin('PUT', '/admin/read-only', { on: true });
      const customer = await (await browser.newContext()).newPage();
      await customer.goto(service.url);
      const launcher = customer.locator('parley-chat').locator('[part=launcher]');
      await launcher.click();
      const panel = customer.locator('parley-chat-panel');
      await expect(panel).toContainText('Chat is temporarily unavailable');
      await expect(launcher).toHaveText(/Close chat/);
      await customer.locator('parley-chat').evaluate((chat) => (chat as HTMLElement & { close(): void }).close());
      await expect(launcher).toHaveText(/Leave a message/);
    } finally {
      await service.stop();
    }
  });
});
