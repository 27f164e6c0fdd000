/**
 * A pool of fit workers (each with its own kernel instance) working through a list of tasks:
 * every worker takes the next task as soon as it is free, so unequal tasks balance themselves.
 * A task's error is its own outcome and does not stop the others; a worker that dies is
 * replaced. An abort stops every worker and rejects the whole run with an AbortError.
 */
import { abortError } from './abort';
import { WorkerChannel, type RequestListeners } from './channel';
import { spawnWorker, type SpawnOptions } from './spawn';

/** One request for a worker: what `WorkerChannel.request` takes. */
export interface PoolTask {
  body: Parameters<WorkerChannel['request']>[0];
  transfer: ArrayBuffer[];
  listeners?: Omit<RequestListeners, 'signal'>;
}

export type TaskOutcome = { ok: true; value: unknown } | { ok: false; error: Error };

export interface PoolOptions extends SpawnOptions {
  /** Number of workers (at most one per task). */
  workers: number;
  signal?: AbortSignal;
}

/** Runs `tasks` on a pool; outcomes in task order. Tasks are made lazily, when a worker is free. */
export async function runOnPool(
  count: number,
  makeTask: (index: number) => PoolTask,
  options: PoolOptions,
): Promise<TaskOutcome[]> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  const outcomes: TaskOutcome[] = new Array(count);
  const channels: WorkerChannel[] = [];
  let next = 0;
  let aborted: Error | null = null;
  const onAbort = () => {
    aborted = abortError(signal!);
    channels.forEach((c) => c.stop(aborted!));
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const serve = async (slot: number): Promise<void> => {
    while (next < count && !aborted) {
      const index = next++;
      if (!channels[slot] || channels[slot].stopped) {
        channels[slot] = new WorkerChannel(await spawnWorker(options));
        if (aborted) channels[slot].stop(aborted);
      }
      try {
        const task = makeTask(index);
        const value = await channels[slot].request(task.body, task.transfer, task.listeners);
        outcomes[index] = { ok: true, value };
      } catch (e) {
        outcomes[index] = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
      }
    }
  };
  try {
    const size = Math.max(1, Math.min(options.workers, count));
    await Promise.all(Array.from({ length: size }, (_, slot) => serve(slot)));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    channels.forEach((c) => c.stop());
  }
  if (aborted) throw aborted;
  return outcomes;
}
