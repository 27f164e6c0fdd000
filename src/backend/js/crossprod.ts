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

/**
 * One random-effects block (every node a sparse panel over its own v rows, X and y; the tail is
 * X and y alone): the same sums as the general pass, without its per-observation entry lists.
 */
function crossprodOneBlock(heap: Heap, sd: number, weighted: number): void {
  const sf = systemFields(heap, sd);
  const { n, p, blocks, nSparse, valPtr, obsNode, obsZ, x, y, a22 } = sf;
  const a = sf.aPanels;
  const w = weighted ? sf.w : -1;
  const f = heap.f64;
  const ix = heap.i32;
  const v = ix[blocks + D.BLOCK_V];
  const m = v + p + 1;
  const t = p + 1;
  f.fill(0, a, a + ix[valPtr + nSparse]);
  f.fill(0, a22, a22 + t * t);
  for (let i = 0; i < n; i++) {
    const wi = w < 0 ? 1 : f[w + i];
    if (wi === 0) continue;
    const zi = obsZ + i * v;
    const xi = x + i * p;
    const yi = f[y + i];
    const panel = a + ix[valPtr + ix[obsNode + i]];
    for (let c = 0; c < v; c++) {
      const wz = wi * f[zi + c];
      const col = panel + c * m;
      for (let e = 0; e < v; e++) f[col + e] += wz * f[zi + e];
      for (let j = 0; j < p; j++) f[col + v + j] += wz * f[xi + j];
      f[col + v + p] += wz * yi;
    }
    for (let k2 = 0; k2 <= p; k2++) {
      const wv = wi * (k2 < p ? f[xi + k2] : yi);
      const col = a22 + k2 * t;
      for (let k1 = k2; k1 < p; k1++) f[col + k1] += wv * f[xi + k1];
      f[col + p] += wv * yi;
    }
  }
  for (let j = 0; j < t; j++)
    for (let i = j + 1; i < t; i++) f[a22 + i * t + j] = f[a22 + j * t + i];
}

export function crossprodFull(heap: Heap, sd: number, weighted: number): void {
  if (heap.i32[sd + D.SYS_NBLOCKS] === 1) {
    crossprodOneBlock(heap, sd, weighted);
    return;
  }
  // plain locals: the per-observation loop must not go through an object's properties
  const sf = systemFields(heap, sd);
  const { n, p, q, K, blocks, nSparse, d0, t, sumV, nPairs, nodeRow, rowPtr, valPtr } = sf;
  const { obsNode, obsZ, pairPos, x, y, a22, nRows, scratchI32, scratchF64 } = sf;
  const w = weighted ? sf.w : -1;
  const a = sf.aPanels;
  const f = heap.f64;
  const ix = heap.i32;
  const nE = sumV + p + 1;
  const rowOf = scratchI32 + nRows; // global row of each entry (past the factor's row map)
  const posOf = rowOf + nE; // local row of each entry in the current panel
  const vals = scratchF64;
  f.fill(0, a, a + ix[valPtr + nSparse]);
  f.fill(0, a22, a22 + t * t);
  for (let i = 0; i < n; i++) {
    const wi = w < 0 ? 1 : f[w + i];
    if (wi === 0) continue;
    // The observation's entries.
    let e = 0;
    const zi = obsZ + i * sumV;
    for (let k = 0; k < K; k++) {
      const row = ix[nodeRow + ix[obsNode + i * K + k]];
      const v = ix[blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      for (let c = 0; c < v; c++) {
        ix[rowOf + e] = row + c;
        f[vals + e] = f[zi + e];
        e++;
      }
    }
    for (let j = 0; j < p; j++) {
      ix[rowOf + e] = q + j;
      f[vals + e] = f[x + i * p + j];
      e++;
    }
    ix[rowOf + e] = q + p;
    f[vals + e] = f[y + i];
    e++;
    // Panels of the sparse nodes.
    let first = 0; // first entry of block k
    let pair = i * nPairs;
    for (let k = 0; k < K; k++) {
      const node = ix[obsNode + i * K + k];
      const v = ix[blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      if (node >= nSparse) break;
      const m = v + ix[rowPtr + node + 1] - ix[rowPtr + node];
      // local rows of the entries from block k on: own, later blocks by pairPos, X and y last
      let ee = first;
      for (let c = 0; c < v; c++) ix[posOf + ee++] = c;
      for (let kb = k + 1; kb < K; kb++, pair++) {
        const vb = ix[blocks + kb * D.BLOCK_FIELDS + D.BLOCK_V];
        const lr = ix[pairPos + pair];
        for (let c = 0; c < vb; c++) ix[posOf + ee++] = lr + c;
      }
      for (let j = 0; j <= p; j++) ix[posOf + ee++] = m - p - 1 + j;
      const panel = a + ix[valPtr + node];
      for (let c = 0; c < v; c++) {
        const wz = wi * f[vals + first + c];
        const col = panel + c * m;
        for (let ek = first; ek < e; ek++) f[col + ix[posOf + ek]] += wz * f[vals + ek];
      }
      first += v;
    }
    // Dense tail: entries from the first one at or after d0.
    let e0 = first;
    while (ix[rowOf + e0] < d0) e0++;
    for (let k2 = e0; k2 < e; k2++) {
      const wv = wi * f[vals + k2];
      const col = a22 + (ix[rowOf + k2] - d0) * t - d0;
      for (let k1 = k2; k1 < e; k1++) f[col + ix[rowOf + k1]] += wv * f[vals + k1];
    }
  }
  for (let j = 0; j < t; j++) {
    for (let i = j + 1; i < t; i++) f[a22 + i * t + j] = f[a22 + j * t + i];
  }
}

/**
 * Only the entries of A that involve y: the last row of every panel and row and column t-1 of
 * A22, for a new y over the same design (weights as A was formed with). Every other entry is
 * left as it is, and each recomputed entry is the same sum, in the same order, as crossprodFull
 * forms it: a refit re-uses the Z and X cross-products.
 */
export function crossprodResponse(heap: Heap, sd: number, weighted: number): void {
  const sf = systemFields(heap, sd);
  const { n, p, q, K, blocks, nSparse, d0, t, sumV, nodeRow, nodeV, rowPtr, valPtr } = sf;
  const { obsNode, obsZ, x, y, a22, aPanels: a } = sf;
  const w = weighted ? sf.w : -1;
  const f = heap.f64;
  const ix = heap.i32;
  const yRow = a22 + t - 1; // lower triangle: (t-1, j) at yRow + j·t
  for (let j = 0; j < nSparse; j++) {
    const v = ix[nodeV + j];
    const m = v + ix[rowPtr + j + 1] - ix[rowPtr + j];
    for (let c = 0; c < v; c++) f[a + ix[valPtr + j] + c * m + m - 1] = 0;
  }
  for (let j = 0; j < t; j++) f[yRow + j * t] = 0;
  for (let i = 0; i < n; i++) {
    const wi = w < 0 ? 1 : f[w + i];
    if (wi === 0) continue;
    const yi = f[y + i];
    let e = 0;
    const zi = obsZ + i * sumV;
    for (let k = 0; k < K; k++) {
      const node = ix[obsNode + i * K + k];
      const row = ix[nodeRow + node];
      const v = ix[blocks + k * D.BLOCK_FIELDS + D.BLOCK_V];
      if (node < nSparse) {
        const m = v + ix[rowPtr + node + 1] - ix[rowPtr + node];
        const yEntry = a + ix[valPtr + node] + m - 1;
        for (let c = 0; c < v; c++) f[yEntry + c * m] += wi * f[zi + e + c] * yi;
      } else {
        for (let c = 0; c < v; c++) f[yRow + (row + c - d0) * t] += wi * f[zi + e + c] * yi;
      }
      e += v;
    }
    for (let j = 0; j < p; j++) f[yRow + (q + j - d0) * t] += wi * f[x + i * p + j] * yi;
    f[yRow + (t - 1) * t] += wi * yi * yi;
  }
  // column t-1 (upper triangle) := row t-1, as crossprodFull's final copy
  const yCol = a22 + (t - 1) * t;
  for (let j = 0; j < t - 1; j++) f[yCol + j] = f[yRow + j * t];
}
