// Checks that every package with an install script (as package-lock.json marks
// it, `hasInstallScript`) is declared in the root package.json's `allowScripts`,
// so npm installs without warning about scripts nobody approved, and that
// `allowScripts` names no package the lock no longer has. Exits 1 otherwise.
//
//   npm run check:install-scripts   (part of npm test)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { allowScripts = {} } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));

const withScripts = new Set(
  Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path, entry]) => entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)),
);
const problems = [
  ...[...withScripts].filter((name) => !(name in allowScripts)).map((name) => `${name} has an install script that "allowScripts" does not declare`),
  ...Object.keys(allowScripts).filter((name) => !withScripts.has(name)).map((name) => `"allowScripts" names ${name}, which has no install script in the lock`),
];
if (problems.length > 0) {
  console.error(problems.map((line) => `- ${line}`).join('\n'));
  process.exit(1);
}
console.log(`install scripts, all declared in allowScripts: ${[...withScripts].sort().join(', ')}`);
