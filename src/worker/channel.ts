/**
 * Requests to one worker and their replies: each request gets an id, its progress and items go
 * to its listeners, its result or error settles its promise. An abort terminates the worker (a
 * running fit cannot be interrupted otherwise) and rejects what was pending; so does the worker
 * dying. A terminated channel rejects new requests.
 */
import type { WorkerProgress, WorkerReply, WorkerRequest } from './protocol';
import type { WorkerHandle } from './spawn';
import { abortError } from './abort';
import { fromWireError } from './wire-error';

export interface RequestListeners {
  onProgress?: (p: WorkerProgress) => void;
  onItem?: (index: number, item: unknown) => void;
  signal?: AbortSignal;
}

interface Pending {
  listeners: RequestListeners;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type RequestBody = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id' | 'progress'>
    : never
  : never;

export class WorkerChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Why the channel stopped (terminated, aborted or the worker died); null while usable. */
  stopped: Error | null = null;

  constructor(private readonly handle: WorkerHandle) {
    handle.onReply((reply) => this.dispatch(reply));
    handle.onFailure((e) => this.stop(e));
  }

  /** Sends one request; resolves with the worker's result, rejects with its (revived) error. */
  request(
    body: RequestBody,
    transfer: ArrayBuffer[],
    listeners: RequestListeners = {},
  ): Promise<unknown> {
    const { signal } = listeners;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.stop(abortError(signal!));
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          signal?.removeEventListener('abort', onAbort);
          this.pending.delete(id);
          f(v);
        };
      this.pending.set(id, { listeners, resolve: settle(resolve), reject: settle(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      const progress = listeners.onProgress !== undefined;
      this.handle.post({ ...body, id, progress } as WorkerRequest, transfer);
    });
  }

  /** Terminates the worker; pending requests reject with `reason`. */
  stop(reason: Error = new Error('glmm-wasm: the worker was terminated')): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.handle.terminate();
    for (const p of [...this.pending.values()]) p.reject(reason);
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  private dispatch(reply: WorkerReply): void {
    if (reply.type === 'fatal') return; // the handle reports it as a failure
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.type === 'progress') {
      const { type: _t, id: _i, ...progress } = reply;
      p.listeners.onProgress?.(progress);
    } else if (reply.type === 'item') p.listeners.onItem?.(reply.index, reply.item);
    else if (reply.type === 'result') p.resolve(reply.data);
    else p.reject(fromWireError(reply.error));
  }
}
