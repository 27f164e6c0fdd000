import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    loader: { '.wasm': 'binary' },
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    loader: { '.wasm': 'binary' },
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // the module Web Worker script fitInWorker starts in browsers (dist/worker.js, beside index.js)
    entry: { worker: 'src/worker/browser-entry.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    loader: { '.wasm': 'binary' },
  },
]);
