// Cross-products of the sparse system (port of src/backend/js/crossprod.ts, which documents the
// scheme; layout in src/model/layout.ts, fields in ./descriptor). `sd` is the system
// descriptor's BYTE address; never allocates.

import {
  BLOCK_FIELDS,
  BLOCK_V,
  SYS_A22,
  SYS_A_PANELS,
  SYS_BLOCKS,
  SYS_D0,
  SYS_N,
  SYS_NBLOCKS,
  SYS_NODE_ROW,
  SYS_NODE_V,
  SYS_NPAIRS,
  SYS_NROWS,
  SYS_NSPARSE,
  SYS_OBS_NODE,
  SYS_OBS_Z,
  SYS_P,
  SYS_PAIR_POS,
  SYS_Q,
  SYS_ROW_PTR,
  SYS_SCRATCH_F64,
  SYS_SCRATCH_I32,
  SYS_SUMV,
  SYS_T,
  SYS_VAL_PTR,
  SYS_W,
  SYS_X,
  SYS_Y,
} from './descriptor';
import { f64At, field, i32At, ld, ldi, st, sti } from './mem';

@inline function blockV(blocks: usize, k: i32): i32 {
  return ldi(blocks, k * BLOCK_FIELDS + BLOCK_V);
}

/**
 * One random-effects block (every node a sparse panel over its own v rows, X and y; the tail is
 * X and y alone): the same sums as the general pass, without its per-observation entry lists,
 * and straight-line for v ≤ 2 (the common GLMM case: runtime-bounded inner loops of one or two
 * trips cost this kernel several times over in the wasm engine).
 */
function crossprodOneBlock(sd: usize, weighted: i32): void {
  const n = field(sd, SYS_N);
  const p = field(sd, SYS_P);
  const v = blockV(i32At(sd, SYS_BLOCKS), 0);
  const m = v + p + 1;
  const t = p + 1;
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const obsNode = i32At(sd, SYS_OBS_NODE);
  const obsZ = f64At(sd, SYS_OBS_Z);
  const x = f64At(sd, SYS_X);
  const y = f64At(sd, SYS_Y);
  const w = f64At(sd, SYS_W);
  const a = f64At(sd, SYS_A_PANELS);
  const a22 = f64At(sd, SYS_A22);
  memory.fill(a, 0, (<usize>ldi(valPtr, field(sd, SYS_NSPARSE))) << 3);
  memory.fill(a22, 0, (<usize>t * <usize>t) << 3);
  for (let i = 0; i < n; i++) {
    const wi = weighted != 0 ? ld(w, i) : 1.0;
    if (wi == 0) continue;
    const zi = obsZ + ((<usize>(i * v)) << 3);
    const xi = x + ((<usize>(i * p)) << 3);
    const yi = ld(y, i);
    const panel = a + ((<usize>ldi(valPtr, ldi(obsNode, i))) << 3);
    if (v <= 2) {
      // scalar or two-column terms: the z part straight-line, one loop over X (fused columns)
      const z0 = ld(zi, 0);
      const w0 = wi * z0;
      const z1 = v == 2 ? ld(zi, 1) : 0.0;
      const w1 = wi * z1;
      const col1 = panel + ((<usize>m) << 3);
      st(panel, 0, ld(panel, 0) + w0 * z0);
      if (v == 2) {
        st(panel, 1, ld(panel, 1) + w0 * z1);
        st(col1, 0, ld(col1, 0) + w1 * z0);
        st(col1, 1, ld(col1, 1) + w1 * z1);
      }
      for (let j = 0; j < p; j++) {
        const xj = ld(xi, j);
        st(panel, v + j, ld(panel, v + j) + w0 * xj);
        if (v == 2) st(col1, v + j, ld(col1, v + j) + w1 * xj);
      }
      st(panel, v + p, ld(panel, v + p) + w0 * yi);
      if (v == 2) st(col1, v + p, ld(col1, v + p) + w1 * yi);
      if (p == 0) {
        st(a22, 0, ld(a22, 0) + wi * yi * yi);
        continue;
      }
    } else {
      for (let c = 0; c < v; c++) {
        const wz = wi * ld(zi, c);
        const col = panel + ((<usize>(c * m)) << 3);
        for (let e = 0; e < v; e++) st(col, e, ld(col, e) + wz * ld(zi, e));
        for (let j = 0; j < p; j++) st(col, v + j, ld(col, v + j) + wz * ld(xi, j));
        st(col, v + p, ld(col, v + p) + wz * yi);
      }
    }
    // tail: lower triangle of [x y]ᵀ w [x y], column by column
    for (let k2 = 0; k2 <= p; k2++) {
      const wv = wi * (k2 < p ? ld(xi, k2) : yi);
      const col = a22 + ((<usize>(k2 * t)) << 3);
      for (let k1 = k2; k1 < p; k1++) st(col, k1, ld(col, k1) + wv * ld(xi, k1));
      st(col, p, ld(col, p) + wv * yi);
    }
  }
  for (let j = 0; j < t; j++) {
    for (let i = j + 1; i < t; i++) st(a22, i * t + j, ld(a22, j * t + i));
  }
}

export function crossprodFull(sd: usize, weighted: i32): void {
  if (field(sd, SYS_NBLOCKS) == 1) {
    crossprodOneBlock(sd, weighted);
    return;
  }
  const n = field(sd, SYS_N);
  const p = field(sd, SYS_P);
  const q = field(sd, SYS_Q);
  const K = field(sd, SYS_NBLOCKS);
  const blocks = i32At(sd, SYS_BLOCKS);
  const nSparse = field(sd, SYS_NSPARSE);
  const d0 = field(sd, SYS_D0);
  const t = field(sd, SYS_T);
  const nodeRow = i32At(sd, SYS_NODE_ROW);
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const obsNode = i32At(sd, SYS_OBS_NODE);
  const obsZ = f64At(sd, SYS_OBS_Z);
  const sumV = field(sd, SYS_SUMV);
  const pairPos = i32At(sd, SYS_PAIR_POS);
  const nPairs = field(sd, SYS_NPAIRS);
  const x = f64At(sd, SYS_X);
  const y = f64At(sd, SYS_Y);
  const w = f64At(sd, SYS_W);
  const a = f64At(sd, SYS_A_PANELS);
  const a22 = f64At(sd, SYS_A22);
  const nE = sumV + p + 1;
  const rowOf = i32At(sd, SYS_SCRATCH_I32) + ((<usize>field(sd, SYS_NROWS)) << 2);
  const posOf = rowOf + ((<usize>nE) << 2);
  const vals = f64At(sd, SYS_SCRATCH_F64);
  memory.fill(a, 0, (<usize>ldi(valPtr, nSparse)) << 3);
  memory.fill(a22, 0, (<usize>t * <usize>t) << 3);
  for (let i = 0; i < n; i++) {
    const wi = weighted != 0 ? ld(w, i) : 1.0;
    if (wi == 0) continue;
    let e = 0;
    const zi = i * sumV;
    for (let k = 0; k < K; k++) {
      const row = ldi(nodeRow, ldi(obsNode, i * K + k));
      const v = blockV(blocks, k);
      for (let c = 0; c < v; c++) {
        sti(rowOf, e, row + c);
        st(vals, e, ld(obsZ, zi + e));
        e++;
      }
    }
    for (let j = 0; j < p; j++) {
      sti(rowOf, e, q + j);
      st(vals, e, ld(x, i * p + j));
      e++;
    }
    sti(rowOf, e, q + p);
    st(vals, e, ld(y, i));
    e++;
    let first = 0;
    let pair = i * nPairs;
    for (let k = 0; k < K; k++) {
      const node = ldi(obsNode, i * K + k);
      const v = blockV(blocks, k);
      if (node >= nSparse) break;
      const m = v + ldi(rowPtr, node + 1) - ldi(rowPtr, node);
      let ee = first;
      for (let c = 0; c < v; c++) sti(posOf, ee++, c);
      for (let kb = k + 1; kb < K; kb++, pair++) {
        const vb = blockV(blocks, kb);
        const lr = ldi(pairPos, pair);
        for (let c = 0; c < vb; c++) sti(posOf, ee++, lr + c);
      }
      for (let j = 0; j <= p; j++) sti(posOf, ee++, m - p - 1 + j);
      const panel = a + ((<usize>ldi(valPtr, node)) << 3);
      for (let c = 0; c < v; c++) {
        const wz = wi * ld(vals, first + c);
        const col = panel + ((<usize>(c * m)) << 3);
        for (let ek = first; ek < e; ek++) {
          const dst = col + ((<usize>ldi(posOf, ek)) << 3);
          store<f64>(dst, load<f64>(dst) + wz * ld(vals, ek));
        }
      }
      first += v;
    }
    let e0 = first;
    while (ldi(rowOf, e0) < d0) e0++;
    for (let k2 = e0; k2 < e; k2++) {
      const wv = wi * ld(vals, k2);
      const col = a22 + ((<usize>((ldi(rowOf, k2) - d0) * t - d0)) << 3);
      for (let k1 = k2; k1 < e; k1++) {
        const dst = col + ((<usize>ldi(rowOf, k1)) << 3);
        store<f64>(dst, load<f64>(dst) + wv * ld(vals, k1));
      }
    }
  }
  for (let j = 0; j < t; j++) {
    for (let i = j + 1; i < t; i++) st(a22, i * t + j, ld(a22, j * t + i));
  }
}

/** Only the entries of A that involve y (see crossprodResponse in src/backend/js/crossprod.ts). */
export function crossprodResponse(sd: usize, weighted: i32): void {
  const n = field(sd, SYS_N);
  const p = field(sd, SYS_P);
  const q = field(sd, SYS_Q);
  const K = field(sd, SYS_NBLOCKS);
  const blocks = i32At(sd, SYS_BLOCKS);
  const nSparse = field(sd, SYS_NSPARSE);
  const d0 = field(sd, SYS_D0);
  const t = field(sd, SYS_T);
  const nodeRow = i32At(sd, SYS_NODE_ROW);
  const nodeV = i32At(sd, SYS_NODE_V);
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const obsNode = i32At(sd, SYS_OBS_NODE);
  const obsZ = f64At(sd, SYS_OBS_Z);
  const sumV = field(sd, SYS_SUMV);
  const x = f64At(sd, SYS_X);
  const y = f64At(sd, SYS_Y);
  const w = f64At(sd, SYS_W);
  const a = f64At(sd, SYS_A_PANELS);
  const a22 = f64At(sd, SYS_A22);
  const yRow = a22 + ((<usize>(t - 1)) << 3);
  for (let j = 0; j < nSparse; j++) {
    const v = ldi(nodeV, j);
    const m = v + ldi(rowPtr, j + 1) - ldi(rowPtr, j);
    const panel = a + ((<usize>ldi(valPtr, j)) << 3);
    for (let c = 0; c < v; c++) st(panel, c * m + m - 1, 0);
  }
  for (let j = 0; j < t; j++) st(yRow, j * t, 0);
  for (let i = 0; i < n; i++) {
    const wi = weighted != 0 ? ld(w, i) : 1.0;
    if (wi == 0) continue;
    const yi = ld(y, i);
    let e = i * sumV;
    for (let k = 0; k < K; k++) {
      const node = ldi(obsNode, i * K + k);
      const row = ldi(nodeRow, node);
      const v = blockV(blocks, k);
      if (node < nSparse) {
        const m = v + ldi(rowPtr, node + 1) - ldi(rowPtr, node);
        const yEntry = a + ((<usize>(ldi(valPtr, node) + m - 1)) << 3);
        for (let c = 0; c < v; c++) {
          st(yEntry, c * m, ld(yEntry, c * m) + wi * ld(obsZ, e + c) * yi);
        }
      } else {
        for (let c = 0; c < v; c++) {
          const k2 = (row + c - d0) * t;
          st(yRow, k2, ld(yRow, k2) + wi * ld(obsZ, e + c) * yi);
        }
      }
      e += v;
    }
    for (let j = 0; j < p; j++) {
      const k2 = (q + j - d0) * t;
      st(yRow, k2, ld(yRow, k2) + wi * ld(x, i * p + j) * yi);
    }
    st(yRow, (t - 1) * t, ld(yRow, (t - 1) * t) + wi * yi * yi);
  }
  const yCol = a22 + ((<usize>(t - 1) * <usize>t) << 3);
  for (let j = 0; j < t - 1; j++) st(yCol, j, ld(yRow, j * t));
}
