/**
 * Estimated marginal means of factor terms, as the emmeans package computes them for merMod
 * fits: the reference grid (src/inference/refgrid.ts), each mean the equally weighted average of
 * the grid's linear predictors over the other predictors (K'β, plus the formula's offset), its SE
 * from vcov(β), and, for `type: 'response'`, the inverse link with a delta-method SE and the
 * back-transformed link-scale interval (as emmeans' `type = "response"`). Pairs and other
 * contrasts are on the link scale, with Tukey-adjusted p-values by default for pairs.
 *
 * Degrees of freedom: 'asymptotic' (z intervals and tests, emmeans' `lmer.df = "asymptotic"`;
 * the default) and, for LMMs, 'satterthwaite' (emmeans' `lmer.df = "satterthwaite"`: each mean's
 * and each contrast's df from lmerTest's Satterthwaite formula for lᵀβ (satterthwaite1D), t
 * intervals and t tests, Tukey's adjustment through ptukey with that df) and 'kenward-roger'
 * (emmeans' default for LMMs, `lmer.df = "kenward-roger"`: pbkrtest's vcovAdj as the covariance
 * of β̂ and Lb_ddf's df per mean and per contrast, src/inference/kenwardroger.ts).
 */
import { OptionError } from '../errors';
import { makeLink } from '../model/links';
import { pnorm, qnorm } from '../math/distributions';
import { pTwoSidedT, qt } from '../math/pvalues';
import { ptukey } from '../math/ptukey';
import { checkChoice, checkKeys, checkNumber, checkRecord } from '../options';
import type { MerFit } from '../results/fit';
import { referenceGrid, type AtValue, type GridPredictor } from './refgrid';
import { checkDdf, testContext } from './ddf';
import { kenwardRoger, krTest } from './kenwardroger';
import { satterthwaite1D } from './satterthwaite';

export type EmmDfMethod = 'asymptotic' | 'satterthwaite' | 'kenward-roger';
export type PAdjust = 'tukey' | 'none' | 'bonferroni' | 'holm' | 'sidak' | 'fdr';

export interface EmmeansOptions {
  /** 'link' (default): the linear predictor; 'response': through the inverse link. */
  type?: 'link' | 'response';
  /** Fix predictors: a covariate's value(s), a subset of a factor's levels. */
  at?: Record<string, AtValue>;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /**
   * Degrees of freedom: 'asymptotic' (z; default), 'satterthwaite' (LMMs: t with lmerTest's
   * Satterthwaite df per mean and per contrast, as emmeans' `lmer.df = "satterthwaite"`) or
   * 'kenward-roger' (LMMs: pbkrtest's adjusted vcov and KR df, as `lmer.df = "kenward-roger"`).
   */
  df?: EmmDfMethod;
}

export interface EmmRow {
  /** The level of each factor of the spec. */
  levels: Record<string, string>;
  /** The levels joined by spaces, as emmeans prints a row. */
  level: string;
  /** On the requested scale. */
  estimate: number;
  se: number;
  df: number;
  lower: number;
  upper: number;
}

export interface ContrastRow {
  contrast: string;
  estimate: number;
  se: number;
  df: number;
  /** z (asymptotic df) or t ratio. */
  statistic: number;
  /** Two-sided p-value, adjusted as asked. */
  p: number;
}

export interface ContrastOptions {
  /** p-value adjustment; pairs default to 'tukey' (emmeans' default), other contrasts to 'none'. */
  adjust?: PAdjust;
  /** pairs(): later minus earlier level instead of earlier minus later (emmeans' revpairwise). */
  reverse?: boolean;
}

/** A contrast method of emmeans, or named coefficient vectors over the rows. */
export type ContrastMethod =
  | 'pairwise'
  | 'revpairwise'
  | 'trt.vs.ctrl'
  | 'eff'
  | Record<string, readonly number[]>;

const OPTION_KEYS = ['type', 'at', 'level', 'df'];
const ADJUSTS: PAdjust[] = ['tukey', 'none', 'bonferroni', 'holm', 'sidak', 'fdr'];

/** The marginal means of one spec: rows on the requested scale, contrasts on the link scale. */
export class EmmGrid {
  readonly term: string;
  readonly factors: string[];
  readonly type: 'link' | 'response';
  readonly dfMethod: EmmDfMethod;
  readonly confLevel: number;
  readonly rows: EmmRow[];
  /** Per row, the coefficients of β (fixefNames order) of its linear function. */
  readonly linfct: number[][];
  /** Per row, the estimate and SE on the link scale. */
  readonly linkEstimate: number[];
  readonly linkSe: number[];
  readonly #vcov: number[][];
  readonly #labels: string[];
  /** The df of a linear function of β (Infinity for 'asymptotic'). */
  readonly #dfOf: (k: number[]) => number;

  constructor(
    init: Omit<EmmGrid, 'pairs' | 'contrast' | 'toJSON'> & {
      vcov: number[][];
      labels: string[];
      dfOf?: (k: number[]) => number;
    },
  ) {
    this.term = init.term;
    this.factors = init.factors;
    this.type = init.type;
    this.dfMethod = init.dfMethod;
    this.confLevel = init.confLevel;
    this.rows = init.rows;
    this.linfct = init.linfct;
    this.linkEstimate = init.linkEstimate;
    this.linkSe = init.linkSe;
    this.#vcov = init.vcov;
    this.#labels = init.labels;
    this.#dfOf = init.dfOf ?? (() => Infinity);
  }

  /** All pairwise differences on the link scale (emmeans' pairs()), Tukey-adjusted by default. */
  pairs(options: ContrastOptions = {}): ContrastRow[] {
    checkRecord(options as unknown, 'pairs options');
    checkKeys(options as Record<string, unknown>, ['adjust', 'reverse'], 'pairs');
    return this.contrast(options.reverse === true ? 'revpairwise' : 'pairwise', {
      ...(options.adjust !== undefined && { adjust: options.adjust }),
    });
  }

  /**
   * Contrasts of the means on the link scale: 'pairwise' / 'revpairwise' (default adjust
   * 'tukey'), 'trt.vs.ctrl' (each level minus the first; default 'none' — emmeans' default
   * 'dunnettx' is not implemented), 'eff' (each level minus the average; default 'fdr'), or
   * named coefficient vectors (default 'none').
   */
  contrast(method: ContrastMethod = 'pairwise', options: ContrastOptions = {}): ContrastRow[] {
    checkRecord(options as unknown, 'contrast options');
    checkKeys(options as Record<string, unknown>, ['adjust', 'reverse'], 'contrast');
    checkChoice(options.adjust, 'adjust', ADJUSTS);
    const k = this.rows.length;
    const lab = this.#labels;
    const coefs: { name: string; c: number[] }[] = [];
    let adjust: PAdjust = 'none';
    let pairwise = false;
    if (method === 'pairwise' || method === 'revpairwise') {
      pairwise = true;
      adjust = 'tukey';
      for (let i = 0; i < k; i++) {
        for (let j = i + 1; j < k; j++) {
          const c = new Array<number>(k).fill(0);
          if (method === 'pairwise') {
            c[i] = 1;
            c[j] = -1;
            coefs.push({ name: `${lab[i]} - ${lab[j]}`, c });
          } else {
            c[j] = 1;
            c[i] = -1;
            coefs.push({ name: `${lab[j]} - ${lab[i]}`, c });
          }
        }
      }
      if (method === 'revpairwise') coefs.reverse();
    } else if (method === 'trt.vs.ctrl') {
      for (let i = 1; i < k; i++) {
        const c = new Array<number>(k).fill(0);
        c[i] = 1;
        c[0] = -1;
        coefs.push({ name: `${lab[i]} - ${lab[0]}`, c });
      }
    } else if (method === 'eff') {
      adjust = 'fdr';
      for (let i = 0; i < k; i++) {
        const c = new Array<number>(k).fill(-1 / k);
        c[i] += 1;
        coefs.push({ name: `${lab[i]} effect`, c });
      }
    } else if (method !== null && typeof method === 'object') {
      for (const [name, c] of Object.entries(method)) {
        if (!Array.isArray(c) || c.length !== k || c.some((x) => !Number.isFinite(x))) {
          throw new OptionError(`contrast '${name}' must be ${k} finite numbers`, 'method');
        }
        coefs.push({ name, c: c.slice() });
      }
    } else {
      throw new OptionError(
        `must be 'pairwise', 'revpairwise', 'trt.vs.ctrl', 'eff' or named coefficient vectors, not ${JSON.stringify(method)}`,
        'method',
      );
    }
    adjust = options.adjust ?? adjust;
    if (adjust === 'tukey' && !pairwise) adjust = 'sidak'; // as emmeans
    const p = this.linfct[0]?.length ?? 0;
    const rows = coefs.map(({ name, c }) => {
      const kk = new Array<number>(p).fill(0);
      let est = 0;
      for (let i = 0; i < k; i++) {
        if (c[i] === 0) continue;
        est += c[i] * this.linkEstimate[i];
        for (let j = 0; j < p; j++) kk[j] += c[i] * this.linfct[i][j];
      }
      const se = Math.sqrt(quadForm(kk, this.#vcov));
      const df = this.#dfOf(kk);
      const statistic = est / se;
      return {
        contrast: name,
        estimate: est,
        se,
        df,
        statistic,
        p: Number.isFinite(df) ? pTwoSidedT(statistic, df) : 2 * pnorm(-Math.abs(statistic)),
      };
    });
    const adjusted = adjustP(
      rows.map((r) => r.p),
      rows.map((r) => r.statistic),
      adjust,
      k,
      rows.map((r) => r.df),
    );
    return rows.map((r, i) => ({ ...r, p: adjusted[i] }));
  }

  /** {term, type, rows}: what `glmm fit --emmeans` prints (with the pairs beside it). */
  toJSON(): { term: string; type: 'link' | 'response'; rows: EmmRow[] } {
    return { term: this.term, type: this.type, rows: this.rows.map((r) => ({ ...r })) };
  }
}

function quadForm(k: readonly number[], v: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < k.length; i++) {
    if (k[i] === 0) continue;
    for (let j = 0; j < k.length; j++) s += k[i] * v[i][j] * k[j];
  }
  return Math.max(s, 0);
}

/** emmeans' p-value adjustments of a family of m tests (tukey: over `nmeans` means). */
function adjustP(
  p: number[],
  z: number[],
  adjust: PAdjust,
  nmeans: number,
  df: readonly number[],
): number[] {
  const m = p.length;
  switch (adjust) {
    case 'none':
      return p;
    case 'tukey':
      return z.map((t, i) => ptukey(Math.abs(t) * Math.SQRT2, nmeans, df[i], 1, false));
    case 'bonferroni':
      return p.map((x) => Math.min(1, m * x));
    case 'sidak':
      return p.map((x) => 1 - Math.pow(1 - x, m));
    case 'holm': {
      const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
      const out = new Array<number>(m);
      let run = 0;
      order.forEach((i, r) => {
        run = Math.max(run, Math.min(1, (m - r) * p[i]));
        out[i] = run;
      });
      return out;
    }
    case 'fdr': {
      const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
      const out = new Array<number>(m);
      let run = 1;
      order.forEach((i, r) => {
        run = Math.min(run, (m / (m - r)) * p[i]);
        out[i] = Math.min(1, run);
      });
      return out;
    }
  }
}

/** Names of the spec: 'A', 'A:B', 'A*B', '~ A | B' is not supported; or an array of names. */
function specFactors(spec: string | readonly string[]): string[] {
  if (Array.isArray(spec)) return spec.map(String);
  if (typeof spec !== 'string') {
    throw new OptionError('must be a term such as "period" or "A:B", or an array of names', 'spec');
  }
  const text = spec.trim().replace(/^~\s*/, '');
  if (text.includes('|')) {
    throw new OptionError("'|' (by groups) is not supported: give the factors, e.g. 'A:B'", 'spec');
  }
  const names = text
    .split(/[:*+]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new OptionError('names no factor', 'spec');
  return names;
}

function parseOptions(options: EmmeansOptions): Required<Omit<EmmeansOptions, 'at'>> & {
  at: Record<string, AtValue>;
} {
  checkRecord(options as unknown, 'emmeans options');
  checkKeys(options as Record<string, unknown>, OPTION_KEYS, 'emmeans');
  checkChoice(options.type, 'type', ['link', 'response']);
  checkChoice(typeof options.df === 'string' ? options.df.toLowerCase() : options.df, 'df', [
    'asymptotic',
    'satterthwaite',
    'kenward-roger',
  ]);
  checkNumber(options.level, 'level', { min: 0, max: 1, exclusiveMin: true });
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new OptionError('must be between 0 and 1', 'level');
  if (options.at !== undefined) checkRecord(options.at as unknown, 'at');
  return {
    type: options.type ?? 'link',
    at: options.at ?? {},
    level,
    df: (options.df?.toLowerCase() as EmmDfMethod | undefined) ?? 'asymptotic',
  };
}

/** A label for the contrasts: numeric-looking levels get the factor's name (emmeans ≥ 1.8). */
function contrastLabel(p: GridPredictor, label: string): string {
  const numeric = p.labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric ? `${p.name}${label}` : label;
}

/** `fit.emmeans(spec, options)`. */
export function emmeansFit(
  fit: MerFit,
  spec: string | readonly string[],
  options: EmmeansOptions = {},
): EmmGrid {
  const opts = parseOptions(options);
  const names = specFactors(spec);
  const schema = fit.model.frame.schema;
  const grid = referenceGrid(schema, opts.at);
  const positions = names.map((name) => {
    const k = grid.predictors.findIndex((p) => p.name === name);
    if (k < 0) {
      throw new OptionError(
        `'${name}' is not a predictor of the fixed effects (they are: ${grid.predictors.map((p) => p.name).join(', ') || 'none'})`,
        'spec',
      );
    }
    return k;
  });
  if (new Set(positions).size !== positions.length)
    throw new OptionError('names a factor twice', 'spec');
  const specPreds = positions.map((k) => grid.predictors[k]);
  const p = fit.fixefNames.length;
  const beta = fit.fixefNames.map((n) => fit.fixef[n]);
  // the spec cells, first factor fastest (emmeans' order)
  const sizes = specPreds.map((q) => q.labels.length);
  const cells = sizes.reduce((a, b) => a * b, 1);
  const sums = Array.from({ length: cells }, () => new Float64Array(p));
  const offsetSums = new Float64Array(cells);
  const counts = new Float64Array(cells);
  for (let r = 0; r < grid.n; r++) {
    let cell = 0;
    let stride = 1;
    positions.forEach((k, s) => {
      cell += grid.index[k][r] * stride;
      stride *= sizes[s];
    });
    for (let j = 0; j < p; j++) sums[cell][j] += grid.X[r + j * grid.n];
    if (grid.offset !== null) offsetSums[cell] += grid.offset[r];
    counts[cell] += 1;
  }
  const link = makeLink(fit.link);
  const z = qnorm(1 - (1 - opts.level) / 2);
  const { vcov, dfOf } = emmDf(fit, opts.df, beta);
  const linfct: number[][] = [];
  const linkEstimate: number[] = [];
  const linkSe: number[] = [];
  const rows: EmmRow[] = [];
  const labels: string[] = [];
  for (let c = 0; c < cells; c++) {
    const k = Array.from(sums[c], (x) => x / counts[c]);
    let eta = offsetSums[c] / counts[c];
    for (let j = 0; j < p; j++) eta += k[j] * beta[j];
    const se = Math.sqrt(quadForm(k, vcov));
    const df = dfOf(k);
    const crit = Number.isFinite(df) ? qt(1 - (1 - opts.level) / 2, df) : z;
    linfct.push(k);
    linkEstimate.push(eta);
    linkSe.push(se);
    const levels: Record<string, string> = {};
    const parts: string[] = [];
    const cparts: string[] = [];
    let rest = c;
    specPreds.forEach((q, s) => {
      const i = rest % sizes[s];
      rest = Math.floor(rest / sizes[s]);
      levels[q.name] = q.labels[i];
      parts.push(q.labels[i]);
      cparts.push(contrastLabel(q, q.labels[i]));
    });
    labels.push(cparts.join(' '));
    let lo = eta - crit * se;
    let hi = eta + crit * se;
    let estimate = eta;
    let seOut = se;
    if (opts.type === 'response' && fit.link !== 'identity') {
      estimate = link.linkinv(eta);
      seOut = se * Math.abs(link.muEta(eta));
      const a = link.linkinv(lo);
      const b = link.linkinv(hi);
      lo = Math.min(a, b);
      hi = Math.max(a, b);
    }
    rows.push({
      levels,
      level: parts.join(' '),
      estimate,
      se: seOut,
      df,
      lower: lo,
      upper: hi,
    });
  }
  return new EmmGrid({
    term: names.join(':'),
    factors: names,
    type: opts.type,
    dfMethod: opts.df,
    confLevel: opts.level,
    rows,
    linfct,
    linkEstimate,
    linkSe,
    vcov,
    labels,
    dfOf,
  });
}

/**
 * The CLI's `--ddf` as the df of `--emmeans`: Satterthwaite and Kenward-Roger carry over
 * ('none' and no --ddf give the asymptotic z), so one flag chooses the df of every t test.
 */
export function emmDfFromDdf(ddf: string | undefined): EmmDfMethod {
  if (ddf === undefined) return 'asymptotic';
  const m = checkDdf(ddf);
  return m === 'Satterthwaite'
    ? 'satterthwaite'
    : m === 'Kenward-Roger'
      ? 'kenward-roger'
      : 'asymptotic';
}

/**
 * The covariance of β̂ and the df of lᵀβ for a df method, as emmeans' lmer.df: 'asymptotic'
 * (vcov, z), 'satterthwaite' (lmerTest's df for lᵀβ) and 'kenward-roger' (pbkrtest's vcovAdj as
 * the covariance, df from Lb_ddf(l, vcov(fit), vcovAdj); for an ML fit vcovAdj comes from the
 * REML refit while the estimates and V0 stay the fit's own, as emmeans does).
 */
function emmDf(
  fit: MerFit,
  method: EmmDfMethod,
  beta: number[],
): { vcov: number[][]; dfOf: (k: number[]) => number } {
  if (method === 'asymptotic') return { vcov: fit.vcov, dfOf: () => Infinity };
  if (fit.model.kind !== 'lmm' || fit.method === 'PQL') {
    throw new OptionError(
      `'${method}' applies to linear mixed models; GLMM means use 'asymptotic' (z) df`,
      'df',
    );
  }
  if (method === 'satterthwaite') {
    const derivatives = testContext(fit).derivatives();
    return { vcov: fit.vcov, dfOf: (k) => satterthwaite1D(k, beta, derivatives).df };
  }
  const kr = kenwardRoger(fit);
  const V0 = fit.vcov;
  return {
    vcov: kr.vcovAdj,
    dfOf: (k) => (k.every((x) => x === 0) ? NaN : krTest([k], kr, V0).denDF),
  };
}

/** A JSON number: non-finite values as the strings "Inf", "-Inf", "NaN" (as the fit's JSON). */
function jsonNumber(x: number): number | 'Inf' | '-Inf' | 'NaN' {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
}

/** The `emmeans` key of `glmm fit --emmeans TERM --json`: means on the requested scale, pairs on the link scale. */
export function emmeansReport(
  fit: MerFit,
  term: string,
  type: 'link' | 'response' = 'link',
  df: EmmDfMethod = 'asymptotic',
): {
  term: string;
  type: 'link' | 'response';
  df: EmmDfMethod;
  rows: { level: string; estimate: number; se: number; lower: number; upper: number }[];
  pairs: {
    contrast: string;
    estimate: number;
    se: number;
    df: number | string;
    statistic: number;
    p: number;
  }[];
  adjust: PAdjust;
} {
  const g = fit.emmeans(term, { type, df });
  return {
    term: g.term,
    type: g.type,
    df: g.dfMethod,
    rows: g.rows.map((r) => ({
      level: r.level,
      estimate: r.estimate,
      se: r.se,
      lower: r.lower,
      upper: r.upper,
    })),
    pairs: g.pairs().map((r) => ({ ...r, df: jsonNumber(r.df) })),
    adjust: 'tukey',
  };
}

/** The means and pairs as text (after the summary of `glmm fit --emmeans TERM`). */
export function formatEmmeans(report: ReturnType<typeof emmeansReport>): string {
  const f = (x: number): string =>
    Math.abs(x) >= 1e-4 || x === 0 ? x.toPrecision(4) : x.toExponential(2);
  const table = (head: string[], rows: string[][]): string => {
    const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
    const line = (r: string[]): string =>
      r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ');
    return [line(head), ...rows.map(line)].join('\n') + '\n';
  };
  const scale =
    report.type === 'response' ? 'response scale (back-transformed intervals)' : 'link scale';
  return (
    `\nEstimated marginal means of ${report.term} (${scale}; ${report.df} df):\n` +
    table(
      [report.term, 'estimate', 'SE', 'lower.CL', 'upper.CL'],
      report.rows.map((r) => [r.level, f(r.estimate), f(r.se), f(r.lower), f(r.upper)]),
    ) +
    (report.pairs.length === 0
      ? ''
      : `\nPairwise differences (link scale; Tukey-adjusted p):\n` +
        table(
          [
            'contrast',
            'estimate',
            'SE',
            'df',
            report.df === 'asymptotic' ? 'z.ratio' : 't.ratio',
            'p.value',
          ],
          report.pairs.map((r) => [
            r.contrast,
            f(r.estimate),
            f(r.se),
            typeof r.df === 'number' ? r.df.toFixed(2) : r.df,
            r.statistic.toFixed(3),
            f(r.p),
          ]),
        ))
  );
}
