/**
 * The browser entry: the script of a module Web Worker (bundled to dist/worker.js, which
 * `fitInWorker` starts with `new Worker(new URL('./worker.js', import.meta.url), { type:
 * 'module' })`). It carries the library with the WASM inlined, so it needs no other file.
 */
import { runWorker } from './runner';
// the job kinds a worker serves besides single fits (they register when loaded)
import './refits-job';
import type { WorkerReply, WorkerRequest } from './protocol';

/** What the runner needs of a worker's global scope. */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Serves fit requests on a Web Worker's global scope. */
export function startBrowserWorker(scope: WorkerScope): void {
  runWorker({
    post: (message: WorkerReply, transfer?: ArrayBuffer[]) =>
      scope.postMessage(message, transfer ?? []),
    listen: (handler) => scope.addEventListener('message', (e) => handler(e.data as WorkerRequest)),
  });
}

startBrowserWorker(globalThis as unknown as WorkerScope);
