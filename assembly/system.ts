// Whole-system kernels over a system descriptor (port of src/backend/js/system.ts; contract:
// SystemKernels in src/backend/kernels.ts; fields in ./descriptor). `sd` is the descriptor's
// BYTE address; the offsets inside it are element offsets, converted here.

import {
  SYS_A11,
  SYS_A21,
  SYS_A22,
  SYS_BLOCKS,
  SYS_DENSE_L21,
  SYS_L11,
  SYS_L21,
  SYS_L22,
  SYS_N,
  SYS_NBLOCKS,
  SYS_NL1,
  SYS_NTAIL,
  SYS_P,
  SYS_QT,
  SYS_REFS1,
  SYS_ROW_IDX,
  SYS_ROW_PTR,
  SYS_ROW_START,
  SYS_ROW_T,
  SYS_ROW_V,
  SYS_SCRATCH_F64,
  SYS_SCRATCH_I32,
  SYS_SUMVT,
  SYS_T,
  SYS_TAIL_POS,
  SYS_TAIL_ROW,
  SYS_TAIL_V,
  SYS_V1,
  SYS_W,
  SYS_X,
  SYS_X1,
  SYS_X2,
  SYS_Y,
  SYS_Z1,
  SYS_Z_TAIL,
} from './descriptor';
import {
  inflateDiagBlocks,
  rightScaleSolve,
  scaleInflateTail,
  scaleTailRows,
  solveFirstBlock,
  sparseSyrkSub,
  sumLogDiagBlocks,
} from './blocks';
import { accumulateCrossprod, accumulateCrossprodResponse } from './crossprod';
import { syrkLower, trsvLowerTrans } from './blas';
import { potrf, sumLogDiag } from './chol';
import { f64At, field, i32At, ld, ldi, st } from './mem';

export function systemCrossprod(sd: usize, weighted: i32): void {
  accumulateCrossprod(
    field(sd, SYS_N),
    field(sd, SYS_V1),
    i32At(sd, SYS_REFS1),
    f64At(sd, SYS_Z1),
    field(sd, SYS_NTAIL),
    i32At(sd, SYS_TAIL_ROW),
    i32At(sd, SYS_TAIL_POS),
    i32At(sd, SYS_TAIL_V),
    f64At(sd, SYS_Z_TAIL),
    field(sd, SYS_SUMVT),
    field(sd, SYS_P),
    f64At(sd, SYS_X),
    f64At(sd, SYS_Y),
    weighted != 0 ? f64At(sd, SYS_W) : <usize>(<isize>-1),
    field(sd, SYS_NL1),
    i32At(sd, SYS_ROW_PTR),
    field(sd, SYS_T),
    f64At(sd, SYS_A11),
    f64At(sd, SYS_A21),
    f64At(sd, SYS_A22),
    i32At(sd, SYS_SCRATCH_I32),
    f64At(sd, SYS_SCRATCH_F64),
  );
}

/** Only the response parts of A (a new y over the same design); see accumulateCrossprodResponse. */
export function systemCrossprodResponse(sd: usize, weighted: i32): void {
  accumulateCrossprodResponse(
    field(sd, SYS_N),
    field(sd, SYS_V1),
    i32At(sd, SYS_REFS1),
    f64At(sd, SYS_Z1),
    field(sd, SYS_NTAIL),
    i32At(sd, SYS_TAIL_ROW),
    i32At(sd, SYS_TAIL_V),
    f64At(sd, SYS_Z_TAIL),
    field(sd, SYS_SUMVT),
    field(sd, SYS_P),
    f64At(sd, SYS_X),
    f64At(sd, SYS_Y),
    weighted != 0 ? f64At(sd, SYS_W) : <usize>(<isize>-1),
    field(sd, SYS_NL1),
    i32At(sd, SYS_ROW_PTR),
    field(sd, SYS_T),
    f64At(sd, SYS_A21),
    f64At(sd, SYS_A22),
  );
}

export function systemFactor(sd: usize): i32 {
  const nl = field(sd, SYS_NL1);
  const v1 = field(sd, SYS_V1);
  const t = field(sd, SYS_T);
  const tm1 = (<usize>ldi(i32At(sd, SYS_BLOCKS), 2)) << 3;
  const status = inflateDiagBlocks(nl, v1, f64At(sd, SYS_A11), f64At(sd, SYS_L11), tm1);
  if (status != 0) return status;
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const rowIdx = i32At(sd, SYS_ROW_IDX);
  const l21 = f64At(sd, SYS_L21);
  const l22 = f64At(sd, SYS_L22);
  const rowT = i32At(sd, SYS_ROW_T);
  const rowStart = i32At(sd, SYS_ROW_START);
  const rowV = i32At(sd, SYS_ROW_V);
  const nnz = ldi(rowPtr, nl);
  memory.copy(l21, f64At(sd, SYS_A21), (<usize>(nnz * v1)) << 3);
  scaleTailRows(nl, v1, rowPtr, rowIdx, l21, rowT, rowStart, rowV);
  rightScaleSolve(nl, v1, rowPtr, l21, tm1, f64At(sd, SYS_L11));
  memory.copy(l22, f64At(sd, SYS_A22), (<usize>t * <usize>t) << 3);
  scaleInflateTail(t, l22, rowT, rowStart, rowV);
  if (field(sd, SYS_DENSE_L21) != 0) {
    syrkLower(t, nl * v1, -1.0, l21, t, 1.0, l22, t);
  } else {
    sparseSyrkSub(nl, v1, rowPtr, rowIdx, l21, l22, t);
  }
  return potrf(t, l22, t);
}

export function systemSolve(sd: usize, fixedBeta: i32): void {
  const t = field(sd, SYS_T);
  const qt = field(sd, SYS_QT);
  const l22 = f64At(sd, SYS_L22);
  const x2 = f64At(sd, SYS_X2);
  for (let j = 0; j < t - 1; j++) {
    st(x2, j, fixedBeta != 0 && j >= qt ? 0.0 : ld(l22, t - 1 + j * t));
  }
  trsvLowerTrans(fixedBeta != 0 ? qt : t - 1, l22, t, x2);
  solveFirstBlock(
    field(sd, SYS_NL1),
    field(sd, SYS_V1),
    i32At(sd, SYS_ROW_PTR),
    i32At(sd, SYS_ROW_IDX),
    f64At(sd, SYS_L11),
    f64At(sd, SYS_L21),
    x2,
    f64At(sd, SYS_X1),
  );
}

export function systemLogdetRe(sd: usize): f64 {
  return (
    sumLogDiagBlocks(field(sd, SYS_NL1), field(sd, SYS_V1), f64At(sd, SYS_L11)) +
    sumLogDiag(field(sd, SYS_QT), f64At(sd, SYS_L22), field(sd, SYS_T))
  );
}

export function systemLambdaU(sd: usize, u: usize, b: usize): void {
  const nBlocks = field(sd, SYS_NBLOCKS);
  const info = i32At(sd, SYS_BLOCKS);
  for (let blk = 0; blk < nBlocks; blk++) {
    const nl = ldi(info, 4 * blk);
    const v = ldi(info, 4 * blk + 1);
    const tm = (<usize>ldi(info, 4 * blk + 2)) << 3;
    const start = ldi(info, 4 * blk + 3);
    for (let m = 0; m < nl; m++) {
      const base = start + m * v;
      // b[a] = Σ_{c ≤ a} T[a, c] u[c], from the last row up so that u and b may alias
      for (let a = v - 1; a >= 0; a--) {
        let s = 0.0;
        for (let c = 0; c <= a; c++) s += ld(tm, a + c * v) * ld(u, base + c);
        st(b, base + a, s);
      }
    }
  }
}
