/**
 * `npm run bench`: glmm-wasm (WASM and JS backends) against each other and against lme4.
 *
 * For every case of bench/cases.mjs:
 *   (a) in-process fit time with the built dist: benny (median) for small cases, a few timed
 *       fits (performance.now) for big ones; the CSV is parsed once, outside the timing;
 *   (b) whole-process time of `node dist/cli.js fit --data CSV ... --json` (Node start-up, CSV
 *       parse, fit, output);
 *   (c) lme4, when `Rscript -e 'library(lme4)'` works: bench-lme4.R for the big cases (fit time),
 *       bench/lme4-whole.R timed from outside (whole process); small cases take lme4's fit time
 *       from their reference JSON. Without R, reference times are used where they exist.
 * Writes a markdown table to stdout and bench/results/latest.md, all numbers to latest.json.
 * Progress goes to stderr. GLMM_BENCH_QUICK=1 skips the big cases.
 */
import { machineInfo } from './machine.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import benny from 'benny';
import { CASES, BENCH_DIR, ROOT, cliFlags } from './cases.mjs';
import { benchRefits, refitMarkdown } from './refit.mjs';

const { suite, add, cycle, complete, configure } = benny;

const dist = join(ROOT, 'dist', 'index.js');
if (!existsSync(dist)) {
  console.error('dist/index.js not found: run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const { lmerSync, glmerSync, parseCsv } = await import(dist);

const QUICK = process.env.GLMM_BENCH_QUICK === '1';
const CLI = join(ROOT, 'dist', 'cli.js');
const BENCH_LME4 = join(ROOT, 'test', 'fixtures', 'extra', 'bench-lme4.R');
const LME4_WHOLE = join(BENCH_DIR, 'lme4-whole.R');
const RESULTS = join(BENCH_DIR, 'results');
/** Child processes get at most this long (a hung fit must not hang the benchmark). */
const CHILD_TIMEOUT_MS = 20 * 60 * 1000;

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rel = (p) => relative(ROOT, p) || p;

/** Runs a command, returns {seconds (wall, including start-up), stdout} or throws. */
function timedSpawn(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} ... exited ${r.status}: ${err}`);
  }
  return { seconds, stdout: r.stdout };
}

/** The last line of stdout that parses as JSON (R prints one line; the CLI one document). */
function parseJsonOutput(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    const lines = stdout.trim().split('\n').reverse();
    for (const line of lines) {
      try {
        return JSON.parse(line);
      } catch {
        /* keep looking */
      }
    }
    throw new Error(`no JSON in output: ${stdout.slice(0, 200)}`);
  }
}

function lme4Available() {
  try {
    const r = spawnSync('Rscript', ['-e', 'suppressMessages({library(lme4); library(jsonlite)})'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) return { ok: false };
    const v = spawnSync(
      'Rscript',
      ['-e', 'cat(R.version$major, R.version$minor, as.character(packageVersion("lme4")))'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const [maj, min, lme4] = v.stdout.trim().split(/\s+/);
    return { ok: true, version: `R ${maj}.${min}, lme4 ${lme4}` };
  } catch {
    return { ok: false };
  }
}

function fitFunction(c, table) {
  return (backend) =>
    c.kind === 'lmm'
      ? lmerSync(c.formula, table, { ...c.options, backend })
      : glmerSync(c.formula, table, { ...c.options, backend });
}

/** benny: median seconds per fit for each backend. */
async function microBench(c, fit) {
  const original = console.log; // benny announces suites on stdout; keep stdout for the table
  console.log = (...args) => process.stderr.write(args.join(' ') + '\n');
  try {
    const summary = await suite(
      c.name,
      configure({ cases: { minSamples: 8, maxTime: 1.5 } }),
      add('wasm', () => fit('wasm')),
      add('js', () => fit('js')),
      // report on stderr ourselves; a non-empty return would make benny redraw stdout
      cycle((result) => {
        log(
          `    ${result.name}: ${(1000 / result.ops).toFixed(2)} ms/fit (${result.samples} samples)`,
        );
      }),
      complete(() => {}),
    );
    const out = {};
    for (const r of summary.results) {
      out[r.name] = {
        ms: r.details.median * 1000,
        samples: r.samples,
        rme: r.margin,
        how: `benny median of ${r.samples} samples (±${r.margin}%)`,
      };
    }
    return out;
  } finally {
    console.log = original;
  }
}

/** A few timed fits (big cases). */
function timedFits(fit, backend, reps) {
  const ms = [];
  let f;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f = fit(backend);
    ms.push(performance.now() - t0);
    log(`    ${backend} fit ${i + 1}/${reps}: ${(ms[i] / 1000).toFixed(2)} s`);
  }
  return { ms: median(ms), all: ms, how: `median of ${reps} timed fit(s)`, fit: f };
}

function wholeProcessCli(c, path, backend, reps) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const { seconds, stdout } = timedSpawn(process.execPath, [
      CLI,
      'fit',
      '--data',
      path,
      ...cliFlags(c),
      '--backend',
      backend,
      '--json',
    ]);
    const j = parseJsonOutput(stdout);
    runs.push({ seconds, logLik: j.logLik, fitMs: j.timings?.total });
    log(`    glmm fit (${backend}) process ${i + 1}/${reps}: ${seconds.toFixed(2)} s`);
  }
  return {
    seconds: median(runs.map((r) => r.seconds)),
    all: runs.map((r) => r.seconds),
    logLik: runs[0]?.logLik,
    fitMsInside: median(runs.map((r) => r.fitMs)),
  };
}

function lme4WholeArgs(c, path) {
  const o = c.options;
  return [
    LME4_WHOLE,
    path,
    c.formula,
    c.kind === 'lmm' ? 'gaussian' : o.family,
    String(c.kind === 'lmm' ? o.REML !== false : false).toUpperCase(),
    c.rFactors.length ? c.rFactors.join(',') : '-',
    o.link ?? '-',
    String(o.nAGQ ?? 1),
  ];
}

function readRef(c) {
  if (!c.ref || !existsSync(c.ref)) return null;
  const j = JSON.parse(readFileSync(c.ref, 'utf8'));
  return { seconds: j.seconds_median, logLik: j.logLik, file: rel(c.ref) };
}

async function runCase(c, lme4) {
  const row = { case: c.name, kind: c.kind, formula: c.formula, options: c.options };
  const path = c.data();
  if (!path) {
    row.skipped = c.missing ?? 'data not available';
    return row;
  }
  row.data = rel(path);
  const table = parseCsv(readFileSync(path, 'utf8'));
  const fit = fitFunction(c, table);

  const describe = (f) => ({
    backend: f.backend,
    logLik: f.logLik,
    nobs: f.nobs ?? f.toJSON?.().nobs,
    evaluations: f.optimizer.evaluations,
    timings: f.timings,
  });

  // (a) in-process
  log(`  in-process fits`);
  if (c.size === 'small') {
    // one fit per backend for the reported logLik / evaluations (also a warm-up), then benny
    for (const backend of ['wasm', 'js']) row[backend] = describe(fit(backend));
    const mb = await microBench(c, fit);
    for (const backend of ['wasm', 'js']) {
      row[backend].fitMs = mb[backend].ms;
      row[backend].how = mb[backend].how;
    }
  } else {
    // big cases: every fit is timed (the WASM module is already instantiated by then)
    for (const backend of ['wasm', 'js']) {
      const reps = c.reps.inProcess?.[backend] ?? 0;
      if (reps <= 0) continue;
      const t = timedFits(fit, backend, reps);
      row[backend] = { ...describe(t.fit), fitMs: t.ms, fitMsAll: t.all, how: t.how };
    }
  }
  row.n = row.wasm?.nobs;
  if (row.js?.fitMs && row.wasm?.fitMs) row.jsOverWasm = row.js.fitMs / row.wasm.fitMs;
  if (row.js && row.wasm) row.logLikJsMinusWasm = row.js.logLik - row.wasm.logLik;

  // (b) whole process, glmm CLI
  log(`  whole-process glmm fit`);
  row.cli = {};
  for (const backend of ['wasm', 'js']) {
    const reps = c.reps.cli?.[backend] ?? 0;
    if (reps > 0) row.cli[backend] = wholeProcessCli(c, path, backend, reps);
  }

  // (c) lme4
  row.lme4 = {};
  const ref = readRef(c);
  if (lme4.ok && c.lme4Model) {
    log(`  lme4: bench-lme4.R ${c.lme4Model} (${c.reps.lme4} rep(s))`);
    const { stdout } = timedSpawn('Rscript', [BENCH_LME4, path, c.lme4Model, String(c.reps.lme4)]);
    const j = parseJsonOutput(stdout);
    Object.assign(row.lme4, {
      fitSeconds: j.seconds,
      fitSecondsAll: j.seconds_all,
      logLik: j.logLik,
      evaluations: j.feval,
      source: `bench-lme4.R (median of ${c.reps.lme4})`,
      warnings: j.warnings,
    });
  } else if (ref) {
    Object.assign(row.lme4, {
      fitSeconds: ref.seconds,
      logLik: ref.logLik,
      source: `reference ${ref.file}`,
    });
  }
  if (lme4.ok) {
    const reps = c.reps.rWhole ?? 1;
    const runs = [];
    for (let i = 0; i < reps; i++) {
      const { seconds, stdout } = timedSpawn('Rscript', lme4WholeArgs(c, path));
      const j = parseJsonOutput(stdout);
      runs.push({ seconds, fitSeconds: j.seconds, logLik: j.logLik });
      log(`    lme4 whole process ${i + 1}/${reps}: ${seconds.toFixed(2)} s (fit ${j.seconds} s)`);
    }
    row.lme4.wholeSeconds = median(runs.map((r) => r.seconds));
    row.lme4.wholeSecondsAll = runs.map((r) => r.seconds);
    row.lme4.fitSecondsInsideWhole = median(runs.map((r) => r.fitSeconds));
    row.lme4.logLik ??= runs[0].logLik;
    row.lme4.source ??= 'lme4-whole.R';
  }

  const wasmWhole = row.cli.wasm?.seconds;
  if (row.lme4.fitSeconds !== undefined && row.wasm?.fitMs)
    row.fitSpeedup = row.lme4.fitSeconds / (row.wasm.fitMs / 1000);
  if (row.lme4.wholeSeconds !== undefined && wasmWhole)
    row.wholeSpeedup = row.lme4.wholeSeconds / wasmWhole;
  if (row.lme4.logLik !== undefined && row.wasm) row.logLikDiff = row.wasm.logLik - row.lme4.logLik;
  return row;
}

// ---------------------------------------------------------------------------------------------

const fmt = (x, digits = 2) =>
  x === undefined || x === null || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
const fmtMs = (x) => (x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const fmtX = (x) => (x === undefined ? '–' : `${x.toFixed(x >= 10 ? 1 : 2)}×`);
const fmtDiff = (x) => (x === undefined ? '–' : x.toExponential(1).replace('e', 'e'));

function markdown(report) {
  const m = report.machine;
  const lines = [];
  lines.push(`# glmm-wasm benchmarks`);
  lines.push('');
  lines.push(
    `${report.date} · ${m.cpu} · ${m.cores} cores · ${m.memGiB} GiB · ${m.platform} · Node ${m.node}` +
      ` · ${report.lme4.ok ? report.lme4.version : 'lme4 not available (reference times only)'}` +
      (report.commit ? ` · commit ${report.commit.slice(0, 10)}` : '') +
      (report.quick ? ' · QUICK (big cases skipped)' : ''),
  );
  lines.push('');
  lines.push(
    '| case | n | wasm fit ms | js fit ms | js/wasm | wasm whole-process s | lme4 fit s | lme4 whole-process s | fit speed-up (lme4/wasm) | speed-up (lme4 whole / wasm whole) | logLik diff (wasm − lme4) |',
  );
  lines.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of report.rows) {
    if (r.skipped) continue;
    lines.push(
      `| ${r.case} | ${r.n ?? '–'} | ${fmtMs(r.wasm?.fitMs)} | ${fmtMs(r.js?.fitMs)} | ${fmtX(r.jsOverWasm)} | ` +
        `${fmt(r.cli?.wasm?.seconds)} | ${fmt(r.lme4?.fitSeconds, 3)}${r.lme4?.source?.startsWith('reference') ? ' (ref)' : ''} | ` +
        `${fmt(r.lme4?.wholeSeconds)} | ${fmtX(r.fitSpeedup)} | ${fmtX(r.wholeSpeedup)} | ${fmtDiff(r.logLikDiff)} |`,
    );
  }
  lines.push('');
  lines.push('Notes:');
  lines.push(
    '- wasm/js fit ms: in-process `lmerSync`/`glmerSync` on an already parsed table (model frame, setup, optimization, finish); ' +
      'small cases: benny median, big cases: median of a few `performance.now()` fits.',
  );
  lines.push(
    '- whole-process: wall time of `node dist/cli.js fit --data CSV ... --json` (Node start-up, CSV parse, fit, JSON output) ' +
      'and of `Rscript bench/lme4-whole.R` (R start-up, library(lme4), read.csv, factor(), fit, JSON output).',
  );
  lines.push(
    '- lme4 fit s: `test/fixtures/extra/bench-lme4.R` for the big cases (live), the reference `seconds_median` ' +
      'for the small ones (marked ref).',
  );
  for (const r of report.rows) {
    if (r.skipped) lines.push(`- ${r.skipped}`);
    if (r.error) lines.push(`- ${r.case}: ERROR ${r.error}`);
    if (r.cli?.js)
      lines.push(
        `- ${r.case}: js whole-process ${fmt(r.cli.js.seconds)} s; ` +
          `wasm/js evaluations ${r.wasm?.evaluations}/${r.js?.evaluations ?? '–'}` +
          (r.lme4?.evaluations !== undefined ? ` (lme4 ${r.lme4.evaluations})` : '') +
          '; ' +
          `js − wasm logLik ${fmtDiff(r.logLikJsMinusWasm)}`,
      );
    else if (r.wasm)
      lines.push(
        `- ${r.case}: wasm/js evaluations ${r.wasm?.evaluations}/${r.js?.evaluations ?? '–'}` +
          (r.lme4?.evaluations !== undefined ? ` (lme4 ${r.lme4.evaluations})` : '') +
          (r.logLikJsMinusWasm !== undefined
            ? `; js − wasm logLik ${fmtDiff(r.logLikJsMinusWasm)}`
            : ''),
      );
  }
  const inside = report.rows.filter((r) => r.lme4?.fitSecondsInsideWhole !== undefined);
  if (inside.length)
    lines.push(
      '- lme4 fit time inside its whole-process run (cold, first fit in the R session): ' +
        inside.map((r) => `${r.case} ${fmt(r.lme4.fitSecondsInsideWhole, 3)} s`).join(', '),
    );
  for (const n of report.notes) lines.push(`- ${n}`);
  return lines.join('\n') + '\n';
}

async function main() {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const report = {
    date: new Date().toISOString(),
    quick: QUICK,
    commit: git.status === 0 ? git.stdout.trim() : null,
    machine: machineInfo(),
    lme4: { ok: false },
    rows: [],
    notes: [],
  };
  log(`${report.machine.cpu}, ${report.machine.cores} cores, Node ${process.version}`);
  report.lme4 = lme4Available();
  log(report.lme4.ok ? `lme4 available (${report.lme4.version})` : 'lme4 not available');

  const t0 = performance.now();
  for (const c of CASES) {
    if (QUICK && c.size === 'big') {
      report.notes.push(`${c.name} skipped (GLMM_BENCH_QUICK=1)`);
      continue;
    }
    log(`${c.name}: ${c.formula}`);
    try {
      const row = await runCase(c, report.lme4);
      report.rows.push(row);
      if (row.skipped) log(`  ${row.skipped}`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`  ERROR ${message}`);
      report.rows.push({ case: c.name, error: message });
    }
  }
  log('refits: fit.refit(y) vs fresh fits (vs lme4 refit when R is present)');
  try {
    report.refits = benchRefits({ lmerSync, glmerSync, parseCsv }, ROOT, report.lme4.ok, log);
  } catch (e) {
    report.notes.push(`refit benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  report.totalSeconds = (performance.now() - t0) / 1000;
  report.machine.loadAvgEnd = os.loadavg().map((x) => +x.toFixed(2));
  report.notes.push(
    `benchmark wall time ${report.totalSeconds.toFixed(0)} s; 1-min load average ` +
      `${report.machine.loadAvgStart[0]} at start, ${report.machine.loadAvgEnd[0]} at end ` +
      `(${report.machine.cores} cores: a load above that means other processes shared the CPU)`,
  );

  const md = markdown(report) + (report.refits ? refitMarkdown(report.refits) : '');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.md'), md);
  writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(md);
  log(`wrote ${rel(join(RESULTS, 'latest.md'))} and ${rel(join(RESULTS, 'latest.json'))}`);
}

await main();
