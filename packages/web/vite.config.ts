import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: source('.'),
  plugins: [react()],
  resolve: {
    // Built from the workspace sources, so the app never bundles a stale dist/ of the SDK.
    alias: [
      { find: /^@parley\/client$/, replacement: source('../client/src/index.ts') },
      { find: /^@parley\/protocol$/, replacement: source('../protocol/src/index.ts') },
    ],
  },
  build: {
    outDir: source('dist'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
