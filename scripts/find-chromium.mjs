// Finds a Chromium for Playwright without ever downloading one: tools here may
// not fetch their own browser, so we use the system's (Debian: `chromium`).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

const USUAL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The path of a Chromium to drive, or undefined when there is none. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const usual = USUAL_PATHS.find((path) => existsSync(path));
  if (usual) return usual;
  try {
    const cached = chromium.executablePath();
    if (cached && existsSync(cached)) return cached;
  } catch {
    // Playwright throws when its cache has no browser; that is "none found".
  }
  return undefined;
}

export const NO_CHROMIUM_MESSAGE =
  'No Chromium found: install one (Debian: `apt-get install -y chromium`) or set CHROME_PATH to its executable.';

/** Launch options for Playwright's chromium.launch(), or exit with one line saying how to get a browser. */
export function chromiumLaunchOptions() {
  const executablePath = findChromium();
  if (!executablePath) {
    console.error(NO_CHROMIUM_MESSAGE);
    process.exit(1);
  }
  const args = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
  // Chromium refuses to start its sandbox as root (CI runs as root).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return { executablePath, args, headless: true };
}
