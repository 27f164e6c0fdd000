/**
 * Soak: 10,000 refits of one small LMM (sleepstudy `Reaction ~ Days + (1 | Subject)`) with a new
 * response each time, on both backends. The kernel heap is the same after the first refit and
 * after the last (refits allocate no kernel memory), the JS heap does not grow with the number
 * of refits, and the last refit is still the fit of its response. About 3 s per backend.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import type { DataInput } from '../../src/frame/types';
import { backends, loadCsv } from '../helpers/fixtures';
import { relDiff } from './catalogue';

const REFITS = 10_000;
const FORMULA = 'Reaction ~ Days + (1 | Subject)';

/** V8's gc(), exposed at run time (vitest's workers are not started with --expose-gc). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('gc() could not be exposed');
  return () => {
    gc();
    gc();
  };
}

/** A deterministic pseudo-random sequence in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe(`${REFITS} refits of ${FORMULA}`, () => {
  for (const backend of backends) {
    it(
      backend,
      () => {
        const gc = collector();
        const data = loadCsv('sleepstudy.csv') as Record<string, number[]>;
        const fit = lmerSync(FORMULA, data as DataInput, { backend });
        const heap = fit.model.backend.heap;
        const u = uniform(11);
        const response = () => data.Reaction.map((r, i) => r + 40 * (u() - 0.5) + (i % 10));

        const t0 = performance.now();
        let y = response();
        let last = fit.refit(y);
        const kernelAfterFirst = heap.used;
        let notConverged = 0;
        let jsAfter1000 = 0;
        for (let k = 2; k <= REFITS; k++) {
          y = response();
          last = fit.refit(y);
          if (!last.converged) notConverged++;
          if (k === 1000) {
            gc();
            jsAfter1000 = process.memoryUsage().heapUsed;
          }
        }
        gc();
        const jsAfterLast = process.memoryUsage().heapUsed;
        const seconds = (performance.now() - t0) / 1000;

        expect(heap.used, 'kernel heap after the last refit').toBe(kernelAfterFirst);
        // 9,000 refits: a leak of 1 KB each would add 9 MB
        expect(jsAfterLast - jsAfter1000, 'JS heap growth (bytes)').toBeLessThan(4e6);
        expect(notConverged).toBe(0);
        // the model still fits what it is given
        const fresh = lmerSync(FORMULA, { ...data, Reaction: y } as DataInput, { backend });
        expect(relDiff(last.logLik, fresh.logLik)).toBeLessThan(1e-9);
        expect(relDiff(last.fixef.Days, fresh.fixef.Days)).toBeLessThan(1e-8);
        expect(seconds, 'seconds for the refits').toBeLessThan(25);
      },
      60_000,
    );
  }
});
