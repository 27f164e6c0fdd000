/**
 * Kenward–Roger timings: the KR coefficient table (vcovAdj and the KR df of every coefficient;
 * the fit itself not timed) on both backends, beside lmerTest/pbkrtest timed live
 * (bench/kr-pbkrtest.R, a timeout per case: pbkrtest forms n×n matrices), on sleepstudy and on
 * the first N rows of InstEval (REML fits of the same formula on both sides), then our KR for
 * the whole of InstEval (73,421 rows, q = 4,114, ML fit refitted by REML as pbkrtest does).
 * usage: npm run build && node bench/kr.mjs [--no-r] [--timeout SECONDS]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(join(root, 'dist', 'index.js'));
const args = process.argv.slice(2);
const useR = !args.includes('--no-r');
const ti = args.indexOf('--timeout');
const timeoutS = ti >= 0 ? Number(args[ti + 1]) : 300;

const INSTEVAL = '/work/shared/reference/data/insteval.csv';
const IE_FORMULA = 'y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)';
const IE_FACTORS = ['s', 'd', 'dept', 'service'];
const cases = [
  {
    name: 'sleepstudy',
    csv: join(root, 'test/fixtures/sleepstudy.csv'),
    formula: 'Reaction ~ Days + (Days | Subject)',
    factors: ['Subject'],
    n: 0,
  },
  ...[1000, 3000, 6000, 12000].map((n) => ({
    name: `InstEval first ${n} rows`,
    csv: INSTEVAL,
    formula: IE_FORMULA,
    factors: IE_FACTORS,
    n,
  })),
];

function rows(csv, n) {
  const data = lib.parseCsv(readFileSync(csv, 'utf8'));
  if (!(n > 0)) return data;
  const out = {};
  for (const [k, v] of Object.entries(data)) out[k] = v.slice(0, n);
  return out;
}

function ours(data, c, backend, REML = true) {
  const fit = lib.lmerSync(c.formula, data, { REML, backend, factors: c.factors });
  const t0 = performance.now();
  const tab = fit.coefTable({ ddf: 'Kenward-Roger' });
  const ms = performance.now() - t0;
  fit.dispose();
  return { ms, df: tab.map((r) => r.df) };
}

function theirs(c) {
  if (!useR) return null;
  const r = spawnSync(
    'Rscript',
    [join(root, 'bench/kr-pbkrtest.R'), c.csv, String(c.n), c.formula, c.factors.join(',')],
    { encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 1 << 24 },
  );
  if (r.error || r.status !== 0)
    return {
      timeout: r.error?.code === 'ETIMEDOUT' || r.signal !== null,
      err: r.stderr?.slice(-200),
    };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// warm-up (JIT, kernel instantiation) so the first row is not charged for it
for (const backend of ['wasm', 'js']) ours(rows(cases[0].csv, 0), cases[0], backend);

const fmt = (ms) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);
console.log(
  '| case | rows | ours wasm | ours js | js/wasm | lmerTest/pbkrtest | max df rel. diff |',
);
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  const data = rows(c.csv, c.n);
  const n = Object.values(data)[0].length;
  const w = ours(data, c, 'wasm');
  const j = ours(data, c, 'js');
  const r = theirs(c);
  const rText =
    r === null
      ? 'not run'
      : r.seconds !== undefined
        ? fmt(r.seconds * 1000)
        : r.timeout
          ? `> ${timeoutS} s (killed)`
          : 'failed';
  const diff = r?.df
    ? Math.max(...r.df.map((d, i) => Math.abs(w.df[i] - d) / d)).toExponential(1)
    : '';
  console.log(
    `| ${c.name} | ${n} | ${fmt(w.ms)} | ${fmt(j.ms)} | ${(j.ms / w.ms).toFixed(2)} | ${rText} | ${diff} |`,
  );
}
// the whole of InstEval, ML fit (the KR time includes the REML refit, as pbkrtest's)
const ie = rows(INSTEVAL, 0);
for (const backend of ['wasm', 'js']) {
  const r = ours(ie, { formula: IE_FORMULA, factors: IE_FACTORS }, backend, false);
  console.log(
    `InstEval 73,421 rows, ML fit, KR incl. REML refit (${backend}): ${fmt(r.ms)}; df ${r.df.map((d) => d.toFixed(3)).join(', ')}`,
  );
}
