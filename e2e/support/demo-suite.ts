import { after, before } from 'node:test';
import type { Browser } from 'playwright';
import { launchBrowser } from './browser.js';
import { DemoService } from './demo-service.js';

/**
 * The demo service (`--demo`, what `npm start` runs) and a Chromium for one `describe` block: started
 * before its tests, handed to `started`, and stopped after them.
 */
export function useDemo(started: (demo: { browser: Browser; service: DemoService }) => void): void {
  let demo: { browser: Browser; service: DemoService } | undefined;
  before(async () => {
    demo = { browser: await launchBrowser(), service: await DemoService.start() };
    started(demo);
  });
  after(async () => {
    await demo?.browser.close();
    await demo?.service.stop();
  });
}
