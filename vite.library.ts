// One place for how every browser package is built, so the three packages
// cannot drift apart:
// - the default mode writes the npm build: ESM, one file per entry, dependencies left as imports;
// - `--mode script-tag` writes one self-contained, minified IIFE that a page loads with a plain
//   <script> tag: no import map;
// - `--mode lazy-bundle` writes the self-contained ESM file that IIFE imports when it needs more
//   (the widget's panel, on idle or first open), so the first load stays small.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';
import { templateWhitespace } from './build-tools/template-whitespace.ts';

export interface LibraryOptions {
  /** The package folder (pass `import.meta.dirname`). */
  root: string;
  /** npm entries: output name → source file, relative to the package. */
  entries: Record<string, string>;
  /** The script-tag bundle, for packages that have one. */
  scriptTag?: { entry: string; fileName: string; globalName: string };
  /** A self-contained ESM file the script-tag bundle imports later (`--mode lazy-bundle`). */
  lazyBundle?: { entry: string; fileName: string };
}

export function libraryConfig(options: LibraryOptions, mode: string): UserConfig {
  const { root, entries, scriptTag, lazyBundle } = options;
  const shared: UserConfig = {
    root,
    // Read workspace packages from their TypeScript, so build order never matters;
    // es2015: rxjs's modern build, smaller and without tslib helpers.
    resolve: { conditions: ['source', 'browser', 'es2015', 'module', 'import', 'default'] },
    build: { outDir: resolve(root, 'dist'), sourcemap: true, target: 'es2022' },
  };

  // For the self-contained browser bundles only (an app that bundles the npm build brings its own tslib).
  const browserBundle: UserConfig = {
    ...shared,
    // rxjs's async-iterable helpers, written with native async functions and generators.
    resolve: { ...shared.resolve, alias: { tslib: resolve(import.meta.dirname, 'build-tools/tslib-native.js') } },
    // Template indentation and CSS spaces out of html``/css`` (build-tools/template-whitespace.ts).
    plugins: [templateWhitespace()],
  };

  if (mode === 'script-tag') {
    if (!scriptTag) throw new Error(`${root} has no script-tag bundle`);
    return {
      ...browserBundle,
      build: {
        ...shared.build,
        emptyOutDir: false,
        minify: true,
        lib: {
          entry: resolve(root, scriptTag.entry),
          formats: ['iife'],
          name: scriptTag.globalName,
          fileName: () => scriptTag.fileName,
        },
      },
    };
  }

  if (mode === 'lazy-bundle') {
    if (!lazyBundle) throw new Error(`${root} has no lazy bundle`);
    return {
      ...browserBundle,
      build: {
        ...shared.build,
        emptyOutDir: false,
        minify: true,
        lib: { entry: resolve(root, lazyBundle.entry), formats: ['es'], fileName: () => lazyBundle.fileName },
        // A file for browsers as it is, not for a later bundler: minify all of it, and drop the
        // /* @__PURE__ */ annotations only a later bundler would read.
        rolldownOptions: { output: { minify: true, comments: false } },
      },
    };
  }

  const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const dependencies = Object.keys(manifest.dependencies ?? {});
  const isDependency = (id: string) => dependencies.some((name) => id === name || id.startsWith(`${name}/`));
  return {
    ...shared,
    build: {
      ...shared.build,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, resolve(root, file)])),
        formats: ['es'],
      },
      rolldownOptions: { external: isDependency },
    },
  };
}
