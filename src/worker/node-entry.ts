/**
 * The Node (worker_threads) entry: a worker thread runs BOOT_SOURCE, which imports the library
 * bundle the main side runs from (ESM or CJS; its URL comes in `workerData`) and calls
 * `startNodeWorker(parentPort)`. Nothing here imports node:worker_threads, so browsers never
 * see it.
 */
import { runWorker } from './runner';
import type { WorkerReply, WorkerRequest } from './protocol';

/** What the runner needs of worker_threads' parentPort. */
interface NodePort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', handler: (message: unknown) => void): void;
}

/** Serves fit requests on a worker thread's parentPort. */
export function startNodeWorker(port: NodePort): void {
  runWorker({
    post: (message: WorkerReply, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer),
    listen: (handler) => port.on('message', (m) => handler(m as WorkerRequest)),
  });
}

/** The script a worker thread evaluates (CommonJS, as `eval: true` workers are). */
export const BOOT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.url)
  .then((m) => (m.__startNodeWorker ?? m.default.__startNodeWorker)(parentPort))
  .catch((e) => parentPort.postMessage({
    type: 'fatal',
    error: { name: 'Error', message: 'glmm-wasm worker failed to start: ' + String((e && e.stack) || e), fields: {} },
  }));
`;
