/**
 * The result of `gee`: the marginal model's coefficients with their model-based and robust
 * (sandwich) covariances, the scale and working-correlation parameters, and Wald tests that use
 * the robust covariance (as geepack's summary and anova do).
 */
import { DataError, OptionError } from '../errors';
import { choleskyLower, solveLower } from '../math/cholesky';
import { pchisqUpper } from '../math/pvalues';
import { formatNumbers, formatPval, printMatrix, roundR } from '../results/format';
import type { Corstr } from './options';

/** A Wald chi-square test of L β = 0 with the robust covariance. */
export interface GeeWaldTest {
  chisq: number;
  df: number;
  p: number;
}

/** One row of `anova()`: the joint Wald test that a term's coefficients are all 0. */
export interface GeeAnovaRow extends GeeWaldTest {
  term: string;
}

/** Everything a GeeFit is built from (plain data; see the field docs on GeeFit). */
export interface GeeFitData {
  formula: string;
  family: string;
  link: string;
  corstr: Corstr;
  id: string;
  waves: string | null;
  names: string[];
  beta: Float64Array;
  vcovNaive: Float64Array;
  vcovRobust: Float64Array;
  alpha: Float64Array;
  nWaves: number;
  /** Labels of waves 1..nWaves (the rows and columns of an unstructured alpha). */
  waveLabels: string[];
  scale: number;
  clusters: number;
  maxClusterSize: number;
  nobs: number;
  iterations: number;
  converged: boolean;
  messages: string[];
  /** Term labels of the formula and, per coefficient, the index of its term (-1: intercept). */
  termLabels: string[];
  assign: number[];
  backend: string;
}

const record = (names: readonly string[], v: (i: number) => number): Record<string, number> =>
  Object.fromEntries(names.map((n, i) => [n, v(i)]));

const toRows = (a: Float64Array, p: number): number[][] =>
  Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => a[i + j * p]));

export class GeeFit {
  /** The model formula. */
  readonly formula: string;
  /** Family and link names, as R spells them. */
  readonly family: string;
  readonly link: string;
  /** The working correlation structure. */
  readonly corstr: Corstr;
  /** Coefficient names, in model-matrix order. */
  readonly names: string[];
  /** Coefficients by name. */
  readonly fixef: Record<string, number>;
  /** Robust (sandwich) covariance, rows in `names` order: what `vcov(geeglm)` returns. */
  readonly vcov: number[][];
  /** Model-based covariance (geepack's vbeta.naiv): the inverse information, scale included. */
  readonly vcovModel: number[][];
  /** Model-based standard errors. */
  readonly se: Record<string, number>;
  /** Robust standard errors (geepack's "Std.err", san.se). */
  readonly robustSe: Record<string, number>;
  /**
   * Working correlation parameters: ρ for exchangeable and ar1, the full working correlation
   * matrix between waves for unstructured (unit diagonal), null for independence.
   */
  readonly alpha: number | number[][] | null;
  /** The scale φ, estimated by moments as geepack (Σ w r² / Σ w of the Pearson residuals). */
  readonly scale: number;
  /** Number of clusters, the largest cluster, and the observations used. */
  readonly clusters: number;
  readonly maxClusterSize: number;
  readonly nobs: number;
  /** Fisher-scoring iterations, and whether geepack's stopping rule was met. */
  readonly iterations: number;
  readonly converged: boolean;
  /** Warnings (non-convergence, dropped columns and rows). */
  readonly messages: string[];
  private readonly d: GeeFitData;

  constructor(d: GeeFitData) {
    this.d = d;
    const p = d.names.length;
    this.formula = d.formula;
    this.family = d.family;
    this.link = d.link;
    this.corstr = d.corstr;
    this.names = [...d.names];
    this.fixef = record(d.names, (i) => d.beta[i]);
    this.vcov = toRows(d.vcovRobust, p);
    this.vcovModel = toRows(d.vcovNaive, p);
    this.se = record(d.names, (i) => Math.sqrt(d.vcovNaive[i + i * p]));
    this.robustSe = record(d.names, (i) => Math.sqrt(d.vcovRobust[i + i * p]));
    this.alpha = alphaValue(d);
    this.scale = d.scale;
    this.clusters = d.clusters;
    this.maxClusterSize = d.maxClusterSize;
    this.nobs = d.nobs;
    this.iterations = d.iterations;
    this.converged = d.converged;
    this.messages = [...d.messages];
  }

  /**
   * Wald chi-square test of L β = 0 with the robust covariance: `L` a matrix (rows of length
   * p), one row, or a term label of the formula (all its coefficients at once).
   */
  waldTest(L: readonly (readonly number[])[] | readonly number[] | string): GeeWaldTest {
    const p = this.names.length;
    const rows: number[][] =
      typeof L === 'string'
        ? this.termRows(L)
        : L.length > 0 && Array.isArray(L[0])
          ? (L as number[][]).map((r) => [...r])
          : [[...(L as number[])]];
    if (
      rows.length === 0 ||
      rows.some((r) => r.length !== p || r.some((v) => !Number.isFinite(v)))
    ) {
      throw new OptionError(`must be rows of ${p} finite numbers (one per coefficient)`, 'L');
    }
    const k = rows.length;
    const lb = rows.map((r) => r.reduce((s, v, j) => s + v * this.d.beta[j], 0));
    const lvl = new Float64Array(k * k);
    const V = this.d.vcovRobust;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < p; i++) {
          if (rows[a][i] === 0) continue;
          for (let j = 0; j < p; j++) s += rows[a][i] * V[i + j * p] * rows[b][j];
        }
        lvl[a + b * k] = s;
      }
    const chol = choleskyLower(lvl, k);
    if (chol === null) {
      throw new DataError('the hypothesis matrix L has dependent rows (L V Lᵀ is singular)');
    }
    const x = Float64Array.from(lb);
    solveLower(chol, k, x);
    const chisq = x.reduce((s, v) => s + v * v, 0);
    return { chisq, df: k, p: pchisqUpper(chisq, k) };
  }

  /** Joint robust Wald tests, one per term of the formula (every coefficient of the term = 0). */
  anova(): GeeAnovaRow[] {
    return this.d.termLabels
      .filter((_, t) => this.d.assign.includes(t))
      .map((term) => ({ term, ...this.waldTest(term) }));
  }

  private termRows(term: string): number[][] {
    const t = this.d.termLabels.indexOf(term);
    if (t < 0 || !this.d.assign.includes(t)) {
      throw new OptionError(
        `'${term}' is not a term of the model (terms: ${this.d.termLabels.join(', ')})`,
        'term',
      );
    }
    const p = this.names.length;
    return this.d.assign.flatMap((a, j) =>
      a === t ? [Array.from({ length: p }, (_, i) => (i === j ? 1 : 0))] : [],
    );
  }

  /** A geepack-style summary: coefficients with robust SEs and Wald tests, scale, correlation. */
  summary(): string {
    const d = this.d;
    const p = d.names.length;
    const est = Array.from(d.beta);
    const se = d.names.map((n) => this.robustSe[n]);
    const wald = est.map((b, i) => (b / se[i]) ** 2);
    const pv = wald.map((w) => pchisqUpper(w, 1));
    const num = formatNumbers(
      [...est, ...se].map((v) => roundR(v, 6)),
      4,
    );
    const cells = d.names.map((_, i) => [
      num[i],
      num[p + i],
      formatNumbers([roundR(wald[i], 2)], 4)[0],
      formatPval([pv[i]], 3)[0],
    ]);
    const lines = [
      `GEE: ${d.formula}`,
      `  family ${d.family} (link ${d.link}), id ${d.id}${d.waves ? `, waves ${d.waves}` : ''}`,
      '',
      ' Coefficients:',
      printMatrix(cells, d.names, ['Estimate', 'Std.err', 'Wald', 'Pr(>|W|)'], { right: true }),
      `Correlation structure = ${d.corstr}`,
      `Estimated scale parameter: ${formatNumbers([d.scale], 4)[0]}`,
    ];
    if (this.alpha !== null) {
      const a = this.alpha;
      lines.push(
        typeof a === 'number'
          ? `Estimated correlation parameter (alpha): ${formatNumbers([a], 4)[0]}`
          : `Estimated working correlation (unstructured, by ${d.waves ?? 'position in the cluster'}):\n` +
              printMatrix(
                a.map((r) => formatNumbers(r, 4)),
                d.waveLabels,
                d.waveLabels,
                { right: true },
              ).trimEnd(),
      );
    }
    lines.push(
      `Number of clusters: ${d.clusters}   Maximum cluster size: ${d.maxClusterSize}   Observations: ${d.nobs}`,
      `Iterations: ${d.iterations}${d.converged ? '' : ' (not converged)'}`,
    );
    for (const m of d.messages) lines.push(`Note: ${m}`);
    return lines.join('\n') + '\n';
  }

  /** What `glmm gee --json` prints. */
  toJSON(): object {
    return {
      formula: this.formula,
      family: this.family,
      link: this.link,
      corstr: this.corstr,
      fixef: this.fixef,
      se: this.se,
      robustSe: this.robustSe,
      alpha: this.alpha,
      ...(this.corstr === 'unstructured' ? { alphaWaves: [...this.d.waveLabels] } : {}),
      scale: this.scale,
      clusters: this.clusters,
      maxClusterSize: this.maxClusterSize,
      nobs: this.nobs,
      iterations: this.iterations,
      converged: this.converged,
      vcov: this.vcov,
      vcovModel: this.vcovModel,
      messages: this.messages,
    };
  }
}

function alphaValue(d: GeeFitData): number | number[][] | null {
  if (d.corstr === 'independence') return null;
  if (d.corstr !== 'unstructured') return d.alpha[0];
  const W = d.nWaves;
  const out = Array.from({ length: W }, (_, i) =>
    Array.from({ length: W }, (_, j): number => (i === j ? 1 : 0)),
  );
  let m = 0;
  for (let a = 0; a < W; a++)
    for (let b = a + 1; b < W; b++) {
      out[a][b] = out[b][a] = d.alpha[m++];
    }
  return out;
}
