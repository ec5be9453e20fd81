import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser, Page } from 'playwright';
import type { DemoService } from './support/demo-service.js';
import { useDemo } from './support/demo-suite.js';
import { agentConsole, customerSays, customerStarts } from './support/pages.js';

/** Counts the tones the page plays: the page's real AudioContext, each oscillator it makes counted. */
async function countTones(page: Page): Promise<() => Promise<number>> {
  await page.addInitScript(() => {
    const make = AudioContext.prototype.createOscillator;
    const counted = window as unknown as { tones: number };
    counted.tones = 0;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      counted.tones += 1;
      return make.call(this);
    };
  });
  return () => page.evaluate(() => (window as unknown as { tones: number }).tones);
}

/** A customer who starts a chat whatever the launcher says (agents at capacity: the chat queues). */
async function customerQueues(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  const launcher = page.locator('parley-chat').locator('[part=launcher]');
  await expect(launcher).toHaveText(/Chat with us|Leave a message/);
  await launcher.click();
  await page.locator('parley-chat-panel').getByLabel('Name').fill(name);
  await page.locator('parley-chat-panel').getByRole('button', { name: 'Start chat' }).click();
}

describe('the agent desk', () => {
  let browser: Browser;
  let service: DemoService;
  useDemo((demo) => ({ browser, service } = demo));

  it('C3, C8, P10, Q1: offers show the customer\'s details (hidden order number included) and a countdown; the chat shows them beside it; a new message in another chat is marked unread, counted in the title and, with sound on, plays a tone (offers too); the queue is visible', async () => {
    const ben = await (await browser.newContext()).newPage();
    const tones = await countTones(ben);
    await agentConsole(ben, service.url, 'Ben');
    const title = await ben.title();
    await ben.getByLabel('Sound for new messages and offers').check();

    const dana = await (await browser.newContext()).newPage();
    await customerStarts(dana, service.url, 'Dana');
    const offer = ben.locator('#offers li').first();
    // The shop page sets the order number with window.parley.setHiddenFields.
    await expect(offer).toContainText('Dana');
    await expect(offer.locator('dl.details')).toContainText('orderA-1042');
    await expect(offer.locator('.countdown')).toHaveText(/expires in \d+ s/);
    await expect.poll(tones, { message: 'a tone for the offer' }).toBe(1);
    await ben.getByRole('button', { name: 'Accept' }).first().click();
    await expect(ben.locator('#details')).toContainText('nameDana');
    await expect(ben.locator('#details')).toContainText('orderA-1042');

    const olu = await (await browser.newContext()).newPage();
    await customerStarts(olu, service.url, 'Olu');
    await ben.getByRole('button', { name: 'Accept' }).first().click();
    await expect(ben.locator('#chats li')).toHaveCount(2);
    // Ben is on Dana's chat (the first); Olu writes in the other one.
    await ben.locator('#chats button', { hasText: 'Dana' }).click();
    await customerSays(olu, 'Hello? Anyone?');
    const oluChat = ben.locator('#chats button', { hasText: 'Olu' });
    await expect(oluChat).toContainText('1 new');
    await expect(ben).toHaveTitle(`(1) ${title}`);
    // Tones: Dana's offer, Olu's offer, Olu's message (Dana's chat is on screen, so hers are read).
    await expect.poll(tones, { message: 'a tone for the new message' }).toBe(3);
    await ben.getByLabel('Sound for new messages and offers').uncheck();
    await customerSays(olu, 'Second try');
    await expect(oluChat).toContainText('2 new');
    assert.equal(await tones(), 3, 'no tone with sound off');
    await oluChat.click();
    await expect(ben.locator('#lines')).toContainText('Second try');
    await expect(oluChat).not.toContainText('new');
    await expect(ben).toHaveTitle(title);

    // Ben is full (two chats): a third customer queues, and Ben sees the queue.
    const kim = await (await browser.newContext()).newPage();
    await customerQueues(kim, service.url, 'Kim');
    await expect(ben.locator('#queue')).toContainText(/1\. Kim on shop, waiting since/);
    await expect(kim.locator('parley-chat-panel')).toContainText('You are number 1 in line');
    assert.equal(await ben.locator('#offers li.card').count(), 0);
  });
});
