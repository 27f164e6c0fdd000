/**
 * Pure-TypeScript cross-products of the sparse system (behind systemCrossprod and
 * systemCrossprodResponse in ../kernels.ts; port: assembly/crossprod.ts). One pass over the
 * observations; layout in src/model/layout.ts, descriptor fields in assembly/descriptor.ts.
 *
 * Per observation, its entries in increasing global row: v_k values of each block's node, the p
 * X values, y. For each block whose node is a sparse column, the products of that block's
 * values with every later entry go into the node's panel (own rows in full storage); the
 * products among the entries in the dense tail go into A22 (lower, mirrored at the end).
 */
import * as D from '../../../assembly/descriptor';
import type { Heap } from '../kernels';
import { systemFields } from './sysfields';

/** The descriptor's fields, with w = -1 for unit weights and sI past the row map. */
function fields(heap: Heap, sd: number, weighted: number) {
  const s = systemFields(heap, sd);
  return {
    ...s,
    w: weighted ? s.w : -1,
    a: s.aPanels,
    sI: s.scratchI32 + s.nRows,
    sF: s.scratchF64,
  };
}

export function crossprodFull(heap: Heap, sd: number, weighted: number): void {
  const s = fields(heap, sd, weighted);
  const { n, p, K, nSparse, d0, t, sumV, nPairs } = s;
  const f = heap.f64;
  const ix = heap.i32;
  const nE = sumV + p + 1;
  const rowOf = s.sI; // global row of each entry
  const posOf = s.sI + nE; // local row of each entry in the current panel
  f.fill(0, s.a, s.a + ix[s.valPtr + nSparse]);
  f.fill(0, s.a22, s.a22 + t * t);
  for (let i = 0; i < n; i++) {
    const wi = s.w < 0 ? 1 : f[s.w + i];
    if (wi === 0) continue;
    // The observation's entries.
    let e = 0;
    const zi = s.obsZ + i * sumV;
    for (let k = 0; k < K; k++) {
      const row = ix[s.nodeRow + ix[s.obsNode + i * K + k]];
      const v = ix[s.blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      for (let c = 0; c < v; c++) {
        ix[rowOf + e] = row + c;
        f[s.sF + e] = f[zi + e];
        e++;
      }
    }
    for (let j = 0; j < p; j++) {
      ix[rowOf + e] = s.q + j;
      f[s.sF + e] = f[s.x + i * p + j];
      e++;
    }
    ix[rowOf + e] = s.q + p;
    f[s.sF + e] = f[s.y + i];
    e++;
    // Panels of the sparse nodes.
    let first = 0; // first entry of block k
    let pair = i * nPairs;
    for (let k = 0; k < K; k++) {
      const node = ix[s.obsNode + i * K + k];
      const v = ix[s.blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      if (node >= nSparse) break;
      const m = v + ix[s.rowPtr + node + 1] - ix[s.rowPtr + node];
      // local rows of the entries from block k on: own, later blocks by pairPos, X and y last
      let ee = first;
      for (let c = 0; c < v; c++) ix[posOf + ee++] = c;
      for (let kb = k + 1; kb < K; kb++, pair++) {
        const vb = ix[s.blocks + kb * D.BLOCK_FIELDS + D.BLOCK_V];
        const lr = ix[s.pairPos + pair];
        for (let c = 0; c < vb; c++) ix[posOf + ee++] = lr + c;
      }
      for (let j = 0; j <= p; j++) ix[posOf + ee++] = m - p - 1 + j;
      const panel = s.a + ix[s.valPtr + node];
      for (let c = 0; c < v; c++) {
        const wz = wi * f[s.sF + first + c];
        const col = panel + c * m;
        for (let ek = first; ek < e; ek++) f[col + ix[posOf + ek]] += wz * f[s.sF + ek];
      }
      first += v;
    }
    // Dense tail: entries from the first one at or after d0.
    let e0 = first;
    while (ix[rowOf + e0] < d0) e0++;
    for (let k2 = e0; k2 < e; k2++) {
      const wv = wi * f[s.sF + k2];
      const col = s.a22 + (ix[rowOf + k2] - d0) * t - d0;
      for (let k1 = k2; k1 < e; k1++) f[col + ix[rowOf + k1]] += wv * f[s.sF + k1];
    }
  }
  for (let j = 0; j < t; j++) {
    for (let i = j + 1; i < t; i++) f[s.a22 + i * t + j] = f[s.a22 + j * t + i];
  }
}

/**
 * Only the entries of A that involve y: the last row of every panel and row and column t-1 of
 * A22, for a new y over the same design (weights as A was formed with). Every other entry is
 * left as it is, and each recomputed entry is the same sum, in the same order, as crossprodFull
 * forms it: a refit re-uses the Z and X cross-products.
 */
export function crossprodResponse(heap: Heap, sd: number, weighted: number): void {
  const s = fields(heap, sd, weighted);
  const { n, p, K, nSparse, d0, t, sumV } = s;
  const f = heap.f64;
  const ix = heap.i32;
  const yRow = s.a22 + t - 1; // lower triangle: (t-1, j) at yRow + j·t
  for (let j = 0; j < nSparse; j++) {
    const v = ix[s.nodeV + j];
    const m = v + ix[s.rowPtr + j + 1] - ix[s.rowPtr + j];
    for (let c = 0; c < v; c++) f[s.a + ix[s.valPtr + j] + c * m + m - 1] = 0;
  }
  for (let j = 0; j < t; j++) f[yRow + j * t] = 0;
  for (let i = 0; i < n; i++) {
    const wi = s.w < 0 ? 1 : f[s.w + i];
    if (wi === 0) continue;
    const yi = f[s.y + i];
    let e = 0;
    const zi = s.obsZ + i * sumV;
    for (let k = 0; k < K; k++) {
      const node = ix[s.obsNode + i * K + k];
      const row = ix[s.nodeRow + node];
      const v = ix[s.blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      if (node < nSparse) {
        const m = v + ix[s.rowPtr + node + 1] - ix[s.rowPtr + node];
        const yEntry = s.a + ix[s.valPtr + node] + m - 1;
        for (let c = 0; c < v; c++) f[yEntry + c * m] += wi * f[zi + e + c] * yi;
      } else {
        for (let c = 0; c < v; c++) f[yRow + (row + c - d0) * t] += wi * f[zi + e + c] * yi;
      }
      e += v;
    }
    for (let j = 0; j < p; j++) f[yRow + (s.q + j - d0) * t] += wi * f[s.x + i * p + j] * yi;
    f[yRow + (t - 1) * t] += wi * yi * yi;
  }
  // column t-1 (upper triangle) := row t-1, as crossprodFull's final copy
  const yCol = s.a22 + (t - 1) * t;
  for (let j = 0; j < t - 1; j++) f[yCol + j] = f[yRow + j * t];
}
