import { after, before, describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import { launchBrowser } from './support/browser.js';
import { DemoService } from './support/demo-service.js';
import { agentAccepts, agentConsole, agentSays, customerSays, customerStarts } from './support/pages.js';

const MINUTE = 60_000;

describe('routing, windows and lifecycle, end to end (service clock moved by the test)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser.close());

  it('M4: when the agent does not come back, the chat moves to another agent, who sees the transcript, and the customer is told', async () => {
    const service = await DemoService.start();
    try {
      const ana = await (await browser.newContext()).newPage();
      const ben = await (await browser.newContext()).newPage();
      await agentConsole(ana, service.url, 'Ana');
      await agentConsole(ben, service.url, 'Ben');
      const customer = await (await browser.newContext()).newPage();
      await customerStarts(customer, service.url);
      await agentAccepts(ana);
      await customerSays(customer, 'My tent pole is bent');
      await expect(ana.locator('#lines')).toContainText('My tent pole is bent');

      await ana.context().close();
      await expect.poll(async () => (await service.metrics()).connections.agent).toBe(1);
      await service.advance(60_000);
      await agentAccepts(ben);
      await expect(customer.locator('parley-chat-panel')).toContainText("You're now chatting with Ben");
      await expect(ben.locator('#lines')).toContainText('My tent pole is bent');
      await agentSays(ben, 'I can help with that');
      await expect(customer.locator('parley-chat-panel')).toContainText('I can help with that');
    } finally {
      await service.stop();
    }
  });

  it('M1, M2: a planned window shows in the agent\'s badge when scheduled and to customers ahead; agents go Offline at its start, the button is offline during it; after it agents are back by themselves and so is the button', async () => {
    const service = await DemoService.start();
    try {
      const agent = await (await browser.newContext()).newPage();
      await agentConsole(agent, service.url, 'Ana');
      const customer = await (await browser.newContext()).newPage();
      await customer.goto(service.url);
      const launcher = customer.locator('parley-chat').locator('[part=launcher]');
      await expect(launcher).toHaveText(/Chat with us/);
      await launcher.click();
      const panel = customer.locator('parley-chat-panel');

      const { now } = (await service.advance(0)) as { now: number };
      const startsAt = now + 61 * MINUTE;
      await service.admin('POST', '/admin/maintenance-windows', { startsAt, endsAt: startsAt + 30 * MINUTE, message: 'Upgrade' });
      await expect(agent.locator('parley-agent-badge [part=maintenance]')).toContainText(/Planned maintenance .*: Upgrade/);
      await expect(panel).not.toContainText('planned maintenance');
      await service.advance(2 * MINUTE);
      await expect(panel).toContainText('Chat will be down for planned maintenance from');
      // Ana steps away and back (her activity, so the hour of service time below does not idle her out).
      const status = agent.locator('parley-agent-badge').getByRole('combobox', { name: 'Status' });
      await status.selectOption('away');
      await expect(agent.locator('parley-agent-badge [part=label]')).toHaveText('Away');
      await status.selectOption('available');
      await expect(agent.locator('parley-agent-badge [part=label]')).toHaveText('Available');

      await service.advance(60 * MINUTE);
      await expect(agent.locator('parley-agent-badge [part=label]')).toHaveText('Offline');
      await expect(agent.locator('parley-agent-badge [part=reason]')).toContainText('planned maintenance');
      await expect(panel).toContainText('Chat is down for planned maintenance until');
      await customer.locator('parley-chat').evaluate((chat) => (chat as HTMLElement & { close(): void }).close());
      await expect(launcher).toHaveText(/Leave a message/);

      // Nobody has to notice: at the end Ana is back as she was, and the shop says so.
      await service.advance(30 * MINUTE);
      await expect(agent.locator('parley-agent-badge [part=label]')).toHaveText('Available');
      await expect(agent.locator('parley-agent-badge [part=reason]')).toHaveText('Set Available automatically: planned maintenance is over.');
      await expect(agent.locator('parley-agent-badge [part=maintenance]')).toHaveCount(0);
      await expect(launcher).toHaveText(/Chat with us/);
    } finally {
      await service.stop();
    }
  });

  it('S1, S2, S3: Inactive after the customer inactivity timeout, then Waiting again, back to the same agent, when the customer writes', async () => {
    const service = await DemoService.start();
    try {
      const agent = await (await browser.newContext()).newPage();
      await agentConsole(agent, service.url, 'Ana');
      const customer = await (await browser.newContext()).newPage();
      await customerStarts(customer, service.url);
      await agentAccepts(agent);
      await customerSays(customer, 'Let me find the receipt');
      await agentSays(agent, 'Sure, take your time');
      await expect(customer.locator('parley-chat-panel')).toContainText('Sure, take your time');

      await service.advance(10 * MINUTE);
      await expect(customer.locator('parley-chat-panel')).toContainText('This chat is paused');
      await customerSays(customer, 'Found it!');
      await expect(customer.locator('parley-chat-panel')).toContainText(/in line|Finding an agent/);
      await agentAccepts(agent);
      await expect(agent.locator('#lines')).toContainText('Found it!');
    } finally {
      await service.stop();
    }
  });
});
