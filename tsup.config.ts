import { builtinModules } from 'node:module';
import { defineConfig, type Options } from 'tsup';

/**
 * Browser bundle only: Node built-ins (reached solely through guarded dynamic imports, e.g. the
 * bootstrap's worker_threads) become an inlined module that throws when loaded, so the bundle has
 * no `node:` import a browser or a consumer's bundler would have to resolve.
 */
const NODE_BUILTIN = new RegExp(`^(node:)?(${builtinModules.join('|').replace(/\//g, '\\/')})$`);
const stubNodeBuiltins: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'stub-node-builtins',
  setup(build) {
    build.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      path: args.path,
      namespace: 'node-builtin-stub',
    }));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin-stub' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`glmm-wasm: '${args.path}' is a Node built-in, not available in the browser bundle`)});`,
      loader: 'js',
    }));
  },
};

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
    // Browser bundle: plain ESM, WASM inlined, no Node built-ins at top level (the bootstrap's
    // worker_threads import is dynamic and guarded), so a static server or any bundler can load it.
    entry: { browser: 'src/index.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    sourcemap: true,
    loader: { '.wasm': 'binary' },
    noExternal: ['papaparse'],
    removeNodeProtocol: false,
    splitting: false,
    esbuildPlugins: [stubNodeBuiltins],
  },
  {
    // the module Web Worker script fitInWorker starts in browsers (dist/worker.js, beside index.js)
    entry: { worker: 'src/worker/browser-entry.ts' },
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    loader: { '.wasm': 'binary' },
    // as the browser bundle: papaparse inside, Node built-ins stubbed (no node: import)
    noExternal: ['papaparse'],
    removeNodeProtocol: false,
    splitting: false,
    esbuildPlugins: [stubNodeBuiltins],
  },
]);
