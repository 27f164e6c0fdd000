/**
 * The worker side, the same in a Node worker thread and a browser Web Worker: receives requests
 * (one at a time: a fit runs synchronously), builds and fits the model with this worker's own
 * kernel instance, posts progress and then the result as its plain record (MerFitData) or the
 * error as a WireError. Jobs of other kinds (bootstrap refits, many responses) register a handler
 * by name (see `registerJob`).
 */
import { glmerWith } from '../api/glmer';
import { createBackendOrJs, lmerWith } from '../api/lmer';
import type { Backend } from '../backend/kernels';
import type { BackendName } from '../backend/load';
import type { DataInput } from '../frame/types';
import type { FitSpec } from '../inference/fitspec';
import type { MerFit } from '../results/fit';
import type { MerFitData } from '../results/types';
import type { WorkerProgress, WorkerReply, WorkerRequest } from './protocol';
import { toWireError } from './wire-error';

/** The two ends of a worker's message channel, as the runner sees them. */
export interface WorkerEndpoint {
  post(message: WorkerReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: WorkerRequest) => void): void;
}

/** What a job handler gets besides its payload. */
export interface JobContext {
  /** Posts progress (dropped when the main side did not ask for it). */
  progress(p: Omit<WorkerProgress, 'elapsedMs'>): void;
  /** Posts one item of a job's output as soon as it is ready (e.g. one response's result). */
  item(index: number, item: unknown, transfer?: ArrayBuffer[]): void;
}

/** A job: payload in, result out (thrown errors become the request's error). */
export type JobHandler = (payload: unknown, ctx: JobContext) => unknown;

const handlers = new Map<string, JobHandler>();

/** Makes a job kind available to every worker (handlers register when their module loads). */
export function registerJob(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

/** Kernels for one-off fits, one instance per backend name, its heap reset after each fit. */
const backends = new Map<BackendName | undefined, Backend>();

function backendFor(name: unknown): Backend {
  const key = name === 'js' || name === 'wasm' ? name : undefined;
  let b = backends.get(key);
  if (!b) {
    b = createBackendOrJs(key);
    backends.set(key, b);
  }
  return b;
}

/**
 * Fits one spec in this thread with the worker's kernels. The fit's kernel memory is released
 * after its record is taken, so the next fit starts from an empty heap.
 */
export function fitSpecHere(spec: FitSpec, ctx: JobContext): MerFitData {
  ctx.progress({ phase: 'build', evaluations: 0, deviance: NaN });
  const options = {
    ...spec.options,
    onProgress: (p: { evaluations: number; fval: number }) =>
      ctx.progress({ phase: 'optimize', evaluations: p.evaluations, deviance: p.fval }),
  };
  const backend = backendFor(spec.options.backend);
  try {
    const data = spec.data as DataInput;
    const fit: MerFit =
      spec.kind === 'lmer'
        ? lmerWith(backend, spec.formula, data, options)
        : glmerWith(backend, spec.formula, data, options);
    // the fit's own fields are its plain record; the live model stays here and is dropped
    const record: MerFitData = { ...fit };
    fit.dispose();
    return record;
  } finally {
    backend.heap.reset();
  }
}

/** Serves requests on `endpoint` until the worker is terminated. */
export function runWorker(endpoint: WorkerEndpoint): void {
  endpoint.listen((request) => {
    const t0 = performance.now();
    const ctx: JobContext = {
      progress(p) {
        if (request.progress) {
          endpoint.post({
            type: 'progress',
            id: request.id,
            ...p,
            elapsedMs: performance.now() - t0,
          });
        }
      },
      item(index, item, transfer) {
        endpoint.post({ type: 'item', id: request.id, index, item }, transfer);
      },
    };
    try {
      ctx.progress({ phase: 'load', evaluations: 0, deviance: NaN });
      let data: unknown;
      if (request.type === 'fit') {
        data = fitSpecHere(request.spec, ctx);
      } else {
        const handler = handlers.get(request.kind);
        if (!handler) throw new Error(`glmm-wasm worker: unknown job kind '${request.kind}'`);
        data = handler(request.payload, ctx);
      }
      endpoint.post({ type: 'result', id: request.id, data });
    } catch (e) {
      endpoint.post({ type: 'error', id: request.id, error: toWireError(e) });
    }
  });
}
