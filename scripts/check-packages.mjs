// Checks that every workspace package is ready for `npm publish`: it packs each
// one as publishing would (`npm pack --dry-run --json`, after `npm run build`)
// and exits 1 with one line per problem when a package is private, misses its
// README, LICENSE or metadata, ships tests, or names in `exports`, `types` or
// `bin` a file the tarball would not hold.
//
//   npm run check:packages   (part of npm test)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const workspaces = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).workspaces;
const manifests = new Map(workspaces.map((folder) => [folder, JSON.parse(readFileSync(resolve(root, folder, 'package.json'), 'utf8'))]));
const versions = new Map([...manifests.values()].map((manifest) => [manifest.name, manifest.version]));

/** Every file target of an `exports` map, through nested conditions. */
function targets(exports) {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(targets);
}

const problems = [];
for (const [folder, manifest] of manifests) {
  const problem = (text) => problems.push(`${manifest.name ?? folder}: ${text}`);
  if (manifest.private) problem('is private');
  for (const field of ['name', 'version', 'description', 'license']) if (!manifest[field]) problem(`has no "${field}"`);
  if (manifest.name?.startsWith('@') && manifest.publishConfig?.access !== 'public') problem('is scoped but not published with "publishConfig": {"access": "public"}');

  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--workspace', folder], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = new Set(packed.files.map((file) => file.path));
  for (const file of ['package.json', 'README.md', 'LICENSE']) if (!files.has(file)) problem(`the tarball has no ${file}`);
  for (const file of files) if (/\.test\.|(^|\/)test-support\//.test(file)) problem(`the tarball ships test code: ${file}`);

  const wanted = [...targets(manifest.exports ?? {}), ...Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}))];
  for (const target of wanted) if (!files.has(target.replace(/^\.\//, ''))) problem(`names ${target}, which the tarball does not hold`);
  for (const [subpath, entry] of Object.entries(manifest.exports ?? {})) {
    if (typeof entry === 'object' && entry !== null && !entry.types) problem(`exports "${subpath}" has no "types"`);
  }
  for (const bin of Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}))) {
    if (!readFileSync(resolve(root, folder, bin), 'utf8').startsWith('#!/usr/bin/env node')) problem(`bin ${bin} has no #!/usr/bin/env node line`);
    // `npm publish` drops a bin written as ./path ("script name … was invalid and removed").
    if (bin.startsWith('./')) problem(`bin ${bin} starts with ./, which npm publish removes: write ${bin.slice(2)}`);
  }
  // Sibling packages are published together: each depends on the exact version beside it.
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    if (versions.has(name) && range !== versions.get(name)) problem(`depends on ${name}@${range}, but the workspace has ${versions.get(name)}`);
  }
  if (problems.length === 0) console.log(`${manifest.name}@${manifest.version}: ${files.size} files, ${(packed.size / 1000).toFixed(1)} KB packed`);
}

if (problems.length > 0) {
  console.error(`Not ready to publish:\n${problems.map((line) => `- ${line}`).join('\n')}`);
  process.exit(1);
}
