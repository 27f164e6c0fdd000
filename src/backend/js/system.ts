/**
 * Pure-TypeScript whole-system kernels (contract: SystemKernels in ../kernels.ts): cross-products
 * (./crossprod), the sparse factorization and solve (./sparse), Λu and the linear predictor;
 * the reference for assembly/system.ts.
 */
import * as D from '../../../assembly/descriptor';
import type { DenseKernels, Heap, SystemKernels } from '../kernels';
import { crossprodFull, crossprodResponse } from './crossprod';
import { makeSparseFactor } from './sparse';
import { systemFields } from './sysfields';

export function makeJsSystemKernels(heap: Heap, dense: DenseKernels): SystemKernels {
  const field = (sd: number, i: number) => heap.i32[sd + i];
  const sparse = makeSparseFactor(heap, dense);
  return {
    systemCrossprod: (sd, weighted) => crossprodFull(heap, sd, weighted),
    systemCrossprodResponse: (sd, weighted) => crossprodResponse(heap, sd, weighted),
    systemFactor: (sd) => sparse.factor(sd),
    systemSolve: (sd, fixedBeta) => sparse.solve(sd, fixedBeta),
    systemLogdetRe: (sd) => sparse.logdetRe(sd),

    systemLambdaU(sd, u, b) {
      const f = heap.f64;
      const ix = heap.i32;
      const nBlocks = field(sd, D.SYS_NBLOCKS);
      for (let blk = 0; blk < nBlocks; blk++) {
        const info = field(sd, D.SYS_BLOCKS) + blk * D.BLOCK_FIELDS;
        const nl = ix[info + D.BLOCK_NL];
        const v = ix[info + D.BLOCK_V];
        const tm = ix[info + D.BLOCK_T];
        const start = ix[info + D.BLOCK_ROW];
        for (let m = 0; m < nl; m++) {
          const base = start + m * v;
          // b[a] = Σ_{c ≤ a} T[a, c] u[c], from the last row up so that u and b may alias
          for (let a = v - 1; a >= 0; a--) {
            let s = 0;
            for (let c = 0; c <= a; c++) s += f[tm + a + c * v] * f[u + base + c];
            f[b + base + a] = s;
          }
        }
      }
    },

    systemAddRandomEffects(sd, b, base, out) {
      const f = heap.f64;
      const ix = heap.i32;
      const { n, K, blocks, obsNode, nodeRow, obsZ } = systemFields(heap, sd);
      let z = obsZ; // row-major n × sumV: consumed in order
      for (let i = 0; i < n; i++) {
        let s = f[base + i];
        for (let k = 0; k < K; k++) {
          const bb = b + ix[nodeRow + ix[obsNode + i * K + k]];
          const v = ix[blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
          for (let c = 0; c < v; c++) s += f[z++] * f[bb + c];
        }
        f[out + i] = s;
      }
    },
  };
}
