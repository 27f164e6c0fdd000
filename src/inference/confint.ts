/**
 * `fit.confint({ method, level })`, as lme4's `confint.merMod`: Wald intervals for the fixed
 * effects (with NA rows for the variance parameters, as lme4 prints them), profile-likelihood
 * intervals for every parameter (see profile.ts), and percentile intervals of a parametric
 * bootstrap (see bootstrap.ts; in this thread; `bootstrapConfint` runs it in workers).
 */
import { rejectPql } from '../model/pqlguard';
import { OptionError } from '../errors';
import { qnorm } from '../math/distributions';
import { checkChoice, checkKeys, checkNumber, checkRecord } from '../options';
import type { MerFit } from '../results/fit';
import { bootstrapConfintSync } from './bootstrap';
import { profileIntervals } from './profile';
import { sdcorNames } from './sdcor';

export type ConfintMethod = 'Wald' | 'profile' | 'boot';

export interface ConfintOptions {
  /** 'profile' (lme4's default), 'Wald' or 'boot' (percentile parametric bootstrap). */
  method?: ConfintMethod;
  /** 'boot': number of simulations (default 500, as lme4) and the seed (default 1). */
  nsim?: number;
  seed?: number;
  /** Confidence level, default 0.95. */
  level?: number;
  /** Parameters to report (lme4's names: `.sig01`, `.sigma`, coefficient names); default all. */
  parm?: string[];
}

/** One row of `confint(m)`; NaN stands for R's NA (variance parameters of Wald intervals). */
export interface ConfintRow {
  parameter: string;
  lower: number;
  upper: number;
}

const METHODS: readonly ConfintMethod[] = ['Wald', 'profile', 'boot'];

/** Whether the fit has a residual scale (lme4's useSc: LMMs and GLMMs with a dispersion). */
function useScale(fit: MerFit): boolean {
  return fit.family === 'gaussian' || fit.family === 'Gamma' || fit.family === 'inverse.gaussian';
}

/** lme4's parameter names for confint: .sig01, ..., [.sigma], coefficient names. */
export function confintNames(fit: MerFit): string[] {
  return [...sdcorNames(fit.theta.length, useScale(fit)), ...fit.fixefNames];
}

export function confint(fit: MerFit, opts: ConfintOptions = {}): ConfintRow[] {
  const raw: unknown = opts;
  checkRecord(raw, 'confint');
  checkKeys(raw, ['method', 'level', 'parm', 'nsim', 'seed'], 'confint');
  checkChoice(raw.method, 'method', METHODS);
  checkNumber(raw.level, 'level', { min: 0, max: 1, exclusiveMin: true });
  const options = opts;
  const level = options.level ?? 0.95;
  if (level >= 1) throw new OptionError('must be below 1', 'level');
  const method = options.method ?? 'profile';
  if (method !== 'Wald') rejectPql(fit, `confint method '${method}'`);
  const names = confintNames(fit);
  let parm = names;
  if (options.parm !== undefined) {
    if (!Array.isArray(options.parm)) {
      throw new OptionError('must be an array of parameter names', 'parm');
    }
    for (const p of options.parm) {
      if (!names.includes(p)) {
        throw new OptionError(
          `unknown parameter '${String(p)}' (one of: ${names.join(', ')})`,
          'parm',
        );
      }
    }
    parm = options.parm;
  }
  const z = qnorm((1 + level) / 2);
  let rows: ConfintRow[];
  if (method === 'Wald') {
    rows = names.map((parameter) => {
      if (!(parameter in fit.fixef) || !fit.fixefNames.includes(parameter)) {
        return { parameter, lower: NaN, upper: NaN };
      }
      const est = fit.fixef[parameter];
      const se = fit.se[parameter];
      return { parameter, lower: est - z * se, upper: est + z * se };
    });
  } else if (method === 'profile') {
    rows = profileIntervals(fit, z).map(({ parameter, lower, upper }) => ({
      parameter,
      lower,
      upper,
    }));
  } else {
    const boot = bootstrapConfintSync(fit, { level, nsim: options.nsim, seed: options.seed });
    rows = names.map(
      (parameter) =>
        boot.find((r) => r.parameter === parameter) ?? { parameter, lower: NaN, upper: NaN },
    );
  }
  return rows.filter((r) => parm.includes(r.parameter));
}

/** The rows as R prints a confint matrix (`2.5 %` and `97.5 %` columns). */
export function formatConfint(rows: readonly ConfintRow[], level = 0.95): string {
  const a = (1 - level) / 2;
  const pct = (q: number): string => `${Number((100 * q).toPrecision(3))} %`;
  const heads = [pct(a), pct(1 - a)];
  const fmt = (x: number): string => (Number.isNaN(x) ? 'NA' : x.toPrecision(7));
  const cells = rows.map((r) => [r.parameter, fmt(r.lower), fmt(r.upper)]);
  const w0 = Math.max(0, ...cells.map((c) => c[0].length));
  const w = [1, 2].map((k) => Math.max(heads[k - 1].length, ...cells.map((c) => c[k].length)));
  const line = (c: string[]): string =>
    `${c[0].padEnd(w0)} ${c[1].padStart(w[0])} ${c[2].padStart(w[1])}\n`;
  return line(['', heads[0], heads[1]]) + cells.map(line).join('');
}
