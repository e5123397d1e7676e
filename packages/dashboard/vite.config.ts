import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The client builds into packages/dashboard/dist, which the server serves (src/server/client-directory.ts).
export default defineConfig({
  root: 'src/client',
  base: '/',
  plugins: [react()],
  // Our packages' TypeScript sources, not their compiled lib/ (which exists only in a packed install).
  resolve: { conditions: ['@patchboard/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: '../../dist',
    emptyOutDir: true,
    // Everything inline-free: the strict Content-Security-Policy allows scripts and styles from files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
