import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.ts';

export default defineConfig(({ mode }) =>
  libraryConfig(
    {
      root: import.meta.dirname,
      entries: { index: 'src/index.ts', panel: 'src/panel/index.ts' },
      scriptTag: { entry: 'src/script-tag.ts', fileName: 'parley-chat.js', globalName: 'ParleyChat' },
      lazyBundle: { entry: 'src/panel/panel-entry.ts', fileName: 'parley-chat-panel.js' },
    },
    mode,
  ),
);
