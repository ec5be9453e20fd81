import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser } from 'playwright';
import type { DemoService } from './support/demo-service.js';
import { useDemo } from './support/demo-suite.js';

describe('the admin console', () => {
  let browser: Browser;
  let service: DemoService;
  useDemo((demo) => ({ browser, service } = demo));

  it('C2: a message left on the shop while nobody is available reaches the admin console, where it is marked handled', async () => {
    const customer = await (await browser.newContext()).newPage();
    await customer.goto(service.url);
    const launcher = customer.locator('parley-chat').locator('[part=launcher]');
    await expect(launcher).toHaveText(/Leave a message/);
    await launcher.click();
    const panel = customer.locator('parley-chat-panel');
    await panel.getByLabel('Name').fill('Dana');
    await panel.getByLabel('Email').fill('dana@example.com');
    await panel.getByLabel('Message').fill('Please call me about order A-1042');
    await panel.getByRole('button', { name: 'Send message' }).click();
    await expect(panel).toContainText('Thank you, your message was received. Our team will see it when they are back.');

    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${service.url}/admin.html`);
    const left = admin.locator('parley-left-messages');
    const row = left.locator('tbody tr', { hasText: 'Please call me about order A-1042' });
    await expect(row).toContainText('dana@example.com');
    await expect(row).toContainText('Open');
    await row.getByRole('button', { name: /Mark handled/ }).click();
    await expect(left).toContainText('No open messages.');
    await left.getByRole('combobox', { name: 'Show' }).selectOption('handled');
    await expect(left.locator('tbody tr', { hasText: 'Please call me about order A-1042' })).toContainText('(admin)');
  });
});
