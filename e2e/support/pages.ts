import { expect, type Page } from 'playwright/test';

/** The agent console, signed in as a demo agent and Available. */
export async function agentConsole(page: Page, url: string, agent: 'Ana' | 'Ben' | 'Cleo' = 'Ana'): Promise<void> {
  await page.goto(`${url}/agent.html`);
  await page.getByRole('button', { name: new RegExp(`^${agent} `) }).click();
  const select = page.locator('parley-agent-badge').getByRole('combobox', { name: 'Status' });
  await expect(select).toBeVisible();
  await select.selectOption('available');
  await expect(page.locator('parley-agent-badge').locator('[part=label]')).toHaveText(/Available/);
}

/** The shop page with the widget open and a chat started. */
export async function customerStarts(page: Page, url: string, name = 'Dana'): Promise<void> {
  await page.goto(url);
  const launcher = page.locator('parley-chat').locator('[part=launcher]');
  await expect(launcher).toHaveText(/Chat with us/);
  await launcher.click();
  await page.locator('parley-chat-panel').getByLabel('Name').fill(name);
  await page.locator('parley-chat-panel').getByRole('button', { name: 'Start chat' }).click();
}

export async function agentAccepts(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Accept' }).first().click();
}

export async function customerSays(page: Page, text: string): Promise<void> {
  const composer = page.locator('parley-chat-panel').getByLabel('Your message');
  await composer.fill(text);
  await composer.press('Enter');
}

export async function agentSays(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Reply');
  await box.fill(text);
  await box.press('Enter');
}

/** How many times a text appears in a page's chat (the widget panel, or the agent's lines). */
export async function occurrences(page: Page, text: string): Promise<number> {
  const scope = (await page.locator('parley-chat-panel').count()) > 0 ? page.locator('parley-chat-panel [part~=message]') : page.locator('#lines li');
  return (await scope.allTextContents()).filter((line) => line.includes(text)).length;
}
