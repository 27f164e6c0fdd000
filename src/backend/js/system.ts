/**
 * Pure-TypeScript whole-system kernels (contract: SystemKernels in ../kernels.ts), built from
 * the lower-level kernels (and, for systemCrossprodResponse, which is no kernel of its own in
 * the contract, from ./crossprod's crossprodResponse); the reference for assembly/system.ts.
 */
import * as D from '../../../assembly/descriptor';
import type { BaseKernels, Heap, SystemKernels } from '../kernels';
import { crossprodResponse } from './crossprod';

export function makeJsSystemKernels(heap: Heap, k: BaseKernels): SystemKernels {
  const field = (sd: number, i: number) => heap.i32[sd + i];
  return {
    systemCrossprod(sd, weighted) {
      const g = (i: number) => field(sd, i);
      k.accumulateCrossprod(
        g(D.SYS_N),
        g(D.SYS_V1),
        g(D.SYS_REFS1),
        g(D.SYS_Z1),
        g(D.SYS_NTAIL),
        g(D.SYS_TAIL_ROW),
        g(D.SYS_TAIL_POS),
        g(D.SYS_TAIL_V),
        g(D.SYS_Z_TAIL),
        g(D.SYS_SUMVT),
        g(D.SYS_P),
        g(D.SYS_X),
        g(D.SYS_Y),
        weighted ? g(D.SYS_W) : -1,
        g(D.SYS_NL1),
        g(D.SYS_ROW_PTR),
        g(D.SYS_T),
        g(D.SYS_A11),
        g(D.SYS_A21),
        g(D.SYS_A22),
        g(D.SYS_SCRATCH_I32),
        g(D.SYS_SCRATCH_F64),
      );
    },

    systemCrossprodResponse(sd, weighted) {
      const g = (i: number) => field(sd, i);
      crossprodResponse(
        heap,
        g(D.SYS_N),
        g(D.SYS_V1),
        g(D.SYS_REFS1),
        g(D.SYS_Z1),
        g(D.SYS_NTAIL),
        g(D.SYS_TAIL_ROW),
        g(D.SYS_TAIL_V),
        g(D.SYS_Z_TAIL),
        g(D.SYS_SUMVT),
        g(D.SYS_P),
        g(D.SYS_X),
        g(D.SYS_Y),
        weighted ? g(D.SYS_W) : -1,
        g(D.SYS_NL1),
        g(D.SYS_ROW_PTR),
        g(D.SYS_T),
        g(D.SYS_A21),
        g(D.SYS_A22),
      );
    },

    systemFactor(sd) {
      const g = (i: number) => field(sd, i);
      const nl = g(D.SYS_NL1);
      const v1 = g(D.SYS_V1);
      const t = g(D.SYS_T);
      const tm1 = heap.i32[g(D.SYS_BLOCKS) + 2];
      const status = k.inflateDiagBlocks(nl, v1, g(D.SYS_A11), g(D.SYS_L11), tm1);
      if (status !== 0) return status;
      const nnz = heap.i32[g(D.SYS_ROW_PTR) + nl];
      heap.f64.copyWithin(g(D.SYS_L21), g(D.SYS_A21), g(D.SYS_A21) + nnz * v1);
      const rowArgs = [g(D.SYS_ROW_T), g(D.SYS_ROW_START), g(D.SYS_ROW_V)] as const;
      k.scaleTailRows(nl, v1, g(D.SYS_ROW_PTR), g(D.SYS_ROW_IDX), g(D.SYS_L21), ...rowArgs);
      k.rightScaleSolve(nl, v1, g(D.SYS_ROW_PTR), g(D.SYS_L21), tm1, g(D.SYS_L11));
      heap.f64.copyWithin(g(D.SYS_L22), g(D.SYS_A22), g(D.SYS_A22) + t * t);
      k.scaleInflateTail(t, g(D.SYS_L22), ...rowArgs);
      if (g(D.SYS_DENSE_L21)) {
        // Every level touches every tail row: L21 is a dense t × q1 matrix; use the dense syrk.
        k.syrkLower(t, nl * v1, -1, g(D.SYS_L21), t, 1, g(D.SYS_L22), t);
      } else {
        k.sparseSyrkSub(nl, v1, g(D.SYS_ROW_PTR), g(D.SYS_ROW_IDX), g(D.SYS_L21), g(D.SYS_L22), t);
      }
      return k.potrf(t, g(D.SYS_L22), t);
    },

    systemSolve(sd, fixedBeta) {
      const g = (i: number) => field(sd, i);
      const t = g(D.SYS_T);
      const qt = g(D.SYS_QT);
      const l22 = g(D.SYS_L22);
      const x2 = g(D.SYS_X2);
      const f = heap.f64;
      for (let j = 0; j < t - 1; j++)
        f[x2 + j] = fixedBeta && j >= qt ? 0 : f[l22 + (t - 1) + j * t];
      k.trsvLowerTrans(fixedBeta ? qt : t - 1, l22, t, x2);
      const nl = g(D.SYS_NL1);
      const v1 = g(D.SYS_V1);
      k.solveFirstBlock(
        nl,
        v1,
        g(D.SYS_ROW_PTR),
        g(D.SYS_ROW_IDX),
        g(D.SYS_L11),
        g(D.SYS_L21),
        x2,
        g(D.SYS_X1),
      );
    },

    systemLogdetRe(sd) {
      const g = (i: number) => field(sd, i);
      return (
        k.sumLogDiagBlocks(g(D.SYS_NL1), g(D.SYS_V1), g(D.SYS_L11)) +
        k.sumLogDiag(g(D.SYS_QT), g(D.SYS_L22), g(D.SYS_T))
      );
    },

    systemLambdaU(sd, u, b) {
      const f = heap.f64;
      const ix = heap.i32;
      const nBlocks = field(sd, D.SYS_NBLOCKS);
      const info = field(sd, D.SYS_BLOCKS);
      for (let blk = 0; blk < nBlocks; blk++) {
        const nl = ix[info + 4 * blk];
        const v = ix[info + 4 * blk + 1];
        const tm = ix[info + 4 * blk + 2];
        const start = ix[info + 4 * blk + 3];
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
  };
}
