// Browser tests of every package, in a real Chromium driven by Playwright.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumLaunchOptions } from './scripts/find-chromium.mjs';
import { parleyServicePlugin } from './scripts/parley-service-plugin.mjs';

export default {
  files: ['packages/{sdk,widget,agent-badge}/src/**/*.test.ts'],
  // "source" resolves workspace packages to their TypeScript, so tests need no build.
  nodeResolve: { exportConditions: ['source', 'browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), parleyServicePlugin()],
  browsers: [playwrightLauncher({ product: 'chromium', launchOptions: chromiumLaunchOptions() })],
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
};
