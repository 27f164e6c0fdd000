/**
 * Conditional variances of the spherical random effects, Var(u | y) / σ² = diagonal blocks of
 * (L_θ L_θᵀ)⁻¹, read off the sparse factor without forming the inverse of the whole q×q system.
 *
 * Selected inversion (Takahashi's equations): Σ = (L_θL_θᵀ)⁻¹ is needed only on the pattern of
 * L, which is closed under the recurrence. The dense tail's block is S = L22⁻ᵀL22⁻¹ (one trtri
 * and one syrk); then, for the sparse columns from the last to the first, with P the rows of
 * column j's pattern and B = L[P, j] L_jj⁻¹:
 *   Σ[P, j] = −Σ[P, P] B,    Σ[j, j] = L_jj⁻ᵀ L_jj⁻¹ − Bᵀ Σ[P, j].
 * Σ[P, P] is read from the panels of the later columns (same shape as L's) and from S. The cost
 * is that of the factorization, never q².
 */
import type { MixedSystem } from './system';

/** Per block (layout order), nl·v·v values: the v×v conditional covariance of u for each level. */
export function conditionalVarU(sys: MixedSystem): Float64Array[] {
  const { lay, off, backend } = sys;
  const { qt, t, d0, q, nSparse, nodeV, nodeRow, rowPtr, panelRows, valPtr } = lay;
  const h = backend.heap;
  const k = backend.kernels;
  const { linv, linvT } = off;
  let f = h.f64;
  f.fill(0, linv, linv + qt * qt);
  for (let j = 0; j < qt; j++) {
    f.copyWithin(linv + j * qt + j, off.l22 + j * t + j, off.l22 + j * t + qt);
  }
  k.trtriLower(qt, linv, qt);
  // S = L22⁻ᵀ L22⁻¹ = M Mᵀ with M = (L22⁻¹)ᵀ: one syrk (lower triangle, into linv)
  f = h.f64;
  for (let c = 0; c < qt; c++)
    for (let r = c; r < qt; r++) f[linvT + c + r * qt] = f[linv + r + c * qt];
  k.syrkLower(qt, qt, 1, linvT, qt, 0, linv, qt);
  f = h.f64;
  const S = f.slice(linv, linv + qt * qt);
  const L = f.subarray(off.lPanels);

  // Σ on the panels' pattern (random-effect rows only; own v×v block in full).
  const sig = new Float64Array(valPtr[nSparse]);
  const pos = new Int32Array(q).fill(-1); // row -> index in P of the current column
  const maxP = Math.max(0, ...Array.from(nodeV, (v, j) => rowPtr[j + 1] - rowPtr[j]));
  const maxV = Math.max(1, ...nodeV);
  const B = new Float64Array(maxP * maxV);
  const Y = new Float64Array(maxP * maxV);
  const linvJ = new Float64Array(maxV * maxV);
  for (let j = nSparse - 1; j >= 0; j--) {
    const v = nodeV[j];
    const r0 = rowPtr[j];
    const m = v + rowPtr[j + 1] - r0;
    const Pj = valPtr[j];
    let np = 0; // P: the pattern's random-effect rows (X and y rows come last)
    while (np < m - v && panelRows[r0 + np] < q) pos[panelRows[r0 + np]] = np++;
    invertLower(L, Pj, m, v, linvJ);
    // B = L[P, j] L_jj⁻¹ (np × v, ld np)
    for (let c = 0; c < v; c++) {
      for (let i = 0; i < np; i++) {
        let s = 0;
        for (let a = c; a < v; a++) s += L[Pj + v + i + a * m] * linvJ[a + c * v];
        B[i + c * np] = s;
      }
    }
    // Y = Σ[P, P] B: sparse columns of P from their Σ panels, the tail part from S
    Y.fill(0, 0, np * v);
    let firstTail = np;
    for (let i = 0; i < np; i++) {
      const r = panelRows[r0 + i];
      if (r >= d0) {
        firstTail = i;
        break;
      }
      if (lay.rowStart[r] !== r) continue; // whole nodes: handled at their first row
      const b = nodeOfRow(lay, r);
      const vb = nodeV[b];
      const rb = rowPtr[b];
      const mb = vb + rowPtr[b + 1] - rb;
      for (let cb = 0; cb < vb; cb++) {
        const ib = pos[r + cb];
        const col = valPtr[b] + cb * mb;
        for (let lr = 0; lr < mb; lr++) {
          const rr = lr < vb ? r + lr : panelRows[rb + lr - vb];
          if (rr >= q) break;
          const ir = pos[rr];
          if (ir < 0 || (lr < vb && lr < cb)) continue;
          const x = sig[col + lr];
          for (let c = 0; c < v; c++) {
            Y[ir + c * np] += x * B[ib + c * np];
            if (ir !== ib) Y[ib + c * np] += x * B[ir + c * np];
          }
        }
      }
    }
    for (let i1 = firstTail; i1 < np; i1++) {
      const t1 = panelRows[r0 + i1] - d0;
      for (let i2 = firstTail; i2 < np; i2++) {
        const t2 = panelRows[r0 + i2] - d0;
        const x = t1 >= t2 ? S[t1 + t2 * qt] : S[t2 + t1 * qt];
        for (let c = 0; c < v; c++) Y[i1 + c * np] += x * B[i2 + c * np];
      }
    }
    // Σ[P, j] = −Y; Σ[j, j] = L_jj⁻ᵀ L_jj⁻¹ + Bᵀ Y
    for (let c = 0; c < v; c++) {
      for (let i = 0; i < np; i++) sig[Pj + v + i + c * m] = -Y[i + c * np];
      for (let a = 0; a < v; a++) {
        let s = 0;
        for (let e = Math.max(a, c); e < v; e++) s += linvJ[e + a * v] * linvJ[e + c * v];
        for (let i = 0; i < np; i++) s += B[i + a * np] * Y[i + c * np];
        sig[Pj + a + c * m] = s;
      }
    }
    for (let i = 0; i < np; i++) pos[panelRows[r0 + i]] = -1;
  }

  return lay.blocks.map((b, kb) => {
    const out = new Float64Array(b.nl * b.v * b.v);
    for (let l = 0; l < b.nl; l++) {
      const node = lay.blockNode[kb] + l;
      for (let a = 0; a < b.v; a++) {
        for (let c = 0; c < b.v; c++) {
          let x: number;
          if (node < nSparse) {
            const m = b.v + rowPtr[node + 1] - rowPtr[node];
            x = sig[valPtr[node] + a + c * m];
          } else {
            const r0 = nodeRow[node] - d0;
            x = a >= c ? S[r0 + a + (r0 + c) * qt] : S[r0 + c + (r0 + a) * qt];
          }
          out[l * b.v * b.v + a + c * b.v] = x;
        }
      }
    }
    return out;
  });
}

/** The node whose first row is `row` (blocks' levels are consecutive). */
function nodeOfRow(lay: MixedSystem['lay'], row: number): number {
  const k = lay.rowBlock[row];
  return lay.blockNode[k] + (row - lay.blockRow[k]) / lay.blocks[k].v;
}

/** Inverse of the v×v lower-triangular block at L[off..] (ld) into out (column-major, v×v). */
function invertLower(L: Float64Array, off: number, ld: number, v: number, out: Float64Array): void {
  out.fill(0, 0, v * v);
  for (let j = 0; j < v; j++) {
    out[j + j * v] = 1 / L[off + j + j * ld];
    for (let i = j + 1; i < v; i++) {
      let s = 0;
      for (let e = j; e < i; e++) s += L[off + i + e * ld] * out[e + j * v];
      out[i + j * v] = -s / L[off + i + i * ld];
    }
  }
}
