import { after, before } from 'node:test';
import type { Browser } from 'playwright';
import { launchBrowser } from './browser.js';
import { DemoService } from './demo-service.js';
import { ShopServer } from './shop-server.js';

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

/**
 * The same with a shop of another origin (its own HTTP server, a strict CSP) that the demo service
 * allows: the way the widget is deployed.
 */
export function useDemoWithShop(started: (demo: { browser: Browser; service: DemoService; shop: ShopServer }) => void): void {
  let demo: { browser: Browser; service: DemoService; shop: ShopServer } | undefined;
  before(async () => {
    const browser = await launchBrowser();
    const shop = await ShopServer.start();
    const service = await DemoService.start({ env: { PARLEY_ALLOWED_ORIGINS: shop.url } });
    shop.chatService = service.url;
    demo = { browser, service, shop };
    started(demo);
  });
  after(async () => {
    await demo?.browser.close();
    await demo?.service.stop();
    await demo?.shop.close();
  });
}
