/**
 * Pure-TypeScript numeric factorization and solve of the sparse system (behind systemFactor,
 * systemSolve and systemLogdetRe in ../kernels.ts; port: assembly/sparse.ts). The symbolic
 * structure (panels, left-looking lists, dense tail) is src/model/layout.ts's; descriptor
 * fields in assembly/descriptor.ts.
 */
import type { DenseKernels, Heap } from '../kernels';
import { systemFields } from './sysfields';

/** M := Tᵀ M on v consecutive rows of a column-major block (rows r.., ncol columns, ld). */
function leftScaleRows(
  f: Float64Array,
  tp: number,
  v: number,
  m: number,
  ncol: number,
  ld: number,
): void {
  if (v === 1) {
    const tv = f[tp];
    for (let col = 0; col < ncol; col++) f[m + col * ld] *= tv;
    return;
  }
  for (let col = 0; col < ncol; col++) {
    const base = m + col * ld;
    for (let c = 0; c < v; c++) {
      let s = 0;
      for (let cc = c; cc < v; cc++) s += f[tp + cc + c * v] * f[base + cc];
      f[base + c] = s;
    }
  }
}

/** M := M T on v consecutive columns (nrow rows from m, ld). */
function rightScaleCols(
  f: Float64Array,
  tp: number,
  v: number,
  m: number,
  nrow: number,
  ld: number,
): void {
  for (let c = 0; c < v; c++) {
    const dst = m + c * ld;
    for (let cc = c; cc < v; cc++) {
      const tv = f[tp + cc + c * v];
      if (cc === c) {
        for (let i = 0; i < nrow; i++) f[dst + i] *= tv;
      } else if (tv !== 0) {
        const src = m + cc * ld;
        for (let i = 0; i < nrow; i++) f[dst + i] += tv * f[src + i];
      }
    }
  }
}

export function makeSparseFactor(heap: Heap, dense: DenseKernels) {
  /** Panels: scale, left-looking update, factor; then the tail: scale, Schur update, factor. */
  function factor(sd: number): number {
    const f = heap.f64;
    const ix = heap.i32;
    const sys = systemFields(heap, sd);
    const { nSparse, nodeV, nodeRow, rowPtr, panelRows, valPtr, updPtr, updCol, updPos } = sys;
    const { rowT, rowStart, rowV, d0, t } = sys;
    const [A, L, map] = [sys.aPanels, sys.lPanels, sys.scratchI32];

    for (let j = 0; j < nSparse; j++) {
      const v = ix[nodeV + j];
      const r0 = ix[rowPtr + j];
      const m = v + ix[rowPtr + j + 1] - r0;
      const P = L + ix[valPtr + j];
      f.copyWithin(P, A + ix[valPtr + j], A + ix[valPtr + j] + m * v);
      // Λᵀ A Λ restricted to the panel: own rows and pattern rows by their T, columns by T_j.
      const own = ix[nodeRow + j];
      const tj = ix[rowT + own];
      leftScaleRows(f, tj, v, P, v, m);
      for (let lr = v; lr < m; lr++) {
        const r = ix[panelRows + r0 + lr - v];
        const tOff = ix[rowT + r];
        if (tOff >= 0 && ix[rowStart + r] === r) leftScaleRows(f, tOff, ix[rowV + r], P + lr, v, m);
      }
      rightScaleCols(f, tj, v, P, m, m);
      for (let c = 0; c < v; c++) f[P + c + c * m] += 1;
      // Left-looking: subtract L[rows, k] L[j, k]ᵀ of every earlier column k whose pattern has j.
      const u0 = ix[updPtr + j];
      const u1 = ix[updPtr + j + 1];
      if (u1 > u0) {
        for (let c = 0; c < v; c++) ix[map + own + c] = c;
        for (let lr = v; lr < m; lr++) ix[map + ix[panelRows + r0 + lr - v]] = lr;
        for (let u = u0; u < u1; u++) {
          const k = ix[updCol + u];
          const pos = ix[updPos + u];
          const vk = ix[nodeV + k];
          const rk = ix[rowPtr + k];
          const mk = vk + ix[rowPtr + k + 1] - rk;
          const Pk = L + ix[valPtr + k];
          for (let c = 0; c < v; c++) {
            const col = P + c * m;
            for (let rr = pos; rr < mk; rr++) {
              let s = 0;
              for (let kk = 0; kk < vk; kk++) s += f[Pk + rr + kk * mk] * f[Pk + pos + c + kk * mk];
              f[col + ix[map + ix[panelRows + rk + rr - vk]]] -= s;
            }
          }
        }
      }
      const status = dense.potrf(v, P, m);
      if (status !== 0) return j + 1;
      dense.trsmRightLowerTrans(m - v, v, P, m, P + v, m);
    }

    // Dense tail: Λᵀ A22 Λ + I, minus the panels' tail rows' outer products, then chol.
    const [A22, L22] = [sys.a22, sys.l22];
    f.copyWithin(L22, A22, A22 + t * t);
    for (let r = d0; r < d0 + t; r++) {
      const tOff = ix[rowT + r];
      if (tOff < 0 || ix[rowStart + r] !== r) continue;
      const v = ix[rowV + r];
      leftScaleRows(f, tOff, v, L22 + r - d0, t, t);
      rightScaleCols(f, tOff, v, L22 + (r - d0) * t, t, t);
    }
    for (let r = d0; r < d0 + t; r++) if (ix[rowT + r] >= 0) f[L22 + (r - d0) * (t + 1)] += 1;
    if (sys.denseSchur) {
      const v = ix[nodeV];
      dense.syrkLower(t, nSparse * v, -1, L + v, v + t, 1, L22, t);
    } else {
      const tailFrom = sys.tailFrom;
      for (let j = 0; j < nSparse; j++) {
        const v = ix[nodeV + j];
        const r0 = ix[rowPtr + j];
        const m = v + ix[rowPtr + j + 1] - r0;
        const P = L + ix[valPtr + j];
        const tf = ix[tailFrom + j];
        for (let jj = tf; jj < m; jj++) {
          const col = L22 + (ix[panelRows + r0 + jj - v] - d0) * t - d0;
          for (let ii = jj; ii < m; ii++) {
            let s = 0;
            for (let c = 0; c < v; c++) s += f[P + ii + c * m] * f[P + jj + c * m];
            f[col + ix[panelRows + r0 + ii - v]] -= s;
          }
        }
      }
    }
    return dense.potrf(t, L22, t);
  }

  /**
   * Lᵀ x = c with c the y row of L: the tail by a dense solve, then the panels backwards.
   * With fixedBeta the X part of x is held at 0 (u alone, β where it is).
   */
  function solve(sd: number, fixedBeta: number): void {
    const sys = systemFields(heap, sd);
    const { t, qt, d0, nSparse, nodeV, nodeRow, rowPtr, panelRows, valPtr } = sys;
    const [L22, x, L] = [sys.l22, sys.solution, sys.lPanels];
    const f = heap.f64;
    const ix = heap.i32;
    for (let j = 0; j < t - 1; j++)
      f[x + d0 + j] = fixedBeta && j >= qt ? 0 : f[L22 + t - 1 + j * t];
    dense.trsvLowerTrans(fixedBeta ? qt : t - 1, L22, t, x + d0);
    for (let j = nSparse - 1; j >= 0; j--) {
      const v = ix[nodeV + j];
      const r0 = ix[rowPtr + j];
      const m = v + ix[rowPtr + j + 1] - r0;
      const P = L + ix[valPtr + j];
      const xj = x + ix[nodeRow + j];
      for (let c = 0; c < v; c++) {
        const col = P + c * m;
        let s = f[col + m - 1];
        for (let lr = v; lr < m - 1; lr++) s -= f[col + lr] * f[x + ix[panelRows + r0 + lr - v]];
        f[xj + c] = s;
      }
      for (let c = v - 1; c >= 0; c--) {
        let s = f[xj + c];
        for (let kk = c + 1; kk < v; kk++) s -= f[P + kk + c * m] * f[xj + kk];
        f[xj + c] = s / f[P + c + c * m];
      }
    }
  }

  /** Σ log diag of L over the random-effects rows. */
  function logdetRe(sd: number): number {
    const f = heap.f64;
    const ix = heap.i32;
    const { nSparse, nodeV, rowPtr, valPtr, lPanels: L, qt, l22, t } = systemFields(heap, sd);
    let sum = 0;
    for (let j = 0; j < nSparse; j++) {
      const v = ix[nodeV + j];
      const m = v + ix[rowPtr + j + 1] - ix[rowPtr + j];
      const P = L + ix[valPtr + j];
      for (let c = 0; c < v; c++) sum += Math.log(f[P + c + c * m]);
    }
    return sum + dense.sumLogDiag(qt, l22, t);
  }

  return { factor, solve, logdetRe };
}
