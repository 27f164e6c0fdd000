/**
 * Kenward–Roger's data-dependent ingredients without any q×q array: every product goes through
 * A = ZᵀWZ (sparse, rows of its non-zeros) and K = Λ C⁻¹ Λᵀ with C = ΛᵀAΛ + I solved on its
 * sparse Cholesky factor (./kr-factor), so the q×p quantities of ./kenwardroger-dense cost
 * O(p · #variance parameters) solves:
 *   Y0 = B − A K B,  U0 = Y0 − A K Y0,  S0 Fᵢ = A Fᵢ − A K A Fᵢ,  R0, YKY from K B and K Y0.
 * The traces tr(M Gᵢ M Gⱼ) need S0 = A − AKA over pairs of index sets: S0 is formed in chunks
 * of whole levels (columns J: T = K A[:, J] by one multi-right-hand-side solve, S0[:, J] =
 * A[:, J] − A T), each chunk's contributions are added and the chunk dropped (memory O(q · c)).
 * Since E pairs stay inside one level, both columns an entry of Eᵢ touches are in the chunk:
 *   tr(S Eᵢ S Eⱼ) = Σ_{(a,b)∈Eᵢ} Σ_{(a',b')∈Eⱼ} S[a', b] S[b', a],
 *   (Zᵀ M W⁻¹ M Z)[b, a] = σ⁻⁴ (S0[b, a] − T[:, b] · S0[:, a]),
 * and tr(KA) = Σ T[a, a], tr(KAKA) = ‖C⁻¹ΛᵀAΛ‖²_F (C⁻¹ΛᵀAΛ = I − C⁻¹ is symmetric), whose
 * columns are T's columns of the chunk times Λ. Time: q solves with the factor plus O(q²) for
 * the traces (the entries of S that the traces need are all of its pairs of levels).
 */
import {
  crossQp,
  crossXWX,
  forEachZRow,
  pAndQ,
  type KrContext,
  type KrIngredients,
} from './kr-context';
import { krFactor } from './kr-factor';
import type { Matrix } from './linalg';

/** Doubles per chunk buffer (q × c): about 4 MB, whatever q. */
const CHUNK_DOUBLES = 1 << 19;

/** Sparse symmetric q×q matrix by rows. */
interface SparseRows {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function sparseA(ctx: KrContext, B: Float64Array): SparseRows {
  const { q, p, n, X } = ctx;
  const rows: Map<number, number>[] = Array.from({ length: q }, () => new Map());
  forEachZRow(ctx, (i, idx, val, wi) => {
    for (let a = 0; a < idx.length; a++) {
      const row = rows[idx[a]];
      const wa = val[a] * wi;
      for (let c = 0; c < idx.length; c++) row.set(idx[c], (row.get(idx[c]) ?? 0) + wa * val[c]);
      for (let k = 0; k < p; k++) B[idx[a] * p + k] += wa * X[i + k * n];
    }
  });
  const ptr = new Int32Array(q + 1);
  rows.forEach((r, i) => (ptr[i + 1] = ptr[i] + r.size));
  const col = new Int32Array(ptr[q]);
  const val = new Float64Array(ptr[q]);
  rows.forEach((r, i) => {
    const keys = Array.from(r.keys()).sort((x, y) => x - y);
    keys.forEach((k, e) => {
      col[ptr[i] + e] = k;
      val[ptr[i] + e] = r.get(k) as number;
    });
  });
  return { ptr, col, val };
}

export function krIngredientsSparse(ctx: KrContext): KrIngredients {
  const { p, q, s2, Es, re, offs, Ts } = ctx;
  const B = new Float64Array(q * p);
  const A = sparseA(ctx, B);
  const maxV = Math.max(1, ...re.blocks.map((b) => b.v));
  const cMax = Math.max(maxV, Math.floor(CHUNK_DOUBLES / Math.max(1, q)));
  const factor = krFactor(ctx.model.backend, re, ctx.n, ctx.fit.theta, ctx.w, Math.max(cMax, p));

  /** out = A X (X row-major q×c). */
  const mulA = (Xm: Float64Array, c: number): Float64Array => {
    const o = new Float64Array(q * c);
    for (let i = 0; i < q; i++) {
      const oi = i * c;
      for (let e = A.ptr[i]; e < A.ptr[i + 1]; e++) {
        const x = A.val[e];
        const xk = A.col[e] * c;
        for (let k = 0; k < c; k++) o[oi + k] += x * Xm[xk + k];
      }
    }
    return o;
  };
  /** In place: X := Λᵀ X (trans) or Λ X, per level with the block's T. */
  const mulLambda = (Xm: Float64Array, c: number, trans: boolean): void => {
    const tmp = new Float64Array(c);
    re.blocks.forEach((b, bi) => {
      const v = b.v;
      const t = Ts[bi];
      for (let l = 0; l < b.nl; l++) {
        const base = offs[bi] + l * v;
        if (trans) {
          // (Λᵀx)[c0] = Σ_{r ≥ c0} T[r, c0] x[r]: ascending c0 reads rows not yet overwritten
          for (let c0 = 0; c0 < v; c0++) {
            tmp.fill(0);
            for (let r = c0; r < v; r++) {
              const x = t[r + c0 * v];
              if (x === 0) continue;
              const xr = (base + r) * c;
              for (let k = 0; k < c; k++) tmp[k] += x * Xm[xr + k];
            }
            Xm.set(tmp, (base + c0) * c);
          }
        } else {
          // (Λx)[r] = Σ_{c0 ≤ r} T[r, c0] x[c0]: descending r
          for (let r = v - 1; r >= 0; r--) {
            tmp.fill(0);
            for (let c0 = 0; c0 <= r; c0++) {
              const x = t[r + c0 * v];
              if (x === 0) continue;
              const xc = (base + c0) * c;
              for (let k = 0; k < c; k++) tmp[k] += x * Xm[xc + k];
            }
            Xm.set(tmp, (base + r) * c);
          }
        }
      }
    });
  };
  /** K X = Λ C⁻¹ Λᵀ X (a copy). */
  const mulK = (Xm: Float64Array, c: number): Float64Array => {
    const o = Xm.slice();
    mulLambda(o, c, true);
    factor.solve(o, c);
    mulLambda(o, c, false);
    return o;
  };
  const cross = (a: Float64Array, b: Float64Array): Matrix => crossQp(a, b, q, p);

  const KB = mulK(B, p);
  const AKB = mulA(KB, p);
  const Y0 = B.map((v, e) => v - AKB[e]);
  const KY = mulK(Y0, p);
  const AKY = mulA(KY, p);
  const U0 = Y0.map((v, e) => v - AKY[e]);
  const XtX = crossXWX(ctx);
  const BKB = cross(B, KB);
  const KBAKB = cross(KB, AKB);
  const R0 = XtX.map((r, k) => r.map((v, l) => v - 2 * BKB[k][l] + KBAKB[k][l]));
  const YKY = cross(Y0, KY);
  const { P, Q } = pAndQ(ctx, Y0, U0, R0, YKY, (F) => {
    const AF = mulA(F, p);
    const AKAF = mulA(mulK(AF, p), p);
    return AF.map((v, e) => v - AKAF[e]);
  });

  // the traces, over chunks of whole levels
  const nre = Es.length;
  const Kre: Matrix = Array.from({ length: nre + 1 }, () => new Array<number>(nre + 1).fill(0));
  const cursor = new Int32Array(nre);
  let trKA = 0;
  let trKAKA = 0;
  // level boundaries in column order
  const starts: number[] = [];
  re.blocks.forEach((b, bi) => {
    for (let l = 0; l < b.nl; l++) starts.push(offs[bi] + l * b.v);
  });
  starts.push(q);
  const vOf = (col: number): { base: number; v: number; t: Float64Array } => {
    let bi = re.blocks.length - 1;
    while (offs[bi] > col) bi--;
    const v = re.blocks[bi].v;
    return { base: offs[bi] + Math.floor((col - offs[bi]) / v) * v, v, t: Ts[bi] };
  };
  let si = 0;
  while (starts[si] < q) {
    const j0 = starts[si];
    let sj = si + 1;
    while (starts[sj] < q && starts[sj + 1] - j0 <= cMax) sj++;
    const j1 = starts[sj];
    const c = j1 - j0;
    // R = A[:, J] (= rows J, A symmetric), then T = K R, S0[:, J] = R − A T
    const R = new Float64Array(q * c);
    for (let a = j0; a < j1; a++)
      for (let e = A.ptr[a]; e < A.ptr[a + 1]; e++) R[A.col[e] * c + (a - j0)] = A.val[e];
    // Y = C⁻¹ΛᵀA[:, J] (one multi-right-hand-side solve), T = Λ Y = K A[:, J]
    const Y = R.slice();
    mulLambda(Y, c, true);
    factor.solve(Y, c);
    const T = Y.slice();
    mulLambda(T, c, false);
    const AT = mulA(T, c);
    const S0 = R.map((v, e) => v - AT[e]);
    // the chunk's columns made contiguous (the index sets' rows ascend within a column)
    const S0c = new Float64Array(q * c);
    const Tc = new Float64Array(q * c);
    const Yc = new Float64Array(q * c);
    for (let x = 0; x < q; x++)
      for (let k = 0; k < c; k++) {
        S0c[k * q + x] = S0[x * c + k];
        Tc[k * q + x] = T[x * c + k];
        Yc[k * q + x] = Y[x * c + k];
      }
    // tr(KA) = Σ T[a, a]; tr(KAKA) = ‖Y Λ‖²_F, Y Λ's columns from the chunk's own levels
    for (let a = j0; a < j1; a++) trKA += Tc[(a - j0) * q + a];
    const colYL = new Float64Array(q);
    for (let a = j0; a < j1; ) {
      const { base, v, t } = vOf(a);
      for (let c0 = 0; c0 < v; c0++) {
        // column base+c0 of Y Λ: Σ_{r ≥ c0} Y[:, base+r] T[r, c0]
        colYL.fill(0);
        for (let r = c0; r < v; r++) {
          const x = t[r + c0 * v];
          if (x === 0) continue;
          const yr = (base + r - j0) * q;
          for (let i = 0; i < q; i++) colYL[i] += x * Yc[yr + i];
        }
        let ss = 0;
        for (let i = 0; i < q; i++) ss += colYL[i] * colYL[i];
        trKAKA += ss;
      }
      a = base + v;
    }
    const col = (x: number, a: number): number => S0c[(a - j0) * q + x];
    for (let i = 0; i < nre; i++) {
      const Ei = Es[i];
      let e = cursor[i];
      for (; e < Ei.a.length && Ei.b[e] < j1; e++) {
        const ae = Ei.a[e];
        const be = Ei.b[e];
        for (let j = i; j < nre; j++) {
          const Ej = Es[j];
          let s = 0;
          const sb = (be - j0) * q;
          const sa = (ae - j0) * q;
          for (let f = 0; f < Ej.a.length; f++) s += S0c[sb + Ej.a[f]] * S0c[sa + Ej.b[f]];
          Kre[i][j] += s;
        }
        // (S0 − AK S0)[b, a] = S0[b, a] − T[:, b] · S0[:, a]
        let s = col(be, ae);
        const tb = (be - j0) * q;
        const sa = (ae - j0) * q;
        for (let x = 0; x < q; x++) s -= Tc[tb + x] * S0c[sa + x];
        Kre[i][nre] += s;
      }
      cursor[i] = e;
    }
    si = sj;
  }
  const s4 = s2 * s2;
  const Kt = Kre.map((r) => r.map((v) => v / s4));
  for (let i = 0; i <= nre; i++) for (let j = 0; j < i; j++) Kt[i][j] = Kt[j][i];
  Kt[nre][nre] = (ctx.nInformative - 2 * trKA + trKAKA) / s4;
  return { Kt, P, Q };
}
