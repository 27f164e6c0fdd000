/**
 * The random-effects parameters on lme4's profile scale ("sdcor"): for each random-effects term
 * (in lme4's order) the standard deviations on the diagonal and the correlations below it, the
 * lower triangle column by column (lme4's `Cv_to_Sv` / `Sv_to_Cv`), named `.sig01`, `.sig02`, ...
 * as `confint(m)` names them (oldNames = TRUE), followed by `.sigma` when there is a scale.
 */
import type { ReStructure } from '../model/reblocks';

/** One lme4 random-effects term: its size and its θ indices (lower triangle, column-major). */
export interface SdcorTerm {
  v: number;
  thetaIndex: number[];
}

/** The lme4 terms of a random-effects structure, in lme4's order. */
export function sdcorTerms(re: ReStructure): SdcorTerm[] {
  const terms: { order: number; term: SdcorTerm }[] = [];
  for (const b of re.blocks) {
    for (const t of b.terms) {
      const inside = b.slots.filter(
        (s) => s.row >= t.start && s.row < t.end && s.col >= t.start && s.col < t.end,
      );
      const thetaIndex = inside.map((s) => s.thetaIndex).sort((x, y) => x - y);
      terms.push({ order: t.lme4Order, term: { v: t.end - t.start, thetaIndex } });
    }
  }
  terms.sort((a, b) => a.order - b.order);
  return terms.map((t) => t.term);
}

/** Whether position k (0-based) of a v×v lower triangle (column-major) is on the diagonal. */
export function diagonalPositions(v: number): boolean[] {
  const out: boolean[] = [];
  for (let j = 0; j < v; j++) for (let i = j; i < v; i++) out.push(i === j);
  return out;
}

/** Per sdcor parameter, whether it is a standard deviation (else a correlation). */
export function sdcorIsSd(terms: readonly SdcorTerm[]): boolean[] {
  return terms.flatMap((t) => diagonalPositions(t.v));
}

/** lme4's `.sig01`, `.sig02`, ... names (and `.sigma` when `useSc`). */
export function sdcorNames(nTheta: number, useSc: boolean): string[] {
  const names = Array.from({ length: nTheta }, (_, i) => `.sig${String(i + 1).padStart(2, '0')}`);
  if (useSc) names.push('.sigma');
  return names;
}

/** Σ's standard deviations and correlations from θ (relative factor) and the scale s. */
export function thetaToSdcor(
  terms: readonly SdcorTerm[],
  theta: ArrayLike<number>,
  s: number,
): number[] {
  const out = new Array<number>(theta.length).fill(0);
  for (const t of terms) {
    const v = t.v;
    const L = new Float64Array(v * v);
    let k = 0;
    for (let j = 0; j < v; j++) for (let i = j; i < v; i++) L[i + j * v] = theta[t.thetaIndex[k++]];
    const cov = (i: number, j: number): number => {
      let x = 0;
      for (let r = 0; r <= Math.min(i, j); r++) x += L[i + r * v] * L[j + r * v];
      return x * s * s;
    };
    const sd = Array.from({ length: v }, (_, i) => Math.sqrt(cov(i, i)));
    k = 0;
    for (let j = 0; j < v; j++) {
      for (let i = j; i < v; i++) {
        const d = sd[i] * sd[j];
        out[t.thetaIndex[k++]] = i === j ? sd[i] : d > 0 ? cov(i, j) / d : 0;
      }
    }
  }
  return out;
}

/** θ from standard deviations and correlations (the inverse of thetaToSdcor). */
export function sdcorToTheta(
  terms: readonly SdcorTerm[],
  sdcor: ArrayLike<number>,
  s: number,
): number[] {
  const out = new Array<number>(sdcor.length).fill(0);
  for (const t of terms) {
    const v = t.v;
    const sd = new Float64Array(v);
    const cor = new Float64Array(v * v);
    let k = 0;
    for (let j = 0; j < v; j++) {
      for (let i = j; i < v; i++) {
        const x = sdcor[t.thetaIndex[k++]];
        if (i === j) sd[i] = x;
        else cor[i + j * v] = x;
      }
    }
    // Σ/s² and its Cholesky factor (semidefinite allowed: a zero pivot gives a zero column).
    const a = new Float64Array(v * v);
    for (let j = 0; j < v; j++) {
      for (let i = j; i < v; i++) {
        const r = i === j ? 1 : cor[i + j * v];
        a[i + j * v] = (r * sd[i] * sd[j]) / (s * s);
      }
    }
    const L = new Float64Array(v * v);
    for (let j = 0; j < v; j++) {
      let d = a[j + j * v];
      for (let r = 0; r < j; r++) d -= L[j + r * v] ** 2;
      const ljj = d > 0 ? Math.sqrt(d) : 0;
      L[j + j * v] = ljj;
      for (let i = j + 1; i < v; i++) {
        let x = a[i + j * v];
        for (let r = 0; r < j; r++) x -= L[i + r * v] * L[j + r * v];
        L[i + j * v] = ljj > 0 ? x / ljj : 0;
      }
    }
    k = 0;
    for (let j = 0; j < v; j++) for (let i = j; i < v; i++) out[t.thetaIndex[k++]] = L[i + j * v];
  }
  return out;
}
