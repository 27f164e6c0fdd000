/**
 * Refits: the same design fitted to many responses (bootstrap, simulation, one model per gene).
 * Times `fit.refit(y)` against fresh `lmerSync` / `glmerSync` fits of the same responses, on both
 * backends, and lme4's `refit(m, newresp)` when R is present (bench/lme4-refit.R). Responses
 * are simulated from the fitted model's structure with a fixed seed, identically in R.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The refit cases: an LMM and a GLMM on bundled data; `respond(i, data)` gives response i. */
export const REFIT_CASES = [
  {
    name: 'sleepstudy `Reaction ~ Days + (Days | Subject)`',
    file: 'test/fixtures/sleepstudy.csv',
    kind: 'lmm',
    formula: 'Reaction ~ Days + (Days | Subject)',
    options: {},
    // response i: Reaction + a deterministic perturbation (same formula in lme4-refit.R)
    respond: (i, d) => d.Reaction.map((r, k) => r + 20 * Math.sin(i * 7.3 + k * 1.7)),
    rCase: 'sleepstudy',
    count: 1000,
  },
  {
    name: 'cbpp binomial `cbind(incidence, size - incidence) ~ period + (1 | herd)`',
    file: 'test/fixtures/cbpp.csv',
    kind: 'glmm',
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    options: { family: 'binomial', factors: ['period'] },
    // response i: incidence shifted within [0, size], as proportions of the same trials
    respond: (i, d) =>
      d.incidence.map((k, j) => ((k + ((i + j) % 3)) % (d.size[j] + 1)) / d.size[j]),
    rCase: 'cbpp',
    count: 200,
  },
];

function timeIt(f) {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** Per-refit and per-fresh-fit milliseconds on both backends, and lme4's when R works. */
export function benchRefits({ lmerSync, glmerSync, parseCsv }, root, lme4Ok, log) {
  const rows = [];
  for (const c of REFIT_CASES) {
    const data = parseCsv(readFileSync(join(root, c.file), 'utf8'));
    const fitFn = c.kind === 'lmm' ? lmerSync : glmerSync;
    const row = { case: c.name, count: c.count };
    for (const backend of ['wasm', 'js']) {
      const fit = fitFn(c.formula, data, { ...c.options, backend });
      const ys = Array.from({ length: c.count }, (_, i) => c.respond(i, data));
      fit.refit(ys[0]); // warm-up
      const refitMs = timeIt(() => ys.forEach((y) => fit.refit(y))) / c.count;
      const freshCount = Math.min(c.count, 200);
      const freshMs =
        timeIt(() => {
          for (let i = 0; i < freshCount; i++) {
            const y = ys[i];
            const d =
              c.kind === 'lmm'
                ? { ...data, Reaction: y }
                : { ...data, incidence: y.map((p, j) => Math.round(p * data.size[j])) };
            fitFn(c.formula, d, { ...c.options, backend });
          }
        }) / freshCount;
      row[backend] = { refitMs, freshMs };
      log(
        `  ${c.rCase} ${backend}: refit ${refitMs.toFixed(2)} ms, fresh fit ${freshMs.toFixed(2)} ms`,
      );
    }
    if (lme4Ok) {
      const r = spawnSync(
        'Rscript',
        [join(root, 'bench', 'lme4-refit.R'), c.rCase, String(c.count)],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 20 * 60 * 1000,
        },
      );
      if (r.status === 0) {
        row.lme4 = JSON.parse(r.stdout.trim().split('\n').pop());
        log(`  ${c.rCase} lme4: refit ${row.lme4.refitMs.toFixed(2)} ms`);
      } else {
        row.lme4Error = (r.stderr || '').trim().split('\n').slice(-2).join(' | ');
      }
    }
    rows.push(row);
  }
  return rows;
}

/** The refit table in markdown. */
export function refitMarkdown(rows) {
  const f = (x) => (x === undefined ? '–' : x.toFixed(2));
  const lines = [
    '',
    '## Refits (same design, new responses)',
    '',
    '| case | refits | wasm refit ms | wasm fresh fit ms | js refit ms | js fresh fit ms | lme4 refit ms | lme4 / wasm refit |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const ratio = r.lme4 ? `${(r.lme4.refitMs / r.wasm.refitMs).toFixed(1)}×` : '–';
    lines.push(
      `| ${r.case.replaceAll('|', '\\|')} | ${r.count} | ${f(r.wasm.refitMs)} | ${f(r.wasm.freshMs)} | ${f(r.js.refitMs)} | ${f(r.js.freshMs)} | ${f(r.lme4?.refitMs)} | ${ratio} |`,
    );
    if (r.lme4Error) lines.push(`| (lme4 failed: ${r.lme4Error}) |||||||`);
  }
  lines.push(
    '',
    'refit ms: `fit.refit(y)` per response (cross-products of X and Z reused); fresh fit ms: `lmerSync`/`glmerSync` on a table with that response; lme4: `refit(m, newresp)` per response.',
  );
  return lines.join('\n') + '\n';
}
