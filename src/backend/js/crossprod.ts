/** Pure-TypeScript cross-product kernel (contract: CrossprodKernels in ../kernels.ts). */
import type { CrossprodKernels, Heap } from '../kernels';

export function makeJsCrossprodKernels(heap: Heap): CrossprodKernels {
  return {
    accumulateCrossprod(
      n,
      v1,
      refs1,
      z1,
      nTail,
      tailRow,
      tailPos,
      tailV,
      zTail,
      sumVt,
      p,
      x,
      y,
      w,
      nl1,
      rowPtr,
      t,
      a11,
      a21,
      a22,
      sI,
      sF,
    ) {
      const f = heap.f64;
      const ix = heap.i32;
      const pp = p + 1;
      const qt = t - pp;
      f.fill(0, a11, a11 + nl1 * v1 * v1);
      f.fill(0, a21, a21 + ix[rowPtr + nl1] * v1);
      f.fill(0, a22, a22 + t * t);
      const idx = sI;
      const pos = sI + sumVt + pp;
      for (let i = 0; i < n; i++) {
        const wi = w < 0 ? 1 : f[w + i];
        if (wi === 0) continue;
        const lev = ix[refs1 + i];
        const zb = z1 + i * v1;
        const a11b = a11 + lev * v1 * v1;
        for (let c2 = 0; c2 < v1; c2++) {
          const wz = wi * f[zb + c2];
          for (let c1 = 0; c1 < v1; c1++) f[a11b + c1 + c2 * v1] += wz * f[zb + c1];
        }
        const r0 = ix[rowPtr + lev];
        const len = ix[rowPtr + lev + 1] - r0;
        // The observation's tail entries in increasing tail-row order.
        let e = 0;
        let zt = zTail + i * sumVt;
        for (let k = 0; k < nTail; k++) {
          const row = ix[tailRow + i * nTail + k];
          const ps = ix[tailPos + i * nTail + k];
          const v = ix[tailV + k];
          for (let c = 0; c < v; c++) {
            ix[idx + e] = row + c;
            ix[pos + e] = ps + c;
            f[sF + e] = f[zt++];
            e++;
          }
        }
        for (let j = 0; j < p; j++) {
          ix[idx + e] = qt + j;
          ix[pos + e] = len - pp + j;
          f[sF + e] = f[x + i * p + j];
          e++;
        }
        ix[idx + e] = t - 1;
        ix[pos + e] = len - 1;
        f[sF + e] = f[y + i];
        e++;
        const a21b = a21 + r0 * v1;
        for (let c = 0; c < v1; c++) {
          const wz = wi * f[zb + c];
          const colBase = a21b + c * len;
          for (let k = 0; k < e; k++) f[colBase + ix[pos + k]] += wz * f[sF + k];
        }
        for (let k2 = 0; k2 < e; k2++) {
          const wv = wi * f[sF + k2];
          const col = a22 + ix[idx + k2] * t;
          for (let k1 = k2; k1 < e; k1++) f[col + ix[idx + k1]] += wv * f[sF + k1];
        }
      }
      for (let j = 0; j < t; j++)
        for (let i = j + 1; i < t; i++) f[a22 + i * t + j] = f[a22 + j * t + i];
    },
  };
}

/**
 * Only the response parts of A = [Z X y]ᵀ W [Z X y] (the kernel behind systemCrossprodResponse
 * in ../kernels.ts; port: accumulateCrossprodResponse in assembly/crossprod.ts): the y row of
 * each level's column block of a21 and row and column t-1 of a22 (both triangles), for a new y
 * over the same design. Every other entry of a11, a21 and a22 is left as it is. Each entry is
 * the same sum, in the same order, as accumulateCrossprod forms it. Arguments as there.
 */
export function crossprodResponse(
  heap: Heap,
  n: number,
  v1: number,
  refs1: number,
  z1: number,
  nTail: number,
  tailRow: number,
  tailV: number,
  zTail: number,
  sumVt: number,
  p: number,
  x: number,
  y: number,
  w: number,
  nl1: number,
  rowPtr: number,
  t: number,
  a21: number,
  a22: number,
): void {
  const f = heap.f64;
  const ix = heap.i32;
  const qt = t - p - 1;
  const yRow = a22 + t - 1; // lower triangle: (t-1, j) at yRow + j·t
  for (let l = 0; l < nl1; l++) {
    const r0 = ix[rowPtr + l];
    const len = ix[rowPtr + l + 1] - r0;
    for (let c = 0; c < v1; c++) f[a21 + r0 * v1 + c * len + len - 1] = 0;
  }
  for (let j = 0; j < t; j++) f[yRow + j * t] = 0;
  for (let i = 0; i < n; i++) {
    const wi = w < 0 ? 1 : f[w + i];
    if (wi === 0) continue;
    const yi = f[y + i];
    const lev = ix[refs1 + i];
    const zb = z1 + i * v1;
    const r0 = ix[rowPtr + lev];
    const len = ix[rowPtr + lev + 1] - r0;
    const a21y = a21 + r0 * v1 + len - 1;
    for (let c = 0; c < v1; c++) f[a21y + c * len] += wi * f[zb + c] * yi;
    let zt = zTail + i * sumVt;
    for (let k = 0; k < nTail; k++) {
      const row = ix[tailRow + i * nTail + k];
      const v = ix[tailV + k];
      for (let c = 0; c < v; c++) f[yRow + (row + c) * t] += wi * f[zt++] * yi;
    }
    for (let j = 0; j < p; j++) f[yRow + (qt + j) * t] += wi * f[x + i * p + j] * yi;
    f[yRow + (t - 1) * t] += wi * yi * yi;
  }
  // column t-1 (upper triangle) := row t-1, as accumulateCrossprod's final copy
  const yCol = a22 + (t - 1) * t;
  for (let j = 0; j < t - 1; j++) f[yCol + j] = f[yRow + j * t];
}
