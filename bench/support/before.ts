import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * The service before the idle-visitor and message-path work: main as it was
 * when that work began. Benchmarks run it next to the current code, on the
 * same machine in the same run, for before/after figures.
 */
export const BEFORE = '9ddc7ea';

/**
 * A checkout of the service at `ref` under bench/.before/ (the protocol and
 * server packages only, with this repository's dependencies), for running
 * its main.ts with tsx. Returns the checkout's root.
 */
export function checkoutOf(ref: string): string {
  const folder = join(root, 'bench/.before', ref);
  if (!existsSync(join(folder, 'packages/server/src/main.ts'))) {
    mkdirSync(folder, { recursive: true });
    const archive = execFileSync('git', ['-C', root, 'archive', ref, 'tsconfig.json', 'packages/protocol', 'packages/server']);
    execFileSync('tar', ['-x', '-C', folder], { input: archive });
    // Its own protocol package, not this checkout's; everything else resolves from the repository's node_modules.
    mkdirSync(join(folder, 'node_modules/@parley'), { recursive: true });
    symlinkSync('../../packages/protocol', join(folder, 'node_modules/@parley/protocol'));
  }
  return folder;
}
