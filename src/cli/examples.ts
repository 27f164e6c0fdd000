/**
 * Bundled example data sets and the models `glmm examples` fits. The CSV files live in the
 * package's `examples/` folder, found at run time next to the running file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CsvTable } from '../frame/csv';
import type { MerFit } from '../results/fit';

/** Model options an example passes to `lmer` / `glmer` (same names as the CLI flags). */
export interface ExampleOptions {
  /** false = maximum likelihood; default REML for LMMs. */
  REML?: boolean;
  /** Numeric columns to treat as factors. */
  factors?: string[];
  /** Level order per factor column. */
  levels?: Record<string, string[]>;
  /** GLMM family (absent: LMM). */
  family?: string;
  link?: string;
  nAGQ?: number;
  /** Column of prior weights. */
  weights?: string;
  /** Column of offsets. */
  offset?: string;
}

/** One bundled example. */
export interface ExampleSpec {
  /** CSV file name inside `examples/`. */
  file: string;
  /** Model formula in lme4 syntax. */
  formula: string;
  /** Data-set name shown on the summary's `Data:` line (lme4's name for the data). */
  dataName: string;
  /** One line for `glmm list-examples`. */
  description: string;
  options: ExampleOptions;
  /** Extra text printed after the summary (e.g. a table of predictions), from the fit and its data. */
  extra?: (fit: MerFit, data: CsvTable) => string;
}

const CBPP_FORMULA = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
const CLINICS_FORMULA = 'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)';

/**
 * Predicted probability of a favourable response per clinic and treatment, conditional on the
 * clinic's and the clinic x treatment BLUPs, laid out as Stroup & Kachman (1994), Table 2: one
 * row per clinic, one column per treatment. Each data row is one clinic x treatment, so the
 * fitted mean of that row is the prediction.
 */
export function clinicsProbabilityTable(fit: MerFit, data: CsvTable): string {
  const p = fit.predict({ type: 'response' });
  const clinic = data.clinic;
  const trt = data.trt;
  if (!clinic || !trt || clinic.length !== p.length) {
    throw new Error('clinics table: expected one fitted value per row of the clinics data');
  }
  const clinics: string[] = [];
  const trts: string[] = [];
  const cell = new Map<string, number>();
  clinic.forEach((c, i) => {
    const ck = String(c);
    const tk = String(trt[i]);
    if (!clinics.includes(ck)) clinics.push(ck);
    if (!trts.includes(tk)) trts.push(tk);
    cell.set(`${ck}\u0000${tk}`, p[i]);
  });
  const numeric = clinics.every((c) => /^\d+$/.test(c));
  if (numeric) clinics.sort((a, b) => Number(a) - Number(b));
  trts.sort();
  const w0 = Math.max('clinic'.length, ...clinics.map((c) => c.length));
  const ws = trts.map((t) => Math.max(t.length, 5));
  const header = 'clinic'.padStart(w0) + trts.map((t, j) => '  ' + t.padStart(ws[j])).join('');
  const rows = clinics.map(
    (c) =>
      c.padStart(w0) +
      trts
        .map((t, j) => {
          const v = cell.get(`${c}\u0000${t}`);
          return '  ' + (v === undefined ? 'NA' : v.toFixed(3)).padStart(ws[j]);
        })
        .join(''),
  );
  const link = fit.link;
  return (
    `Predicted probability of a favourable response (${link} link), conditional on the\n` +
    `clinic and clinic:trt BLUPs (cf. Stroup & Kachman 1994, Table 2):\n` +
    [header, ...rows].join('\n') +
    '\n'
  );
}

/** The examples, in the order `glmm examples` fits them. */
export const EXAMPLES: Record<string, ExampleSpec> = {
  dyestuff: {
    file: 'dyestuff.csv',
    formula: 'Yield ~ 1 + (1 | Batch)',
    dataName: 'Dyestuff',
    description:
      'Yield of dyestuff from 6 batches of an intermediate product (one random intercept)',
    options: {},
  },
  sleepstudy: {
    file: 'sleepstudy.csv',
    formula: 'Reaction ~ Days + (Days | Subject)',
    dataName: 'sleepstudy',
    description: 'Reaction times under sleep deprivation (correlated random intercept and slope)',
    options: {},
  },
  penicillin: {
    file: 'penicillin.csv',
    formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)',
    dataName: 'Penicillin',
    description: 'Penicillin assay: 24 plates crossed with 6 samples (crossed random intercepts)',
    options: {},
  },
  cbpp: {
    file: 'cbpp.csv',
    formula: CBPP_FORMULA,
    dataName: 'cbpp',
    description: 'Contagious bovine pleuropneumonia in 15 herds over 4 periods (binomial, Laplace)',
    options: { family: 'binomial', factors: ['period'] },
  },
  'cbpp-agq25': {
    file: 'cbpp.csv',
    formula: CBPP_FORMULA,
    dataName: 'cbpp',
    description: 'The cbpp model by adaptive Gauss-Hermite quadrature with 25 points',
    options: { family: 'binomial', factors: ['period'], nAGQ: 25 },
  },
  clinics: {
    file: 'clinics.csv',
    formula: CLINICS_FORMULA,
    dataName: 'clinics',
    description:
      'Beitler-Landis multi-clinic trial: favourable responses to drug vs control (binomial, logit)',
    options: { family: 'binomial' },
    extra: clinicsProbabilityTable,
  },
  'clinics-probit': {
    file: 'clinics.csv',
    formula: CLINICS_FORMULA,
    dataName: 'clinics',
    description: 'The Beitler-Landis clinics model with a probit link',
    options: { family: 'binomial', link: 'probit' },
    extra: clinicsProbabilityTable,
  },
  'rcbd-poisson': {
    file: 'rcbd_counts.csv',
    formula: 'count ~ trt + (1 | block) + (1 | block:trt)',
    dataName: 'rcbd_counts',
    description:
      'Counts from a randomized complete block design (Poisson, block:trt overdispersion)',
    options: { family: 'poisson' },
  },
  'rcbd-negbin': {
    file: 'rcbd_counts.csv',
    formula: 'count ~ trt + (1 | block)',
    dataName: 'rcbd_counts',
    description: 'The RCBD counts with a negative binomial response (glmer.nb)',
    options: { family: 'negbin' },
  },
};

/** Whether `dir` is the root of this package with its examples folder. */
function isPackageRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg) || !existsSync(join(dir, 'examples'))) return false;
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).name === 'glmm-wasm';
  } catch {
    return false;
  }
}

/**
 * The `examples/` folder: `../examples/` from the running file (dist/cli.js in the package), or
 * else the nearest ancestor folder that is the glmm-wasm package root (running from src/ in tests).
 */
export function examplesDir(from: string = import.meta.url): string {
  const direct = fileURLToPath(new URL('../examples/', from));
  if (existsSync(direct) && isPackageRoot(dirname(direct))) return direct;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (isPackageRoot(dir)) return join(dir, 'examples');
    const up = dirname(dir);
    if (up === dir || dir === parse(dir).root) break;
    dir = up;
  }
  throw new Error('cannot find the bundled examples/ folder of glmm-wasm');
}
