import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
// @ts-expect-error: a plain .mjs helper shared with web-test-runner's config.
import { chromiumLaunchOptions } from '../../scripts/find-chromium.mjs';

export const SCREENSHOTS = resolve(import.meta.dirname, '../screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions() as Parameters<typeof chromium.launch>[0]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`) });
}
