// Cross-products [Z X y]' W [Z X y] in the blocked layout (port of src/backend/js/crossprod.ts;
// contract: CrossprodKernels in src/backend/kernels.ts). Byte pointers; never allocates.

import { ld, st, ldi, sti } from './mem';

export function accumulateCrossprod(
  n: i32,
  v1: i32,
  refs1: usize,
  z1: usize,
  nTail: i32,
  tailRow: usize,
  tailPos: usize,
  tailV: usize,
  zTail: usize,
  sumVt: i32,
  p: i32,
  x: usize,
  y: usize,
  w: usize,
  nl1: i32,
  rowPtr: usize,
  t: i32,
  a11: usize,
  a21: usize,
  a22: usize,
  sI: usize,
  sF: usize,
): void {
  const pp = p + 1;
  const qt = t - pp;
  const unit = <isize>w < 0;
  memory.fill(a11, 0, (<usize>(nl1 * v1 * v1)) << 3);
  memory.fill(a21, 0, (<usize>(ldi(rowPtr, nl1) * v1)) << 3);
  memory.fill(a22, 0, (<usize>t * <usize>t) << 3);
  const idx = sI;
  const pos = sI + ((<usize>(sumVt + pp)) << 2);
  for (let i = 0; i < n; i++) {
    const wi = unit ? 1.0 : ld(w, i);
    if (wi == 0) continue;
    const lev = ldi(refs1, i);
    const zb = z1 + ((<usize>(i * v1)) << 3);
    const a11b = a11 + ((<usize>(lev * v1 * v1)) << 3);
    for (let c2 = 0; c2 < v1; c2++) {
      const wz = wi * ld(zb, c2);
      for (let c1 = 0; c1 < v1; c1++) {
        const k = c1 + c2 * v1;
        st(a11b, k, ld(a11b, k) + wz * ld(zb, c1));
      }
    }
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    let e = 0;
    let zt = i * sumVt;
    for (let k = 0; k < nTail; k++) {
      const row = ldi(tailRow, i * nTail + k);
      const ps = ldi(tailPos, i * nTail + k);
      const v = ldi(tailV, k);
      for (let c = 0; c < v; c++) {
        sti(idx, e, row + c);
        sti(pos, e, ps + c);
        st(sF, e, ld(zTail, zt++));
        e++;
      }
    }
    const xb = x + ((<usize>(i * p)) << 3);
    for (let j = 0; j < p; j++) {
      sti(idx, e, qt + j);
      sti(pos, e, len - pp + j);
      st(sF, e, ld(xb, j));
      e++;
    }
    sti(idx, e, t - 1);
    sti(pos, e, len - 1);
    st(sF, e, ld(y, i));
    e++;
    const a21b = a21 + ((<usize>(r0 * v1)) << 3);
    for (let c = 0; c < v1; c++) {
      const wz = wi * ld(zb, c);
      const colBase = a21b + ((<usize>(c * len)) << 3);
      for (let k = 0; k < e; k++) {
        const d = colBase + ((<usize>ldi(pos, k)) << 3);
        store<f64>(d, load<f64>(d) + wz * ld(sF, k));
      }
    }
    for (let k2 = 0; k2 < e; k2++) {
      const wv = wi * ld(sF, k2);
      const col = a22 + ((<usize>ldi(idx, k2) * <usize>t) << 3);
      for (let k1 = k2; k1 < e; k1++) {
        const d = col + ((<usize>ldi(idx, k1)) << 3);
        store<f64>(d, load<f64>(d) + wv * ld(sF, k1));
      }
    }
  }
  for (let j = 0; j < t; j++) {
    for (let i = j + 1; i < t; i++) {
      store<f64>(
        a22 + ((<usize>i * <usize>t + <usize>j) << 3),
        load<f64>(a22 + ((<usize>j * <usize>t + <usize>i) << 3)),
      );
    }
  }
}

/**
 * Only the response parts of A = [Z X y]' W [Z X y] (port of crossprodResponse in
 * src/backend/js/crossprod.ts; contract: systemCrossprodResponse in src/backend/kernels.ts): the
 * y row of each level's column block of a21 and row and column t-1 of a22 (both triangles), for
 * a new y over the same design. Every other entry of a11, a21 and a22 is left as it is. Each
 * entry is the same sum, in the same order, as accumulateCrossprod forms it.
 */
export function accumulateCrossprodResponse(
  n: i32,
  v1: i32,
  refs1: usize,
  z1: usize,
  nTail: i32,
  tailRow: usize,
  tailV: usize,
  zTail: usize,
  sumVt: i32,
  p: i32,
  x: usize,
  y: usize,
  w: usize,
  nl1: i32,
  rowPtr: usize,
  t: i32,
  a21: usize,
  a22: usize,
): void {
  const qt = t - p - 1;
  const unit = <isize>w < 0;
  const yRow = a22 + ((<usize>(t - 1)) << 3); // lower triangle: (t-1, j) at yRow + j·t
  const tBytes = (<usize>t) << 3;
  for (let l = 0; l < nl1; l++) {
    const r0 = ldi(rowPtr, l);
    const len = ldi(rowPtr, l + 1) - r0;
    const a21b = a21 + ((<usize>(r0 * v1)) << 3);
    for (let c = 0; c < v1; c++) st(a21b, c * len + len - 1, 0.0);
  }
  for (let j = 0; j < t; j++) store<f64>(yRow + <usize>j * tBytes, 0.0);
  for (let i = 0; i < n; i++) {
    const wi = unit ? 1.0 : ld(w, i);
    if (wi == 0) continue;
    const yi = ld(y, i);
    const lev = ldi(refs1, i);
    const zb = z1 + ((<usize>(i * v1)) << 3);
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    const a21y = a21 + ((<usize>(r0 * v1 + len - 1)) << 3);
    for (let c = 0; c < v1; c++) {
      const d = a21y + ((<usize>(c * len)) << 3);
      store<f64>(d, load<f64>(d) + wi * ld(zb, c) * yi);
    }
    let zt = i * sumVt;
    for (let k = 0; k < nTail; k++) {
      const row = ldi(tailRow, i * nTail + k);
      const v = ldi(tailV, k);
      for (let c = 0; c < v; c++) {
        const d = yRow + <usize>(row + c) * tBytes;
        store<f64>(d, load<f64>(d) + wi * ld(zTail, zt++) * yi);
      }
    }
    const xb = x + ((<usize>(i * p)) << 3);
    for (let j = 0; j < p; j++) {
      const d = yRow + <usize>(qt + j) * tBytes;
      store<f64>(d, load<f64>(d) + wi * ld(xb, j) * yi);
    }
    const d = yRow + <usize>(t - 1) * tBytes;
    store<f64>(d, load<f64>(d) + wi * yi * yi);
  }
  // column t-1 (upper triangle) := row t-1, as accumulateCrossprod's final copy
  const yCol = a22 + <usize>(t - 1) * tBytes;
  for (let j = 0; j < t - 1; j++) st(yCol, j, load<f64>(yRow + <usize>j * tBytes));
}
