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
  // Many tests restart real service processes; on a busy machine a restart alone can take several
  // seconds. Generous limits only stop a hung test: no test waits on a timer.
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 600_000,
};
