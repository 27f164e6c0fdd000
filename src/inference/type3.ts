/**
 * Type-3 hypothesis matrices per fixed-effects term, as lmerTest's get_contrasts_type3 /
 * extract_contrasts_type3 for treatment contrasts:
 * - rdX, the "rank-deficient" design: the intercept and every term coded by full indicators
 *   (`model.matrix(~ 0 + term)` per term);
 * - L = (X⁺ rdX)ᵀ: each rdX column in X's coefficients, zapsmall'ed;
 * - for terms by decreasing order, the columns of a term are replaced by their residuals on the
 *   columns of the terms that contain it (same factors plus more, same numeric variables);
 * - the rows named as X's columns, then per term its columns transposed (rows ≈ 0 dropped).
 * A model with one term (or p ≤ 1) uses the type-1 matrices (rows of the Doolittle factor of
 * XᵀX), as lmerTest does.
 *
 * X⁺ rdX is computed on a grid of every combination of the factors' levels (and two values of
 * each numeric variable) instead of the training rows: for a model where every term's margins
 * are in the model (the usual case) each rdX column is exactly a combination of X's columns, so
 * the result is the same as lmerTest's whatever the data; for a model that leaves out a margin
 * lmerTest's L depends on the data and this one does not.
 */
import { ModelSpecError } from '../errors';
import type { Factor } from '../frame/factor';
import { modelMatrix, type FrameValue } from '../frame/modelmatrix';
import type { ModelFrame } from '../frame/types';
import { parseFormula } from '../formula/parse';
import { expandTerms, type TermSet } from '../formula/terms';
import { residualize, solveSpd, zapsmall, type Matrix } from './linalg';

export interface TermHypothesis {
  term: string;
  /** Rows of length p (X's columns). */
  L: Matrix;
}

const MAX_GRID = 200_000;

/** The type-3 hypothesis matrix of each fixed-effects term (term-label order). */
export function type3Hypotheses(frame: ModelFrame): TermHypothesis[] {
  const schema = frame.schema;
  const p = frame.xNames.length;
  const labels = schema.termLabels;
  const cols = labels.map((_, t) => schema.assign.flatMap((a, j) => (a === t ? [j] : [])));
  if (p <= 1 || labels.length <= 1) return type1Hypotheses(frame, cols);

  const set = expandTerms(parseFormula(schema.formula)).fixed;
  if (set.labels.join('\u0000') !== labels.join('\u0000')) {
    throw new ModelSpecError(`the formula's terms ${set.labels.join(', ')} do not match the fit's`);
  }
  // grid over the variables
  const kinds = set.variables.map((v) => schema.factorLevels[v.name] ?? null);
  const sizes = kinds.map((lv) => (lv ? lv.length : 2));
  const N = sizes.reduce((a, b) => a * b, 1);
  if (N > MAX_GRID) {
    throw new ModelSpecError(
      `type-3 contrasts: the grid of factor levels has ${N} cells (more than ${MAX_GRID})`,
    );
  }
  const values: FrameValue[] = set.variables.map((_, k) => {
    const stride = sizes.slice(k + 1).reduce((a, b) => a * b, 1);
    const idx = (i: number): number => Math.floor(i / stride) % sizes[k];
    const lv = kinds[k];
    if (lv) {
      const codes = new Int32Array(N);
      for (let i = 0; i < N; i++) codes[i] = idx(i);
      const factor: Factor = { codes, levels: lv };
      return { kind: 'factor', factor };
    }
    const v = new Float64Array(N);
    for (let i = 0; i < N; i++) v[i] = idx(i) === 0 ? 1 : 2.5;
    return { kind: 'numeric', values: v };
  });
  const mm = modelMatrix(set, values, N);
  if (mm.names.join('\u0000') !== schema.allColumns.join('\u0000')) {
    throw new ModelSpecError(
      'type-3 contrasts: the model matrix on the grid does not match the fit',
    );
  }
  const X = schema.kept.map((j) => mm.columns[j]);
  // rdX
  const rdCols: Float64Array[] = [];
  const rdNames: string[] = [];
  if (set.intercept) {
    rdCols.push(new Float64Array(N).fill(1));
    rdNames.push('(Intercept)');
  }
  set.terms.forEach((t, j) => {
    const one: TermSet = {
      variables: set.variables,
      intercept: false,
      terms: [t],
      labels: [set.labels[j]],
    };
    const m = modelMatrix(one, values, N);
    rdCols.push(...m.columns);
    rdNames.push(...m.names);
  });
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < N; i++) s += a[i] * b[i];
    return s;
  };
  const xtx = X.map((a) => X.map((b) => dot(a, b)));
  const xtr = X.map((a) => rdCols.map((b) => dot(a, b)));
  const coef = solveSpd(xtx, xtr);
  if (!coef)
    throw new ModelSpecError('type-3 contrasts: the model matrix is rank deficient on the grid');
  // L: r × p
  let L: Matrix = zapsmall(rdCols.map((_, r) => X.map((_, c) => coef[c][r])));
  // containment
  const numericVars = (t: number[]): number[] => t.filter((v) => kinds[v] === null);
  const contains = (a: number[], b: number[]): boolean =>
    a.every((v) => b.includes(v)) &&
    b.some((v) => !a.includes(v)) &&
    numericVars(a).length === numericVars(b).length &&
    numericVars(a).every((v) => b.includes(v));
  const order = labels
    .map((_, t) => t)
    .sort((a, b) => set.terms[b].length - set.terms[a].length || a - b);
  for (const t of order) {
    const containing = labels.map((_, u) => u).filter((u) => contains(set.terms[t], set.terms[u]));
    if (containing.length === 0) continue;
    const xc = containing.flatMap((u) => cols[u]);
    const xm = L.map((row) => xc.map((c) => row[c]));
    const ym = L.map((row) => cols[t].map((c) => row[c]));
    const res = zapsmall(residualize(xm, ym));
    L = L.map((row, r) => {
      const out = row.slice();
      cols[t].forEach((c, k) => (out[c] = res[r][k]));
      return out;
    });
  }
  const rowOf = frame.xNames.map((name) => {
    const r = rdNames.indexOf(name);
    if (r < 0)
      throw new ModelSpecError(
        `type-3 contrasts: column '${name}' has no full-indicator counterpart`,
      );
    return r;
  });
  return labels.map((term, t) => ({
    term,
    L: cols[t]
      .map((c) => rowOf.map((r) => L[r][c]))
      .filter((row) => row.reduce((s, v) => s + Math.abs(v), 0) > 1e-8),
  }));
}

/** lmerTest's get_contrasts_type1: rows of t(doolittle(XᵀX)$L) per term. */
function type1Hypotheses(frame: ModelFrame, cols: number[][]): TermHypothesis[] {
  const { n, X, xNames, schema } = frame;
  const p = xNames.length;
  const a = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += X[i * n + r] * X[j * n + r];
      return s;
    }),
  );
  // A = L D Lᵀ, L unit lower triangular
  const Lw: Matrix = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => (i === j ? 1 : 0) as number),
  );
  const D = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= Lw[j][k] * Lw[j][k] * D[k];
    D[j] = d;
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= Lw[i][k] * Lw[j][k] * D[k];
      Lw[i][j] = Math.abs(d) > 1e-300 ? s / d : 0;
    }
  }
  // row c of t(L) is column c of L
  return schema.termLabels.map((term, t) => ({
    term,
    L: cols[t].map((c) => Array.from({ length: p }, (_, i) => Lw[i][c])),
  }));
}
