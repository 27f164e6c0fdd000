/** Pure-TypeScript linear-predictor kernel (contract: PredictorKernels in ../kernels.ts). */
import type { Heap, PredictorKernels } from '../kernels';

export function makeJsPredictorKernels(heap: Heap): PredictorKernels {
  return {
    addRandomEffects(n, v1, refs1, z1, nTail, tailRow, tailV, zTail, sumVt, b1, bTail, base, out) {
      const f = heap.f64;
      const ix = heap.i32;
      for (let i = 0; i < n; i++) {
        let s = f[base + i];
        const bb = b1 + ix[refs1 + i] * v1;
        const zb = z1 + i * v1;
        for (let c = 0; c < v1; c++) s += f[zb + c] * f[bb + c];
        let zt = zTail + i * sumVt;
        for (let k = 0; k < nTail; k++) {
          const row = bTail + ix[tailRow + i * nTail + k];
          const v = ix[tailV + k];
          for (let c = 0; c < v; c++) s += f[zt++] * f[row + c];
        }
        f[out + i] = s;
      }
    },
  };
}
