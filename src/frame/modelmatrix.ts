/**
 * Model matrices as R's model.matrix builds them (column order, names, contrast-vs-dummy choice
 * per factor per term), and the rank check lme4 applies to X (chkRank.drop.cols: R's qr with
 * LINPACK dqrdc2 limited pivoting, tolerance 1e-7).
 */
import type { TermSet } from '../formula/terms';
import { accurateMean } from '../math/mean';
import { codingColumn, dummyCoding, treatmentCoding, type Coding } from './contrasts';
import type { Factor } from './factor';

/** A variable's value on the kept rows. */
export type FrameValue =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'factor'; factor: Factor };

/** Columns of a model matrix with R's names. */
export interface ModelMatrix {
  columns: Float64Array[];
  names: string[];
  /** Term index per column (-1 for the intercept), as R's "assign" attribute minus one. */
  assign: number[];
}

function isSubset(a: number[], b: number[]): boolean {
  return a.every((x) => b.includes(x));
}

/**
 * R's TermCode: a factor in a term is coded by contrasts (1) when the term without it is empty
 * or contained in a preceding term, else by dummy indicators (2).
 */
function termCodes(set: TermSet, values: FrameValue[]): number[][] {
  const codes = set.terms.map((t, j) =>
    t.map((v) => {
      const rest = t.filter((x) => x !== v);
      if (rest.length === 0) return 1;
      for (let s = 0; s < j; s++) if (isSubset(rest, set.terms[s])) return 1;
      return 2;
    }),
  );
  if (!set.intercept) {
    // R's modelmatrix: without an intercept the first factor of the first term with a factor
    // gets full dummy coding.
    outer: for (let j = 0; j < set.terms.length; j++) {
      const t = set.terms[j];
      for (let k = 0; k < t.length; k++) {
        const val = values[t[k]];
        if (val.kind === 'factor' && val.factor.levels.length > 1) {
          codes[j][k] = 2;
          break outer;
        }
      }
    }
  }
  return codes;
}

/** Builds the model matrix of a term set; `values[k]` is variable k on the n kept rows. */
export function modelMatrix(set: TermSet, values: FrameValue[], n: number): ModelMatrix {
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const assign: number[] = [];
  if (set.intercept) {
    columns.push(new Float64Array(n).fill(1));
    names.push('(Intercept)');
    assign.push(-1);
  }
  const codes = termCodes(set, values);
  set.terms.forEach((t, j) => {
    let combos: { name: string; col: Float64Array | null }[] = [{ name: '', col: null }];
    t.forEach((v, k) => {
      const variable = set.variables[v].name;
      const val = values[v];
      let pieces: { name: string; col: Float64Array }[];
      if (val.kind === 'numeric') {
        pieces = [{ name: variable, col: val.values }];
      } else {
        const coding: Coding =
          codes[j][k] === 1 ? treatmentCoding(val.factor, variable) : dummyCoding(val.factor);
        pieces = coding.names.map((suffix, c) => ({
          name: variable + suffix,
          col: codingColumn(val.factor, coding, c),
        }));
      }
      const next: { name: string; col: Float64Array | null }[] = [];
      for (const p of pieces) {
        for (const e of combos) {
          let col: Float64Array;
          if (e.col === null) col = p.col;
          else {
            col = new Float64Array(n);
            for (let i = 0; i < n; i++) col[i] = e.col[i] * p.col[i];
          }
          next.push({ name: e.name === '' ? p.name : `${e.name}:${p.name}`, col });
        }
      }
      combos = next;
    });
    for (const c of combos) {
      columns.push(c.col === null ? new Float64Array(n).fill(1) : Float64Array.from(c.col));
      names.push(c.name);
      assign.push(j);
    }
  });
  return { columns, names, assign };
}

/** The columns with their means removed, when one of them is all ones (else as given). */
function centredOnIntercept(columns: Float64Array[]): Float64Array[] {
  const k0 = columns.findIndex((c) => c.every((v) => v === 1));
  if (k0 < 0) return columns;
  return columns.map((c, j) => {
    if (j === k0) return c;
    const m = accurateMean(c);
    return c.map((v) => v - m);
  });
}

function norm2(x: Float64Array, from: number): number {
  // dnrm2-style scaled norm to avoid overflow
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < x.length; i++) {
    const v = x[i];
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else ssq += (a / scale) * (a / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * R's qr(X, tol, LAPACK = FALSE) (LINPACK dqrdc2 with limited column pivoting): returns the rank
 * and the pivot order; columns with negligible remaining norm are moved to the end.
 */
export function qrRankPivot(
  columns: Float64Array[],
  tol = 1e-7,
): { rank: number; pivot: number[] } {
  const p = columns.length;
  const n = p === 0 ? 0 : columns[0].length;
  const x = columns.map((c) => Float64Array.from(c));
  const qraux = new Float64Array(p);
  const work1 = new Float64Array(p);
  const work2 = new Float64Array(p);
  const jpvt = columns.map((_, j) => j);
  for (let j = 0; j < p; j++) {
    qraux[j] = norm2(x[j], 0);
    work1[j] = qraux[j];
    work2[j] = qraux[j] === 0 ? 1 : qraux[j];
  }
  const lup = Math.min(n, p);
  let k = p + 1; // 1-based as in the Fortran
  for (let l = 0; l < lup; l++) {
    // l is 0-based; Fortran l1 = l + 1
    while (l + 1 < k && qraux[l] < work2[l] * tol) {
      const col = x[l];
      const piv = jpvt[l];
      const q = qraux[l];
      const w1 = work1[l];
      const w2 = work2[l];
      for (let j = l + 1; j < p; j++) {
        x[j - 1] = x[j];
        jpvt[j - 1] = jpvt[j];
        qraux[j - 1] = qraux[j];
        work1[j - 1] = work1[j];
        work2[j - 1] = work2[j];
      }
      x[p - 1] = col;
      jpvt[p - 1] = piv;
      qraux[p - 1] = q;
      work1[p - 1] = w1;
      work2[p - 1] = w2;
      k--;
    }
    if (l === n - 1) break;
    const xl = x[l];
    let nrmxl = norm2(xl, l);
    if (nrmxl === 0) continue;
    if (xl[l] !== 0) nrmxl = Math.abs(nrmxl) * Math.sign(xl[l]);
    for (let i = l; i < n; i++) xl[i] /= nrmxl;
    xl[l] = 1 + xl[l];
    for (let j = l + 1; j < p; j++) {
      const xj = x[j];
      let dot = 0;
      for (let i = l; i < n; i++) dot += xl[i] * xj[i];
      const t = -dot / xl[l];
      for (let i = l; i < n; i++) xj[i] += t * xl[i];
      if (qraux[j] === 0) continue;
      let tt = 1 - (Math.abs(xj[l]) / qraux[j]) ** 2;
      tt = Math.max(tt, 0);
      if (Math.abs(tt) < 1e-6) {
        qraux[j] = norm2(xj, l + 1);
        work1[j] = qraux[j];
      } else {
        qraux[j] = qraux[j] * Math.sqrt(tt);
      }
    }
    qraux[l] = xl[l];
    xl[l] = -nrmxl;
  }
  const rank = Math.min(k - 1, n);
  return { rank, pivot: jpvt };
}

/**
 * lme4's chkRank.drop.cols: indices (in order) of the columns to keep and to drop. With an
 * intercept, the other columns are centred first (the column space is the same), so that a
 * covariate shifted by a large constant (x + 1e9) is not mistaken for a copy of the intercept.
 */
export function rankKeep(columns: Float64Array[], tol = 1e-7): { keep: number[]; drop: number[] } {
  const p = columns.length;
  if (p === 0) return { keep: [], drop: [] };
  const { rank, pivot } = qrRankPivot(centredOnIntercept(columns), tol);
  if (rank === p) return { keep: pivot.slice().sort((a, b) => a - b), drop: [] };
  const keep = pivot.slice(0, rank).sort((a, b) => a - b);
  const drop = pivot.slice(rank).sort((a, b) => a - b);
  return { keep, drop };
}
