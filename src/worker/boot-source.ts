/**
 * The script a Node worker thread starts with: it imports the library bundle the main side runs
 * from and serves requests with `startNodeWorker` (./node-entry.ts). Kept apart from the entry so
 * that the main side's code (pool, spawn) does not import the worker side's modules.
 */
/** CommonJS, as `eval: true` workers are. */
export const BOOT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.url)
  .then((m) => (m.__startNodeWorker ?? m.default.__startNodeWorker)(parentPort))
  .catch((e) => parentPort.postMessage({
    type: 'fatal',
    error: { name: 'Error', message: 'glmm-wasm worker failed to start: ' + String((e && e.stack) || e), fields: {} },
  }));
`;
