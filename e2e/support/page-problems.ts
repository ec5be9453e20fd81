import type { Page } from 'playwright';

/** What went wrong on a page: CSP violations, script errors and console errors the page's code wrote; failed loads apart. */
export async function watch(page: Page): Promise<{ errors: string[]; failedLoads: string[] }> {
  const watched = { errors: [] as string[], failedLoads: [] as string[] };
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  page.on('console', (message) => {
    // The browser's own network log (failed loads, CORS refusals) is counted from the requests instead.
    if (message.type() === 'error' && !/^Failed to load resource|blocked by CORS policy/.test(message.text())) watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) watched.failedLoads.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => watched.failedLoads.push(`failed ${request.url()} ${request.failure()?.errorText}`));
  return watched;
}
