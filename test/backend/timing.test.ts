/**
 * Kernel timings, printed to the console. Slow tier: runs only with GLMM_TIMING=1
 * (`GLMM_TIMING=1 npx vitest run test/backend/timing.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS, randomArray, rng } from './reference';

const ENABLED = !!process.env.GLMM_TIMING;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

describe.skipIf(!ENABLED)('kernel timings', () => {
  it('potrf, syrk, gemm', () => {
    const lines: string[] = [];
    for (const { label, make } of BACKENDS) {
      const be = make();
      const k = be.kernels;
      for (const n of [500, 1100]) {
        const h = be.heap;
        h.reset();
        const m = h.allocF64(n * n);
        const spd = h.allocF64(n * n);
        const work = h.allocF64(n * n);
        h.f64.set(randomArray(n * n, rng(n)), m);
        k.syrkLower(n, n, 1 / n, m, n, 0, spd, n);
        for (let j = 0; j < n; j++) h.f64[spd + j + j * n] += 1;
        const reps = label === 'js' ? 3 : 7;
        const times: number[] = [];
        for (let r = 0; r < reps + 2; r++) {
          h.f64.copyWithin(work, spd, spd + n * n);
          const t0 = performance.now();
          expect(k.potrf(n, work, n)).toBe(0);
          const t = performance.now() - t0;
          if (r >= 2) times.push(t);
        }
        lines.push(
          `${label.padEnd(12)} potrf n=${n}: ${median(times).toFixed(2)} ms (first runs excluded)`,
        );
      }
      // tall-skinny shapes: syrk (Z'Z-like) and gemm
      {
        const h = be.heap;
        h.reset();
        const nr = 20000,
          p = 40;
        const a = h.allocF64(nr * p);
        const c = h.allocF64(p * p);
        h.f64.set(randomArray(nr * p, rng(1)), a);
        // A stored as p×nr (row = variable): C = A Aᵀ is X'X for X = Aᵀ
        const times: number[] = [];
        for (let r = 0; r < 7; r++) {
          const t0 = performance.now();
          k.syrkLower(p, nr, 1, a, p, 0, c, p);
          times.push(performance.now() - t0);
        }
        lines.push(
          `${label.padEnd(12)} syrk n=${p} k=${nr}: ${median(times.slice(2)).toFixed(2)} ms`,
        );
        const t2: number[] = [];
        const b = h.allocF64(2000 * 64);
        const cc = h.allocF64(2000 * 64);
        h.f64.set(randomArray(2000 * 64, rng(2)), b);
        for (let r = 0; r < 7; r++) {
          const t0 = performance.now();
          k.gemmNT(2000, 64, 64, -1, b, 2000, b, 2000, 1, cc, 2000);
          t2.push(performance.now() - t0);
        }
        lines.push(`${label.padEnd(12)} gemmNT 2000×64×64: ${median(t2.slice(2)).toFixed(2)} ms`);
      }
    }
    console.log(lines.join('\n'));
  });
});
