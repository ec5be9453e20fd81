import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.ts';

/** Two script-tag bundles: the badge, for agents' pages, and the admin elements (`--mode admin-script-tag`). */
const BADGE = { entry: 'src/script-tag.ts', fileName: 'parley-agent-badge.js', globalName: 'ParleyAgentBadge' };
const ADMIN = { entry: 'src/admin-script-tag.ts', fileName: 'parley-admin.js', globalName: 'ParleyAdmin' };

export default defineConfig(({ mode }) =>
  libraryConfig(
    { root: import.meta.dirname, entries: { index: 'src/index.ts' }, scriptTag: mode === 'admin-script-tag' ? ADMIN : BADGE },
    mode === 'admin-script-tag' ? 'script-tag' : mode,
  ),
);
