/**
 * The sparse Cholesky factor L of C = ΛᵀZᵀWZΛ + I (the model's random-effects system at θ̂) for
 * Kenward–Roger, with solves C Y = R for many right-hand sides at once.
 *
 * The fitted model's own system works on conditioned (rescaled, rotated) random effects, so
 * this builds a second system over the unconditioned blocks, without X columns (p = 0), in the
 * same backend: its cross-products and factorization are the backend's kernels (WASM or JS), and
 * its layout (./model/layout: sparse panels, then a dense tail) is the one the fit uses. The
 * response column is set to 1 only to keep the factor's last pivot positive; it is never read.
 * The solves below read the factor (copied out once) level by level, like the selected
 * inversion of src/model/condvar.ts, on row-major q×c blocks so the inner loops run over the c
 * right-hand sides.
 */
import { FitError } from '../errors';
import type { Backend } from '../backend/kernels';
import { buildLayout, type BlockLayout } from '../model/layout';
import type { ReStructure } from '../model/reblocks';
import { allocateSystem, setTheta, updateCrossprod, updateL } from '../model/system';

export interface KrFactor {
  q: number;
  /** Y := C⁻¹ Y for Y row-major q×c. */
  solve(Y: Float64Array, c: number): void;
}

export function krFactor(
  backend: Backend,
  re: ReStructure,
  n: number,
  theta: ArrayLike<number>,
  weights: Float64Array | null,
  maxCols: number,
): KrFactor {
  const lay = buildLayout(re.blocks, n, 0);
  const sys = allocateSystem(backend, re, lay, new Float64Array(0));
  const h = backend.heap;
  h.f64.fill(1, sys.off.y, sys.off.y + n);
  if (weights) h.f64.set(weights, sys.off.w);
  else h.f64.fill(1, sys.off.w, sys.off.w + n);
  setTheta(sys, theta);
  updateCrossprod(sys, weights !== null);
  const status = updateL(sys);
  if (status !== 0) throw new FitError('Λᵀ ZᵀWZ Λ + I is not positive definite at θ̂');
  const panels = h.f64.slice(sys.off.lPanels, sys.off.lPanels + lay.valPtr[lay.nSparse]);
  // the dense tail's solves run in the backend's kernels: L22⁻¹ once (trtri), its transpose,
  // and two qt×c buffers; then forward = trsm, backward = one gemm with L22⁻ᵀ
  const { qt, t } = lay;
  const rhs = h.allocF64(Math.max(1, qt * maxCols));
  const out = h.allocF64(Math.max(1, qt * maxCols));
  const { linv, linvT } = sys.off;
  let f = h.f64;
  f.fill(0, linv, linv + qt * qt);
  for (let j = 0; j < qt; j++)
    f.copyWithin(linv + j * qt + j, sys.off.l22 + j * t + j, sys.off.l22 + j * t + qt);
  backend.kernels.trtriLower(qt, linv, qt);
  f = h.f64;
  for (let c = 0; c < qt; c++)
    for (let r = 0; r < qt; r++) f[linvT + c + r * qt] = f[linv + r + c * qt];
  const k = backend.kernels;
  const tailSolve = (Y: Float64Array, c: number): void => {
    if (qt === 0) return;
    if (c > maxCols) throw new FitError('internal: Kenward-Roger solve wider than its buffers');
    const seg = Y.subarray(lay.d0 * c, lay.q * c); // row-major qt×c = column-major c×qt
    h.f64.set(seg, rhs);
    // Yᵀ := Yᵀ L22⁻ᵀ (forward), then Xᵀ = Yᵀ L22⁻¹ = Yᵀ (L22⁻ᵀ)ᵀ (backward)
    k.trsmRightLowerTrans(c, qt, sys.off.l22, t, rhs, c);
    k.gemmNT(c, qt, qt, 1, rhs, c, linvT, qt, 0, out, c);
    seg.set(h.f64.subarray(out, out + qt * c));
  };
  return { q: lay.q, solve: (Y, c) => solveInPlace(lay, panels, tailSolve, Y, c) };
}

function solveInPlace(
  lay: BlockLayout,
  L: Float64Array,
  tailSolve: (Y: Float64Array, c: number) => void,
  Y: Float64Array,
  c: number,
): void {
  const { q, nSparse, nodeRow, nodeV, rowPtr, panelRows, valPtr } = lay;
  // forward: L y = b over the sparse columns, then the dense tail
  for (let j = 0; j < nSparse; j++) {
    const r = nodeRow[j];
    const v = nodeV[j];
    const P = valPtr[j];
    const m = v + rowPtr[j + 1] - rowPtr[j];
    for (let a = 0; a < v; a++) {
      const ya = (r + a) * c;
      const d = L[P + a + a * m];
      let any = false;
      for (let k = 0; k < c; k++) any = (Y[ya + k] /= d) !== 0 || any;
      if (!any) continue; // a zero row updates nothing (most rows of A's columns' solves)
      for (let b = a + 1; b < v; b++) {
        const x = L[P + b + a * m];
        if (x === 0) continue;
        const yb = (r + b) * c;
        for (let k = 0; k < c; k++) Y[yb + k] -= x * Y[ya + k];
      }
      for (let i = 0; i < m - v; i++) {
        const g = panelRows[rowPtr[j] + i];
        if (g >= q) break;
        const x = L[P + v + i + a * m];
        if (x === 0) continue;
        const yg = g * c;
        for (let k = 0; k < c; k++) Y[yg + k] -= x * Y[ya + k];
      }
    }
  }
  tailSolve(Y, c);
  // backward: Lᵀ x = y (the tail was solved above)
  for (let j = nSparse - 1; j >= 0; j--) {
    const r = nodeRow[j];
    const v = nodeV[j];
    const P = valPtr[j];
    const m = v + rowPtr[j + 1] - rowPtr[j];
    for (let a = v - 1; a >= 0; a--) {
      const ya = (r + a) * c;
      for (let i = 0; i < m - v; i++) {
        const g = panelRows[rowPtr[j] + i];
        if (g >= q) break;
        const x = L[P + v + i + a * m];
        if (x === 0) continue;
        const yg = g * c;
        for (let k = 0; k < c; k++) Y[ya + k] -= x * Y[yg + k];
      }
      for (let b = a + 1; b < v; b++) {
        const x = L[P + b + a * m];
        if (x === 0) continue;
        const yb = (r + b) * c;
        for (let k = 0; k < c; k++) Y[ya + k] -= x * Y[yb + k];
      }
      const d = L[P + a + a * m];
      for (let k = 0; k < c; k++) Y[ya + k] /= d;
    }
  }
}
