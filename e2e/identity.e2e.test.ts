import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser, Page } from 'playwright';
import type { DemoService } from './support/demo-service.js';
import { useDemo } from './support/demo-suite.js';
import { agentAccepts, agentConsole, customerSays } from './support/pages.js';

/** The demo shop in a browser of its own, Dana signed in with the shop's button (parley.identify). */
async function signedInShop(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in as Dana' }).click();
  await expect(page.getByText('Signed in as Dana Scully.')).toBeVisible();
  return page;
}

describe('verified identity', () => {
  let browser: Browser;
  let service: DemoService;
  useDemo((demo) => ({ browser, service } = demo));

  it('I1: a signed-in customer starts a chat in one browser and continues it in another; the agent sees who the shop verified apart from what the page said', async () => {
    const ben = await (await browser.newContext()).newPage();
    await agentConsole(ben, service.url, 'Ben');

    const laptop = await signedInShop(browser, service.url);
    const launcher = laptop.locator('parley-chat').locator('[part=launcher]');
    await expect(launcher).toHaveText(/Chat with us/);
    await launcher.click();
    // The name typed in the form is not the one the shop vouches for.
    await laptop.locator('parley-chat-panel').getByLabel('Name').fill('Queen of Sheba');
    await laptop.locator('parley-chat-panel').getByRole('button', { name: 'Start chat' }).click();

    const offer = ben.locator('#offers li').first();
    await expect(offer).toContainText('Dana Scully');
    await expect(offer.locator('.trust.verified')).toHaveText('✓ Verified by the site');
    await expect(offer.locator('dl.details.verified')).toContainText('emaildana@example.com');
    await expect(offer.locator('dl.details.verified')).toContainText('planpro');
    await expect(offer.locator('.trust.unverified')).toContainText('Unverified');
    await expect(offer.locator('dl.details:not(.verified)')).toContainText('nameQueen of Sheba');
    await expect(offer.locator('dl.details:not(.verified)')).toContainText('orderA-1042');
    await agentAccepts(ben);
    await expect(ben.locator('#details .trust.verified')).toBeVisible();
    await customerSays(laptop, 'Sent from my laptop');
    await expect(ben.locator('#lines')).toContainText('Sent from my laptop');

    // Another browser: nothing stored there, yet once Dana signs in her chat and its history are there.
    const phone = await signedInShop(browser, service.url);
    await phone.locator('parley-chat').locator('[part=launcher]').click();
    const panel = phone.locator('parley-chat-panel');
    await expect(panel.locator('[part~=message]', { hasText: 'Sent from my laptop' })).toBeVisible();
    await customerSays(phone, 'And this from my phone');
    await expect(ben.locator('#lines')).toContainText('And this from my phone');
    await expect(laptop.locator('parley-chat-panel [part~=message]', { hasText: 'And this from my phone' })).toBeVisible();
    await expect(ben.locator('#chats li')).toHaveCount(1);
  });
});
