/**
 * Starting a fit worker where we run: a worker thread in Node (running BOOT_SOURCE, which loads
 * the library bundle this code came from), a module Web Worker in browsers (dist/worker.js
 * beside the library bundle, or `workerUrl`). Both are wrapped in one small handle.
 */
import type { WorkerReply, WorkerRequest } from './protocol';
import { BOOT_SOURCE } from './boot-source';
import { fromWireError } from './wire-error';

/** A started worker, whatever the environment. */
export interface WorkerHandle {
  post(message: WorkerRequest, transfer?: ArrayBuffer[]): void;
  /** Replies of the runner (a boot failure arrives as a failure, not a reply). */
  onReply(handler: (reply: WorkerReply) => void): void;
  /** The worker died: an uncaught error, a failed start or an exit nobody asked for. */
  onFailure(handler: (error: Error) => void): void;
  /** Stops the worker at once (a running fit is abandoned). */
  terminate(): void;
}

export interface SpawnOptions {
  /** Browsers: the URL of the worker script (default: worker.js beside the library bundle). */
  workerUrl?: string | URL;
}

function inNode(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

let libraryOverride: string | undefined;

/**
 * Where Node workers load the library from when this code is bundled into something else (the
 * CLI bundle points its workers at dist/index.js beside it).
 */
export function setWorkerLibraryUrl(url: string): void {
  libraryOverride = url;
}

/** The URL of the library bundle this code runs from (what a Node worker imports). */
async function libraryUrl(): Promise<string> {
  if (libraryOverride !== undefined) return libraryOverride;
  if (typeof __filename === 'string') {
    const { pathToFileURL } = await import('node:url');
    return pathToFileURL(__filename).href; // the CommonJS bundle
  }
  return import.meta.url;
}

export async function spawnWorker(options: SpawnOptions = {}): Promise<WorkerHandle> {
  return inNode() ? spawnNode() : spawnBrowser(options);
}

async function spawnNode(): Promise<WorkerHandle> {
  const threads = await import('node:worker_threads');
  const worker = new threads.Worker(BOOT_SOURCE, {
    eval: true,
    workerData: { url: await libraryUrl() },
  });
  let stopping = false;
  const failureHandlers: ((e: Error) => void)[] = [];
  const fail = (e: Error) => failureHandlers.forEach((h) => h(e));
  worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => {
    if (!stopping) fail(new Error(`glmm-wasm worker exited unexpectedly (code ${code})`));
  });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onReply(handler) {
      worker.on('message', (m: WorkerReply) => {
        if (m.type === 'fatal') fail(fromWireError(m.error));
        else handler(m);
      });
    },
    onFailure: (handler) => void failureHandlers.push(handler),
    terminate() {
      stopping = true;
      void worker.terminate();
    },
  };
}

function spawnBrowser(options: SpawnOptions): WorkerHandle {
  if (typeof Worker !== 'function') {
    throw new Error('glmm-wasm: this environment has neither worker_threads nor Web Workers');
  }
  // written out literally so that bundlers (Vite, webpack 5, Parcel) find and emit the worker
  const worker =
    options.workerUrl !== undefined
      ? new Worker(options.workerUrl, { type: 'module' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const failureHandlers: ((e: Error) => void)[] = [];
  const fail = (e: Error) => failureHandlers.forEach((h) => h(e));
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    fail(new Error(`glmm-wasm worker failed: ${e.message || 'the worker script did not load'}`));
  });
  worker.addEventListener('messageerror', () =>
    fail(new Error('glmm-wasm worker: a message could not be read')),
  );
  return {
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onReply(handler) {
      worker.addEventListener('message', (e: MessageEvent<WorkerReply>) => {
        if (e.data.type === 'fatal') fail(fromWireError(e.data.error));
        else handler(e.data);
      });
    },
    onFailure: (handler) => void failureHandlers.push(handler),
    terminate: () => worker.terminate(),
  };
}
