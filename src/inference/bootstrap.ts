/**
 * Parametric bootstrap, as lme4's bootMer(type = "parametric", use.u = FALSE): `nsim` responses
 * simulated from the fit (src/inference/simulate.ts), each refitted on the same design
 * (`fit.refit`), and a statistic of each refit. The responses are drawn in this thread from the
 * seed before any refit, so the result is the same for any number of workers; with
 * `workers > 1` the refits run on a pool of fit workers (src/worker/pool.ts), each worker
 * rebuilding the model once from the fit's call and data with its own kernel instance.
 */
import { OptionError } from '../errors';
import type { MerFit } from '../results/fit';
import { bootParameters, bootSummary, type BootSummary } from './bootsummary';
import { runOnPool } from '../worker/pool';
import { REFITS_JOB, type RefitItem, type RefitsPayload } from '../worker/refits';
import { fitSpecOf } from './fitspec';
import { simulateResponses } from './simulate';

export interface BootstrapOptions {
  /** Seed of the simulation (default 1). */
  seed?: number;
  /** Worker threads for the refits (Node only; default 1: in this thread). */
  workers?: number;
  /** Called after each finished replicate. */
  onProgress?: (done: number, total: number) => void;
}

export interface BootstrapResult {
  /** The statistic on the fit itself. */
  t0: number[];
  /** One row per replicate (NaN where the refit failed). */
  t: number[][];
  nsim: number;
  /** Replicates whose refit failed, with the error. */
  failures: { index: number; error: string }[];
}

/** The statistic: from a replicate's estimates to numbers (default: β, θ, σ). */
export type BootStatistic = (s: BootSummary) => number[];

export const defaultStatistic: BootStatistic = (s) => [
  ...Object.values(s.fixef),
  ...s.theta,
  s.sigma,
];

export async function bootstrap(
  fit: MerFit,
  nsim: number,
  statistic: BootStatistic = defaultStatistic,
  options: BootstrapOptions = {},
): Promise<BootstrapResult> {
  const workers = checkWorkers(options.workers);
  if (workers === 1) return bootstrapSync(fit, nsim, statistic, options);
  const ys = simulateResponses(fit, nsim, { seed: options.seed });
  const summaries: (BootSummary | string)[] = new Array(nsim);
  let done = 0;
  await refitInWorkers(fit, ys, workers, (index, s) => {
    summaries[index] = s;
    options.onProgress?.(++done, nsim);
  });
  return tabulate(fit, summaries, statistic);
}

/** The bootstrap in this thread (what `workers: 1` runs), synchronously. */
export function bootstrapSync(
  fit: MerFit,
  nsim: number,
  statistic: BootStatistic = defaultStatistic,
  options: Omit<BootstrapOptions, 'workers'> = {},
): BootstrapResult {
  const ys = simulateResponses(fit, nsim, { seed: options.seed });
  const summaries = ys.map((y, i) => {
    let s: BootSummary | string;
    try {
      s = bootSummary(fit.refit(y));
    } catch (e) {
      s = e instanceof Error ? e.message : String(e);
    }
    options.onProgress?.(i + 1, nsim);
    return s;
  });
  return tabulate(fit, summaries, statistic);
}

function checkWorkers(workers: number | undefined): number {
  const w = workers ?? 1;
  if (!Number.isInteger(w) || w < 1) {
    throw new OptionError(`must be a positive integer (got ${String(w)})`, 'workers');
  }
  return w;
}

/** The statistic of each replicate (NaN rows for failed refits) and of the fit itself. */
function tabulate(
  fit: MerFit,
  summaries: (BootSummary | string)[],
  statistic: BootStatistic,
): BootstrapResult {
  const t0 = statistic(bootSummary(fit));
  const failures: BootstrapResult['failures'] = [];
  const t = summaries.map((s, index) => {
    if (typeof s === 'string') {
      failures.push({ index, error: s });
      return t0.map(() => NaN);
    }
    return statistic(s);
  });
  return { t0, t, nsim: summaries.length, failures };
}

/** Options of the bootstrap's confidence intervals. */
export type BootConfintOptions = BootstrapOptions & { nsim?: number; level?: number };

/** Percentile intervals from a bootstrap, for lme4's parameters (.sig01.., .sigma, β). */
export async function bootstrapConfint(fit: MerFit, options: BootConfintOptions = {}) {
  const { names, statistic, level, nsim } = confintSetup(fit, options);
  return percentileRows(names, await bootstrap(fit, nsim, statistic, options), level);
}

/** bootstrapConfint in this thread, synchronously (confint's method 'boot'). */
export function bootstrapConfintSync(fit: MerFit, options: BootConfintOptions = {}) {
  const { names, statistic, level, nsim } = confintSetup(fit, options);
  if (checkWorkers(options.workers) > 1) {
    throw new OptionError('use the asynchronous bootstrapConfint for workers > 1', 'workers');
  }
  return percentileRows(names, bootstrapSync(fit, nsim, statistic, options), level);
}

function confintSetup(fit: MerFit, options: BootConfintOptions) {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new OptionError(`must be in (0, 1) (got ${level})`, 'level');
  const withSigma = fit.varCorr.some((r) => r.group === 'Residual');
  const names = bootParameters(bootSummary(fit), withSigma).map(([name]) => name);
  const statistic: BootStatistic = (s) => bootParameters(s, withSigma).map(([, v]) => v);
  return { names, statistic, level, nsim: options.nsim ?? 500 };
}

function percentileRows(names: string[], boot: BootstrapResult, level: number) {
  return names.map((parameter, j) => {
    const values = boot.t.map((row) => row[j]).filter((v) => Number.isFinite(v));
    const [lower, upper] = percentiles(values, [(1 - level) / 2, (1 + level) / 2]);
    return { parameter, lower, upper };
  });
}

/** Percentiles as R's quantile(type = 7) (boot.ci's "perc" uses order statistics; close). */
function percentiles(values: number[], probs: number[]): number[] {
  const s = Float64Array.from(values).sort();
  return probs.map((p) => {
    if (s.length === 0) return NaN;
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
  });
}

let bootstrapRuns = 0;

/** The refits on a pool of fit workers (src/worker/pool.ts), replicate i on worker i mod workers. */
async function refitInWorkers(
  fit: MerFit,
  ys: Float64Array[],
  workers: number,
  record: (index: number, s: BootSummary | string) => void,
): Promise<void> {
  const spec = fitSpecOf(fit);
  if (!spec) {
    throw new OptionError(
      'workers > 1 needs a fit made by lmer/glmer (a refit or update cannot be rebuilt in a worker); use workers: 1',
      'workers',
    );
  }
  // a key of this run's design: each worker builds the model once for all its replicates
  const key = `bootstrap-${++bootstrapRuns}`;
  const chunks = Array.from({ length: workers }, () => [] as RefitsPayload['jobs']);
  ys.forEach((y, index) => chunks[index % workers].push({ index, y }));
  const used = chunks.filter((jobs) => jobs.length > 0);
  const outcomes = await runOnPool(
    used.length,
    (w) => ({
      // the spec's data are the caller's: cloned, never transferred
      body: {
        type: 'job',
        kind: REFITS_JOB,
        payload: { key, spec, jobs: used[w] } satisfies RefitsPayload,
      },
      transfer: [],
      listeners: {
        onItem: (index, item) => {
          const r = item as RefitItem;
          record(index, r.ok ? r.summary : r.error.message);
        },
      },
    }),
    { workers },
  );
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok)
    throw new Error(`bootstrap worker failed: ${failed.error.message}`, { cause: failed.error });
}
