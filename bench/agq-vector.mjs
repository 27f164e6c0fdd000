/**
 * Vector adaptive Gauss–Hermite quadrature (issue 9): a random intercept and slope (q = 2 per
 * group) on 5,000 groups, 9 nodes per dimension (81 per group), fitted with glmer on the WASM
 * and the JS backend, beside the Laplace fit of the same data (ours, and lme4's timed live when
 * Rscript with lme4 is available: lme4 has no vector AGQ and GLMMadaptive is not installed).
 *
 *   y ~ x + (1 + x | g), binomial logit, 5,000 groups x 10 rows = 50,000 rows
 *
 * Reported per fit: seconds of the whole glmer call, objective evaluations (stage 1 with θ only,
 * stage 2 with θ and β, on the quadrature objective for nAGQ > 1), milliseconds per stage-2
 * evaluation (from the progress callback's timestamps), the Hessian/finish time, logLik.
 * Results: bench/results/agq-vector.{json,md} and a table on stdout.
 *
 * Environment: GLMM_BENCH_QUICK=1 (500 groups), GLMM_BENCH_NAGQ=k (default 9),
 * GLMM_BENCH_R=0 (skip lme4), GLMM_DIST=DIR (default ./dist).
 *
 *   npm run build && node bench/agq-vector.mjs
 */
import { machineInfo } from './machine.mjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, ROOT } from './cases.mjs';
import { DATA_DIR, mulberry32, normalGenerator } from './simulate.mjs';

const QUICK = process.env.GLMM_BENCH_QUICK === '1';
const NAGQ = Number(process.env.GLMM_BENCH_NAGQ ?? 9);
const GROUPS = QUICK ? 500 : 5000;
const PER_GROUP = 10;
const DIST = process.env.GLMM_DIST ? resolve(process.env.GLMM_DIST) : join(ROOT, 'dist');
const RESULTS = join(BENCH_DIR, 'results');
const FORMULA = 'y ~ x + (1 + x | g)';

/** Logistic random intercept and slope: β = (-0.5, 0.8), sd 1 and 0.5, correlation 0.3. */
function simulate() {
  const unif = mulberry32(20261203);
  const norm = normalGenerator(unif);
  const g = [];
  const x = [];
  const y = [];
  for (let j = 0; j < GROUPS; j++) {
    const u0 = norm();
    const u1 = norm();
    const b0 = 1.0 * u0;
    const b1 = 0.5 * (0.3 * u0 + Math.sqrt(1 - 0.09) * u1);
    for (let i = 0; i < PER_GROUP; i++) {
      const xi = Math.round(norm() * 1000) / 1000;
      const eta = -0.5 + 0.8 * xi + b0 + b1 * xi;
      g.push(`g${j}`);
      x.push(xi);
      y.push(unif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    }
  }
  return { g, x, y };
}

function fitOnce(glmer, data, backend, nAGQ) {
  const stamps = [];
  const t0 = performance.now();
  return glmer(FORMULA, data, {
    family: 'binomial',
    nAGQ,
    backend,
    onProgress: (p) => stamps.push(p.elapsedMs),
  }).then((fit) => {
    const seconds = (performance.now() - t0) / 1000;
    const nTheta = fit.theta.length;
    const hist = fit.optimizer.history;
    const n1 = hist.filter((h) => h.x.length === nTheta).length;
    const n2 = hist.length - n1;
    const msPerEval2 = n2 > 0 ? (stamps[hist.length - 1] - stamps[n1 - 1]) / n2 : null;
    return {
      backend,
      nAGQ,
      seconds,
      optimizeSeconds: fit.timings.optimize / 1000,
      finishSeconds: fit.timings.finish / 1000,
      evaluations: hist.length,
      stage1: n1,
      stage2: n2,
      msPerEval2,
      logLik: fit.logLik,
      fixef: fit.fixef,
      se: fit.se,
      theta: fit.theta,
    };
  });
}

function lme4Laplace(csv) {
  if (process.env.GLMM_BENCH_R === '0') return { skipped: 'GLMM_BENCH_R=0' };
  const script = `suppressMessages(library(lme4)); d <- read.csv("${csv}");
t <- system.time(m <- glmer(${FORMULA}, d, binomial))[["elapsed"]];
cat(sprintf("%.6f %.10f %d\\n", t, as.numeric(logLik(m)), m@optinfo$feval))`;
  const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { skipped: (r.stderr || r.error?.message || 'Rscript failed').trim() };
  const [seconds, logLik, feval] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds, logLik, evaluations: feval };
}

async function main() {
  const { glmer } = await import(pathToFileURL(join(DIST, 'index.js')).href);
  const data = simulate();
  mkdirSync(DATA_DIR, { recursive: true });
  const csv = join(DATA_DIR, `agq_vector_${GROUPS}.csv`);
  writeFileSync(
    csv,
    'g,x,y\n' + data.g.map((g, i) => `${g},${data.x[i]},${data.y[i]}`).join('\n') + '\n',
  );
  const machine = machineInfo();
  const runs = [];
  for (const [backend, nAGQ] of [
    ['wasm', 1],
    ['wasm', NAGQ],
    ['js', NAGQ],
  ]) {
    process.stderr.write(`fitting ${backend} nAGQ=${nAGQ} ...\n`);
    runs.push(await fitOnce(glmer, data, backend, nAGQ));
  }
  process.stderr.write('lme4 (Laplace) ...\n');
  const lme4 = lme4Laplace(csv);
  const wasm = runs[1];
  const js = runs[2];
  const result = {
    formula: FORMULA,
    groups: GROUPS,
    rows: GROUPS * PER_GROUP,
    nodesPerGroup: NAGQ ** 2,
    machine: { ...machine, loadAvgEnd: os.loadavg().map((x) => +x.toFixed(2)) },
    runs,
    jsOverWasm: js.seconds / wasm.seconds,
    jsOverWasmPerEval: js.msPerEval2 / wasm.msPerEval2,
    lme4Laplace: lme4,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'agq-vector.json'), JSON.stringify(result, null, 2));
  const row = (r) =>
    `| ${r.backend} | ${r.nAGQ} | ${r.seconds.toFixed(2)} | ${r.stage1} + ${r.stage2} | ${
      r.msPerEval2 === null ? '-' : r.msPerEval2.toFixed(1)
    } | ${r.finishSeconds.toFixed(2)} | ${r.logLik.toFixed(4)} |`;
  const md = [
    `${FORMULA}, binomial, ${GROUPS} groups x ${PER_GROUP} rows, ${NAGQ}^2 = ${NAGQ ** 2} nodes per group`,
    `machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAvgStart.join(' ')} -> ${result.machine.loadAvgEnd.join(' ')}, node ${machine.node}`,
    '',
    '| backend | nAGQ | fit s | evaluations (stage 1 + 2) | ms / stage-2 evaluation | finish (Hessian) s | logLik |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(row),
    lme4.skipped
      ? `| lme4 Laplace | 1 | skipped: ${lme4.skipped} | | | | |`
      : `| lme4 Laplace | 1 | ${lme4.seconds.toFixed(2)} | ${lme4.evaluations} | | | ${lme4.logLik.toFixed(4)} (lme4 units) |`,
    '',
    `js / wasm: ${result.jsOverWasm.toFixed(2)}x per fit, ${result.jsOverWasmPerEval.toFixed(2)}x per quadrature evaluation`,
  ].join('\n');
  writeFileSync(join(RESULTS, 'agq-vector.md'), md + '\n');
  console.log(md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
