// Whole-system kernels over a system descriptor (port of src/backend/js/system.ts; contract:
// SystemKernels in src/backend/kernels.ts; fields in ./descriptor). `sd` is the descriptor's
// BYTE address; the offsets inside it are element offsets, converted here.

import {
  BLOCK_FIELDS,
  BLOCK_NL,
  BLOCK_ROW,
  BLOCK_T,
  BLOCK_V,
  SYS_BLOCKS,
  SYS_N,
  SYS_NBLOCKS,
  SYS_NODE_ROW,
  SYS_OBS_NODE,
  SYS_OBS_Z,
} from './descriptor';
import { crossprodFull, crossprodResponse } from './crossprod';
import { sparseFactor, sparseLogdetRe, sparseSolve } from './sparse';
import { f64At, field, i32At, ld, ldi, st } from './mem';

export function systemCrossprod(sd: usize, weighted: i32): void {
  crossprodFull(sd, weighted);
}

/** Only the response parts of A (a new y over the same design); see crossprodResponse. */
export function systemCrossprodResponse(sd: usize, weighted: i32): void {
  crossprodResponse(sd, weighted);
}

export function systemFactor(sd: usize): i32 {
  return sparseFactor(sd);
}

export function systemSolve(sd: usize, fixedBeta: i32): void {
  sparseSolve(sd, fixedBeta);
}

export function systemLogdetRe(sd: usize): f64 {
  return sparseLogdetRe(sd);
}

export function systemLambdaU(sd: usize, u: usize, b: usize): void {
  const nBlocks = field(sd, SYS_NBLOCKS);
  const blocks = i32At(sd, SYS_BLOCKS);
  for (let blk = 0; blk < nBlocks; blk++) {
    const info = blk * BLOCK_FIELDS;
    const nl = ldi(blocks, info + BLOCK_NL);
    const v = ldi(blocks, info + BLOCK_V);
    const tm = (<usize>ldi(blocks, info + BLOCK_T)) << 3;
    const start = ldi(blocks, info + BLOCK_ROW);
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

export function systemAddRandomEffects(sd: usize, b: usize, base: usize, out: usize): void {
  const n = field(sd, SYS_N);
  const K = field(sd, SYS_NBLOCKS);
  const blocks = i32At(sd, SYS_BLOCKS);
  const obsNode = i32At(sd, SYS_OBS_NODE);
  const nodeRow = i32At(sd, SYS_NODE_ROW);
  const obsZ = f64At(sd, SYS_OBS_Z);
  let z = 0; // row-major n × sumV: consumed in order
  for (let i = 0; i < n; i++) {
    let s = ld(base, i);
    for (let k = 0; k < K; k++) {
      const bb = b + ((<usize>ldi(nodeRow, ldi(obsNode, i * K + k))) << 3);
      const v = ldi(blocks, k * BLOCK_FIELDS + BLOCK_V);
      for (let c = 0; c < v; c++) s += ld(obsZ, z++) * ld(bb, c);
    }
    st(out, i, s);
  }
}
