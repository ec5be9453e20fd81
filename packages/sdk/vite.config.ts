import { defineConfig } from 'vite';
import { libraryConfig } from '../../vite.library.ts';

export default defineConfig(({ mode }) =>
  libraryConfig({ root: import.meta.dirname, entries: { index: 'src/index.ts', agent: 'src/agent/index.ts', attachments: 'src/attachments/index.ts' } }, mode),
);
