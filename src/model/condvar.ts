/**
 * Conditional variances of the spherical random effects, Var(u | y) / σ² = diagonal blocks of
 * (L_θ L_θᵀ)⁻¹, read off the sparse factor without forming the inverse of the whole q×q system.
 *
 * The v×v block of node j is WᵀW with W = L_θ⁻¹ E_j (E_j: the identity's columns of j). W is
 * non-zero only on the elimination-tree path from j (its sparse ancestors) and in the dense
 * tail; the sparse part is a forward solve along that path, the tail part L22⁻¹ (formed once,
 * qt×qt) times the path's contributions to the tail.
 */
import type { MixedSystem } from './system';

/** Per block (layout order), nl·v·v values: the v×v conditional covariance of u for each level. */
export function conditionalVarU(sys: MixedSystem): Float64Array[] {
  const { lay, off, backend } = sys;
  const { qt, t, d0, nSparse } = lay;
  const h = backend.heap;
  const linv = off.linv;
  let f = h.f64;
  f.fill(0, linv, linv + qt * qt);
  for (let j = 0; j < qt; j++) {
    f.copyWithin(linv + j * qt + j, off.l22 + j * t + j, off.l22 + j * t + qt);
  }
  backend.kernels.trtriLower(qt, linv, qt);
  f = h.f64;
  const Li = f.subarray(linv, linv + qt * qt);
  const L = f.subarray(off.lPanels);

  const out = lay.blocks.map((b) => new Float64Array(b.nl * b.v * b.v));
  const maxV = Math.max(...lay.blocks.map((b) => b.v));
  const w = new Float64Array(d0 * maxV); // sparse rows of W (zeroed again after each node)
  const rhs = new Float64Array(qt * maxV); // the path's contributions to the tail
  const wt = new Float64Array(qt * maxV); // tail rows of W
  const path: number[] = [];
  lay.blocks.forEach((b, k) => {
    const v = b.v;
    for (let m = 0; m < b.nl; m++) {
      const node = lay.blockNode[k] + m;
      const row0 = lay.nodeRow[node];
      const res = out[k].subarray(m * v * v, (m + 1) * v * v);
      if (node >= nSparse) {
        // A tail node: rows of L22⁻¹'s columns row0 - d0 ...
        const r0 = row0 - d0;
        for (let a = 0; a < v; a++) {
          for (let c = 0; c <= a; c++) {
            let s = 0;
            for (let i = r0 + a; i < qt; i++) s += Li[i + (r0 + a) * qt] * Li[i + (r0 + c) * qt];
            res[a + c * v] = s;
            res[c + a * v] = s;
          }
        }
        continue;
      }
      // Forward solve L W = E along the path; column c of W at w[row + c·d0].
      rhs.fill(0, 0, qt * v);
      path.length = 0;
      for (let c = 0; c < v; c++) w[row0 + c + c * d0] = 1;
      let minTail = qt;
      for (let j = node; j >= 0; j = lay.parent[j]) {
        path.push(j);
        const vj = lay.nodeV[j];
        const rj = lay.nodeRow[j];
        const r0 = lay.rowPtr[j];
        const mj = vj + lay.rowPtr[j + 1] - r0;
        const P = lay.valPtr[j];
        for (let c = 0; c < v; c++) {
          const wc = c * d0;
          for (let a = 0; a < vj; a++) {
            let s = w[rj + a + wc];
            for (let kk = 0; kk < a; kk++) s -= L[P + a + kk * mj] * w[rj + kk + wc];
            w[rj + a + wc] = s / L[P + a + a * mj];
          }
          for (let lr = vj; lr < mj; lr++) {
            const r = lay.panelRows[r0 + lr - vj];
            if (r >= lay.q) break; // X and y rows are not part of L_θ
            let s = 0;
            for (let kk = 0; kk < vj; kk++) s += L[P + lr + kk * mj] * w[rj + kk + wc];
            if (r < d0) w[r + wc] -= s;
            else {
              rhs[r - d0 + c * qt] -= s;
              minTail = Math.min(minTail, r - d0);
            }
          }
        }
      }
      // Tail rows of W = L22⁻¹ rhs (L22⁻¹ lower triangular).
      wt.fill(0, 0, qt * v);
      for (let c = 0; c < v; c++) {
        for (let r = minTail; r < qt; r++) {
          const x = rhs[r + c * qt];
          if (x === 0) continue;
          for (let i = r; i < qt; i++) wt[i + c * qt] += Li[i + r * qt] * x;
        }
      }
      for (let a = 0; a < v; a++) {
        for (let c = 0; c <= a; c++) {
          let s = 0;
          for (const j of path) {
            const rj = lay.nodeRow[j];
            for (let kk = 0; kk < lay.nodeV[j]; kk++)
              s += w[rj + kk + a * d0] * w[rj + kk + c * d0];
          }
          for (let i = minTail; i < qt; i++) s += wt[i + a * qt] * wt[i + c * qt];
          res[a + c * v] = s;
          res[c + a * v] = s;
        }
      }
      for (const j of path) {
        const rj = lay.nodeRow[j];
        for (let c = 0; c < v; c++) w.fill(0, rj + c * d0, rj + lay.nodeV[j] + c * d0);
      }
    }
  });
  return out;
}
