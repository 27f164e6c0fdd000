/**
 * The benchmark table: one row per data set -> model. The small cases are looked up by name in
 * test/fixtures/cases.json (the table the reference tests use), so tests and benchmarks fit the
 * same models; the big ones are defined here.
 *
 * Fields of a case:
 *   name        row label
 *   kind        'lmm' (lmerSync) or 'glmm' (glmerSync)
 *   size        'small' (benny micro benchmark, skipped by nothing) or 'big' (a few timed fits,
 *               skipped when GLMM_BENCH_QUICK=1)
 *   data()      absolute CSV path, or null when the data set is not available here
 *   missing     note printed when data() is null
 *   formula     model formula (same string for glmm-wasm and lme4)
 *   options     lmer/glmer options except `backend` (REML, family, link, nAGQ, factors)
 *   rFactors    columns R converts with factor() before fitting
 *   lme4Model   MODEL argument of test/fixtures/extra/bench-lme4.R (big cases: lme4 run live)
 *   ref         lme4 reference JSON (seconds_median, logLik) used when lme4 is not run live
 *   reps        repetitions: inProcess {wasm, js} for big cases, cli {wasm, js}, lme4 (bench-lme4.R
 *               REPS), rWhole (whole-process Rscript runs)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSimulated } from './simulate.mjs';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const INSTEVAL_CSV = resolve(ROOT, '..', 'shared', 'reference', 'data', 'insteval.csv');

let fixtureTable;
/** The entry of test/fixtures/cases.json whose `fit` is `fitName`, as a bench case. */
function fromFixtures(name, fitName, extra) {
  fixtureTable ??= JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8'));
  const entry = [...fixtureTable.lmm, ...fixtureTable.glmm].find((e) => e.fit === fitName);
  if (!entry) throw new Error(`bench case '${name}': no '${fitName}' in test/fixtures/cases.json`);
  const kind = fixtureTable.lmm.includes(entry) ? 'lmm' : 'glmm';
  const options = { ...entry.options };
  if (kind === 'lmm') options.REML ??= true;
  return {
    name,
    kind,
    size: 'small',
    data: () => join(FIXTURES, entry.data),
    formula: entry.formula,
    options,
    rFactors: options.factors ?? [],
    ref: join(FIXTURES, 'fits', `${fitName}.json`),
    reps: { cli: { wasm: 3, js: 3 }, rWhole: 1 },
    ...extra,
  };
}

export const CASES = [
  fromFixtures('dyestuff', 'dyestuff_reml'),
  fromFixtures('sleepstudy', 'sleepstudy_reml'),
  fromFixtures('penicillin', 'penicillin_crossed'),
  fromFixtures('cbpp (Laplace)', 'cbpp_laplace', { rFactors: ['period', 'herd'] }),
  {
    name: 'InstEval (ML)',
    kind: 'lmm',
    size: 'big',
    data: () => (existsSync(INSTEVAL_CSV) ? INSTEVAL_CSV : null),
    missing: `InstEval skipped: ${INSTEVAL_CSV} not found (not committed; see DESIGN.md section 5)`,
    formula: 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)',
    options: { REML: false, factors: ['service', 's', 'd', 'dept'] },
    rFactors: ['service', 's', 'd', 'dept'],
    lme4Model: 'insteval',
    ref: join(BENCH_DIR, 'insteval_crossed.json'),
    reps: { inProcess: { wasm: 2, js: 1 }, cli: { wasm: 1, js: 0 }, lme4: 1, rWhole: 1 },
  },
  {
    name: 'VerbAgg-like (sim)',
    kind: 'glmm',
    size: 'big',
    data: () => ensureSimulated('verbagg_sim.csv'),
    formula: 'y ~ x1 + x2 + (1 | item) + (1 | subject)',
    options: { family: 'binomial' },
    rFactors: ['item', 'subject'],
    lme4Model: 'verbagg',
    reps: { inProcess: { wasm: 3, js: 2 }, cli: { wasm: 2, js: 1 }, lme4: 3, rWhole: 1 },
  },
  {
    name: 'logistic 200k (sim)',
    kind: 'glmm',
    size: 'big',
    data: () => ensureSimulated('biglogistic_sim.csv'),
    formula: 'y ~ x + z + (x | g)',
    options: { family: 'binomial' },
    rFactors: ['g'],
    lme4Model: 'biglogistic',
    reps: { inProcess: { wasm: 1, js: 1 }, cli: { wasm: 1, js: 0 }, lme4: 1, rWhole: 1 },
  },
];

/** `glmm fit` flags for a case (besides --data, --backend, --json). */
export function cliFlags(c) {
  const o = c.options;
  const flags = ['--formula', c.formula, '--no-progress'];
  if (c.kind === 'lmm' && o.REML === false) flags.push('--ml');
  if (o.factors?.length) flags.push('--factors', o.factors.join(','));
  if (o.family !== undefined) flags.push('--family', o.family);
  if (o.link !== undefined) flags.push('--link', o.link);
  if (o.nAGQ !== undefined) flags.push('--nAGQ', String(o.nAGQ));
  if (o.weights !== undefined) flags.push('--weights', o.weights);
  if (o.offset !== undefined) flags.push('--offset', o.offset);
  return flags;
}
