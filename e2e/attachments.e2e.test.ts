import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expect } from 'playwright/test';
import type { Browser, Locator } from 'playwright';
import { screenshot } from './support/browser.js';
import type { DemoService } from './support/demo-service.js';
import { useDemoWithShop } from './support/demo-suite.js';
import { watch } from './support/page-problems.js';
import { agentAccepts, agentConsole, customerStarts } from './support/pages.js';
import { gradientPng } from './support/png.js';
import type { ShopServer } from './support/shop-server.js';

/** A picture, a PDF and the start of a Linux executable, made here. */
const PNG = gradientPng(240, 150);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);

/** Resolves once the image has loaded, all 240 pixels wide. */
async function loaded(image: Locator): Promise<void> {
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(240);
}

describe('attachments in the demo, with the shop on another origin under a strict CSP', () => {
  let browser: Browser;
  let service: DemoService;
  let shop: ShopServer;
  useDemoWithShop((demo) => ({ browser, service, shop } = demo));

  it('I2: the customer sends a screenshot, shown inline in the widget and in the agent console; the agent sends a PDF back, a download; an executable named .png is refused', async () => {
    const agent = await (await browser.newContext()).newPage();
    const customer = await (await browser.newContext()).newPage();
    const problems = await watch(customer);
    await agentConsole(agent, service.url);
    await customerStarts(customer, shop.url);
    await agentAccepts(agent);
    const panel = customer.locator('parley-chat-panel');
    await expect(panel).toContainText('Ana joined the chat');

    await panel.getByLabel('Attach').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await loaded(panel.locator('img[part=attachment-image][alt="screen.png"]'));
    await loaded(agent.locator('#lines img[alt="screen.png"]'));

    await agent.locator('#reply-file').setInputFiles({ name: 'label.pdf', mimeType: 'application/pdf', buffer: PDF });
    const download = panel.locator('a[part=attachment]', { hasText: 'label.pdf' });
    await expect(download).toHaveAttribute('download', 'label.pdf');
    assert.deepEqual(problems, { errors: [], failedLoads: [] });
    await screenshot(customer, 'widget-attachment');

    await panel.getByLabel('Attach').setInputFiles({ name: 'cute-cat.png', mimeType: 'image/png', buffer: ELF });
    const refused = panel.locator('[part=upload]', { hasText: 'cute-cat.png' });
    await expect(refused).toContainText('Files of type application/x-elf cannot be sent here');
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await expect(refused).toHaveCount(0);
    await expect(agent.locator('#lines')).not.toContainText('cute-cat.png');
  });
});
