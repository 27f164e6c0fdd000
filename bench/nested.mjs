/**
 * Nested-design benchmarks (issue 7): glmm-wasm (WASM and JS backends) against lme4 on simulated
 * Gaussian LMMs fitted by maximum likelihood (REML = FALSE):
 *
 *   1. y ~ x + (1 | school/class)                  2,000 schools x 4 classes x 10 rows =  80,000
 *   2. y ~ x + (1 | school/class)                  5,000 schools x 4 classes x 10 rows = 200,000
 *   3. y ~ x + (1 | region/school/class)           50 regions x 40 schools x 4 x 10    =  80,000
 *   4. y ~ x + (x | school) + (1 | school:class)   2,000 schools x 4 classes x 10 rows =  80,000
 *   5. y ~ x + (1 | student) + (1 | item)          5,000 students x 500 items, 20% of pairs = 500,000
 *
 * Every fit runs in its own child process, one per case and engine:
 *   glmm   `node dist/cli.js fit --data CSV --formula F --ml --backend B --json` with a preloaded
 *          hook that prints process.resourceUsage().maxRSS on exit;
 *   lme4   `Rscript bench/lme4-nested.R CSV F FACTORS` (when `Rscript -e 'library(lme4)'` works,
 *          else skipped with a note), which reports VmHWM of /proc/self/status.
 * Reported per engine: fit time (in the process, after the CSV is read: the CLI's
 * timings.total, lme4's lmer() call), whole-process wall time (start-up, CSV, fit, JSON), peak
 * resident memory of the process, objective evaluations (fit.optimizer.evaluations, lme4's
 * m@optinfo$feval), logLik; and the ratios lme4 / ours of time and memory.
 *
 * Data: written deterministically (seeded mulberry32, as bench/simulate.mjs) to
 * bench/data/nested_*.csv, which is gitignored; rewritten only when the content changed.
 * Results: bench/results/nested.{json,md} (rewritten after every case), table on stdout,
 * progress on stderr.
 *
 * Environment:
 *   GLMM_BENCH_QUICK=1       small sizes (8,000-20,000 rows) instead of the issue's sizes
 *   GLMM_BENCH_TIMEOUT=S     seconds per child process (default 600); a fit that takes longer is
 *                            killed and recorded as "timeout"; the bigger case of the same design
 *                            (case 2 after case 1) is then skipped for that engine
 *   GLMM_BENCH_CASES=1,3,4   run only these cases (numbers or ids)
 *   GLMM_DIST=DIR            benchmark the build in DIR instead of ./dist (its cli.js and index.js)
 *
 *   node bench/nested.mjs              run (npm run bench runs it after bench/run.mjs)
 *   node bench/nested.mjs --simulate   only write the data sets
 */
import { machineInfo } from './machine.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, ROOT } from './cases.mjs';
import { DATA_DIR, mulberry32, normalGenerator } from './simulate.mjs';

const QUICK = process.env.GLMM_BENCH_QUICK === '1';
const TIMEOUT_S = Number(process.env.GLMM_BENCH_TIMEOUT ?? 600);
if (!(TIMEOUT_S > 0)) throw new Error(`GLMM_BENCH_TIMEOUT must be a positive number of seconds`);
const ONLY = (process.env.GLMM_BENCH_CASES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const DIST = process.env.GLMM_DIST ? resolve(process.env.GLMM_DIST) : join(ROOT, 'dist');
const CLI = join(DIST, 'cli.js');
const LME4_NESTED = join(BENCH_DIR, 'lme4-nested.R');
const RESULTS = join(BENCH_DIR, 'results');
/** Preloaded into every glmm child: its peak RSS (KiB) on stderr at exit. */
const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>{try{const u=process.resourceUsage();process.stderr.write("\\n@@maxRSS "+u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime)+"\\n")}catch{}})';
const ENGINES = ['wasm', 'js', 'lme4'];

const log = (msg) => process.stderr.write(`[nested] ${msg}\n`);
const rel = (p) => relative(ROOT, p) || p;

// --- simulated data --------------------------------------------------------------------------

const pad = (i, w) => String(i).padStart(w, '0');
const num = (x) => x.toFixed(6);

/**
 * Two-level nesting, classes within schools: y = 1 + 0.5 x + u_school + v_class + e with
 * sd(u) = 1, sd(v) = 0.5, sd(e) = 1, x standard normal per row. With `slope`, a school-level
 * random slope of x as well: sd 0.4, correlation 0.3 with the school intercept.
 * Columns y, x, school (s0001...), class (c1...c4, labels repeat across schools).
 */
function simulateSchools({ schools, classes = 4, rows = 10, seed, slope = false }) {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(uniform);
  const w = String(schools).length;
  const [sd1, rho] = [0.4, 0.3];
  const lines = ['y,x,school,class'];
  for (let s = 0; s < schools; s++) {
    const e0 = normal();
    const u0 = e0;
    const u1 = slope ? sd1 * (rho * e0 + Math.sqrt(1 - rho * rho) * normal()) : 0;
    const school = `s${pad(s + 1, w)}`;
    for (let c = 0; c < classes; c++) {
      const v = 0.5 * normal();
      for (let r = 0; r < rows; r++) {
        const x = normal();
        const y = 1 + 0.5 * x + u0 + u1 * x + v + normal();
        lines.push(`${num(y)},${num(x)},${school},c${c + 1}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Three levels: y = 1 + 0.5 x + r_region + u_school + v_class + e, sds 0.8, 1, 0.5, 1.
 * Columns y, x, region (r01...), school (s01... within region), class (c1... within school).
 */
function simulateRegions({ regions, schools, classes = 4, rows = 10, seed }) {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(uniform);
  const [wr, ws] = [String(regions).length, String(schools).length];
  const lines = ['y,x,region,school,class'];
  for (let g = 0; g < regions; g++) {
    const rg = 0.8 * normal();
    for (let s = 0; s < schools; s++) {
      const u = normal();
      for (let c = 0; c < classes; c++) {
        const v = 0.5 * normal();
        for (let r = 0; r < rows; r++) {
          const x = normal();
          const y = 1 + 0.5 * x + rg + u + v + normal();
          lines.push(`${num(y)},${num(x)},r${pad(g + 1, wr)},s${pad(s + 1, ws)},c${c + 1}`);
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Partially crossed: every student answers `round(fraction * items)` distinct items drawn
 * without replacement (partial Fisher-Yates), so exactly that fraction of the pairs is observed.
 * y = 1 + 0.5 x + u_student + v_item + e, sd(u) = 1, sd(v) = 0.7, sd(e) = 1.
 * Columns y, x, student (t0001...), item (i001...).
 */
function simulateCrossed({ students, items, fraction, seed }) {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(uniform);
  const [wt, wi] = [String(students).length, String(items).length];
  const v = Array.from({ length: items }, () => 0.7 * normal());
  const perStudent = Math.round(fraction * items);
  const order = Int32Array.from({ length: items }, (_, j) => j);
  const lines = ['y,x,student,item'];
  for (let t = 0; t < students; t++) {
    const u = normal();
    for (let k = 0; k < perStudent; k++) {
      const j = k + Math.floor(uniform() * (items - k));
      [order[k], order[j]] = [order[j], order[k]];
    }
    const seen = Array.from(order.subarray(0, perStudent)).sort((a, b) => a - b);
    const student = `t${pad(t + 1, wt)}`;
    for (const j of seen) {
      const x = normal();
      const y = 1 + 0.5 * x + u + v[j] + normal();
      lines.push(`${num(y)},${num(x)},${student},i${pad(j + 1, wi)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Writes bench/data/NAME (only when its content changed) and returns the path. */
function ensureData(name, make) {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, name);
  const text = make();
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return path;
}

// --- cases -----------------------------------------------------------------------------------

/**
 * The five cases at the issue's sizes (or the quick ones). `after`: the smaller case of the same
 * design; an engine that timed out there is not run here. `factors`: columns R converts with
 * factor() (glmm-wasm treats the string columns as factors by itself).
 */
function nestedCases(quick) {
  const S = quick
    ? { small: 200, big: 500, regions: 10, perRegion: 20, slope: 200, students: 500, items: 100 }
    : {
        small: 2000,
        big: 5000,
        regions: 50,
        perRegion: 40,
        slope: 2000,
        students: 5000,
        items: 500,
      };
  const fmtN = (n) => n.toLocaleString('en-US');
  return [
    {
      id: 'school-class',
      name: `school/class, ${fmtN(S.small)} schools`,
      formula: 'y ~ x + (1 | school/class)',
      factors: ['school', 'class'],
      file: `nested_school${S.small}.csv`,
      rows: S.small * 40,
      make: () => simulateSchools({ schools: S.small, seed: 7001 }),
    },
    {
      id: 'school-class-big',
      name: `school/class, ${fmtN(S.big)} schools`,
      formula: 'y ~ x + (1 | school/class)',
      factors: ['school', 'class'],
      file: `nested_school${S.big}.csv`,
      rows: S.big * 40,
      make: () => simulateSchools({ schools: S.big, seed: 7002 }),
      after: 'school-class',
    },
    {
      id: 'region-school-class',
      name: `region/school/class, ${S.regions} × ${S.perRegion} schools`,
      formula: 'y ~ x + (1 | region/school/class)',
      factors: ['region', 'school', 'class'],
      file: `nested_region${S.regions}x${S.perRegion}.csv`,
      rows: S.regions * S.perRegion * 40,
      make: () => simulateRegions({ regions: S.regions, schools: S.perRegion, seed: 7003 }),
    },
    {
      id: 'slope-school-class',
      name: `(x | school) + (1 | school:class), ${fmtN(S.slope)} schools`,
      formula: 'y ~ x + (x | school) + (1 | school:class)',
      factors: ['school', 'class'],
      file: `nested_slope${S.slope}.csv`,
      rows: S.slope * 40,
      make: () => simulateSchools({ schools: S.slope, seed: 7004, slope: true }),
    },
    {
      id: 'crossed-student-item',
      name: `student × item, ${fmtN(S.students)} × ${S.items}, 20%`,
      formula: 'y ~ x + (1 | student) + (1 | item)',
      factors: ['student', 'item'],
      file: `nested_crossed${S.students}x${S.items}.csv`,
      rows: S.students * Math.round(0.2 * S.items),
      make: () =>
        simulateCrossed({ students: S.students, items: S.items, fraction: 0.2, seed: 7005 }),
    },
  ];
}

// --- child processes -------------------------------------------------------------------------

let running = null; // the child in flight, killed with its process group on SIGINT/SIGTERM
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (running?.pid) {
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(130);
  });
}

/**
 * Runs cmd in its own process group; kills the group after TIMEOUT_S.
 * Resolves {status: 'ok' | 'timeout' | 'error', seconds (wall), stdout, stderr, code}.
 */
function runChild(cmd, args) {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, TIMEOUT_S * 1000);
    const finish = (code, error) => {
      clearTimeout(timer);
      running = null;
      const seconds = (performance.now() - t0) / 1000;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const status = timedOut ? 'timeout' : code === 0 && !error ? 'ok' : 'error';
      resolvePromise({ status, seconds, stdout, stderr, code, error: error?.message });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}

/** The last JSON document in stdout (the CLI prints one object, R one line). */
function parseJsonOutput(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    for (const line of stdout.trim().split('\n').reverse()) {
      try {
        return JSON.parse(line);
      } catch {
        /* keep looking */
      }
    }
    throw new Error(`no JSON in output: ${stdout.slice(0, 200)}`);
  }
}

const lastLines = (s, n = 3) => s.trim().split('\n').slice(-n).join(' | ');

async function runGlmm(c, path, backend) {
  const r = await runChild(process.execPath, [
    '--import',
    RSS_HOOK,
    CLI,
    'fit',
    '--data',
    path,
    '--formula',
    c.formula,
    '--ml',
    '--no-progress',
    '--backend',
    backend,
    '--json',
  ]);
  const rss = [...r.stderr.matchAll(/@@maxRSS (\d+) (\d+)/g)].pop();
  const res = {
    status: r.status,
    wholeSeconds: r.seconds,
    cpuSeconds: rss ? Number(rss[2]) / 1e6 : undefined,
    maxRssKiB: rss ? Number(rss[1]) : null,
  };
  if (r.status === 'timeout') return res;
  if (r.status !== 'ok') {
    res.error =
      r.error ?? `exit ${r.code}: ${lastLines(r.stderr.replace(/@@maxRSS \d+ \d+/g, ''))}`;
    return res;
  }
  const j = parseJsonOutput(r.stdout);
  return {
    ...res,
    backend: j.backend,
    nobs: j.nobs,
    ngrps: j.ngrps,
    fitSeconds: j.timings?.total / 1000,
    timings: j.timings,
    evaluations: j.optimizer?.evaluations,
    logLik: j.logLik,
    theta: j.theta,
    converged: j.converged,
    messages: j.messages,
  };
}

async function runLme4(c, path) {
  const r = await runChild('Rscript', [LME4_NESTED, path, c.formula, c.factors.join(',')]);
  const res = { status: r.status, wholeSeconds: r.seconds };
  if (r.status === 'timeout') return res;
  if (r.status !== 'ok') {
    res.error = r.error ?? `exit ${r.code}: ${lastLines(r.stderr)}`;
    return res;
  }
  const j = parseJsonOutput(r.stdout);
  return {
    ...res,
    maxRssKiB: j.maxRssKiB ?? null,
    cpuSeconds: j.cpuSeconds,
    nobs: j.nobs,
    fitSeconds: j.seconds,
    evaluations: j.feval,
    logLik: j.logLik,
    theta: j.theta,
    optimizer: j.optimizer,
    conv: j.conv,
    warnings: j.warnings,
  };
}

function lme4Available() {
  try {
    const r = spawnSync(
      'Rscript',
      [
        '-e',
        'suppressMessages({library(lme4); library(jsonlite)}); cat(R.version$major, R.version$minor, as.character(packageVersion("lme4")))',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status !== 0) return { ok: false };
    const [maj, min, lme4] = r.stdout.trim().split(/\s+/);
    return { ok: true, version: `R ${maj}.${min}, lme4 ${lme4}` };
  } catch {
    return { ok: false };
  }
}

// --- one case --------------------------------------------------------------------------------

async function runCase(c, lme4, previous) {
  const row = { id: c.id, case: c.name, formula: c.formula, REML: false };
  const t0 = performance.now();
  const path = ensureData(c.file, c.make);
  row.data = rel(path);
  row.dataSeconds = (performance.now() - t0) / 1000;
  const before = c.after ? previous.find((r) => r.id === c.after) : undefined;
  for (const engine of ENGINES) {
    if (engine === 'lme4' && !lme4.ok) {
      row.lme4 = { status: 'skipped', reason: 'Rscript with lme4 and jsonlite not available' };
      continue;
    }
    if (before?.[engine]?.status === 'timeout' || before?.[engine]?.skippedAfterTimeout) {
      row[engine] = {
        status: 'skipped',
        skippedAfterTimeout: true,
        reason: `timed out on the smaller case '${before.case}'`,
      };
      log(`  ${engine}: skipped (${row[engine].reason})`);
      continue;
    }
    log(`  ${engine} ...`);
    row[engine] = engine === 'lme4' ? await runLme4(c, path) : await runGlmm(c, path, engine);
    const e = row[engine];
    if (e.status === 'ok')
      log(
        `  ${engine}: fit ${e.fitSeconds.toFixed(2)} s, whole ${e.wholeSeconds.toFixed(2)} s, ` +
          `${fmtMiB(e.maxRssKiB)} MiB, ${e.evaluations} evaluations, logLik ${e.logLik}`,
      );
    else log(`  ${engine}: ${e.status}${e.error ? ` (${e.error})` : ` after ${TIMEOUT_S} s`}`);
  }
  row.n = row.wasm?.nobs ?? row.js?.nobs ?? row.lme4?.nobs ?? c.rows;
  const l = row.lme4;
  for (const b of ['wasm', 'js']) {
    const o = row[b];
    if (l?.status !== 'ok' || o?.status !== 'ok') continue;
    o.vsLme4 = {
      fit: l.fitSeconds / o.fitSeconds,
      whole: l.wholeSeconds / o.wholeSeconds,
      memory: o.maxRssKiB && l.maxRssKiB ? l.maxRssKiB / o.maxRssKiB : undefined,
      evaluations: l.evaluations / o.evaluations,
      logLikDiff: o.logLik - l.logLik,
    };
  }
  return row;
}

// --- output ----------------------------------------------------------------------------------

const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(d));
const fmtMiB = (kib) => (kib ? (kib / 1024).toFixed(0) : '–');
const fmtX = (x) =>
  x === undefined || !Number.isFinite(x) ? '–' : `${x.toFixed(x >= 10 ? 1 : 2)}×`;
const fmtSec = (x) =>
  x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const fmtInt = (x) => (x === undefined || x === null ? '–' : Number(x).toLocaleString('en-US'));
const fmtDiff = (x) => (x === undefined ? '–' : x.toExponential(1));

function engineLabel(engine, e) {
  if (engine === 'lme4') return 'lme4';
  return e?.backend ? `glmm ${e.backend}` : `glmm ${engine}`;
}

export function nestedMarkdown(report) {
  const m = report.machine;
  const lines = [
    '# glmm-wasm nested-design benchmarks',
    '',
    `${report.date} · ${m.cpu} · ${m.cores} cores · ${m.memGiB} GiB · ${m.platform} · Node ${m.node}` +
      ` · ${report.lme4.ok ? report.lme4.version : 'lme4 not available (lme4 skipped)'}` +
      (report.commit ? ` · commit ${report.commit.slice(0, 10)}` : '') +
      ` · timeout ${report.timeoutSeconds} s per process` +
      (report.quick ? ' · QUICK (small sizes)' : ''),
    '',
    'Gaussian LMMs fitted by ML (REML = FALSE); every fit in its own process.',
    '',
    '| case | n | engine | fit s | whole-process s | CPU s | peak RSS MiB | evaluations | logLik | ours − lme4 logLik | lme4/ours fit | lme4/ours whole | lme4/ours RSS |',
    '|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of report.rows) {
    if (r.error) {
      lines.push(`| ${r.case} | – | – | error: ${r.error.replaceAll('|', '\\|')} ||||||||||`);
      continue;
    }
    for (const engine of ENGINES) {
      const e = r[engine];
      if (!e) continue;
      const head = `| ${engine === 'wasm' ? `${r.case} \`${r.formula}\``.replaceAll('|', '\\|') : ''} | ${engine === 'wasm' ? fmtInt(r.n) : ''} | ${engineLabel(engine, e)} |`;
      if (e.status !== 'ok') {
        const what =
          e.status === 'timeout'
            ? `timeout (> ${report.timeoutSeconds} s)`
            : e.status === 'skipped'
              ? `skipped`
              : 'error';
        lines.push(
          `${head} ${what} | ${e.status === 'timeout' ? `> ${fmtSec(e.wholeSeconds)}` : '–'} | – | ${fmtMiB(e.maxRssKiB)} | – | – | – | – | – | – |`,
        );
        continue;
      }
      const v = e.vsLme4 ?? {};
      lines.push(
        `${head} ${fmtSec(e.fitSeconds)} | ${fmtSec(e.wholeSeconds)} | ${fmtSec(e.cpuSeconds)} | ${fmtMiB(e.maxRssKiB)} | ${fmtInt(e.evaluations)} | ` +
          `${fmt(e.logLik, 3)} | ${engine === 'lme4' ? '' : fmtDiff(v.logLikDiff)} | ` +
          `${engine === 'lme4' ? '' : fmtX(v.fit)} | ${engine === 'lme4' ? '' : fmtX(v.whole)} | ${engine === 'lme4' ? '' : fmtX(v.memory)} |`,
      );
    }
  }
  lines.push('', 'Notes:');
  lines.push(
    '- fit s: inside the process, after the CSV is read — glmm: the CLI’s `timings.total` (model frame, setup, optimization, finish); lme4: the `lmer(..., REML = FALSE)` call (model frame through optimization).',
    '- whole-process s: wall time of `node dist/cli.js fit --data CSV --formula F --ml --backend B --json` (Node start-up, CSV parse, fit, JSON) and of `Rscript bench/lme4-nested.R` (R start-up, library(lme4), read.csv, factor(), fit, JSON).',
    '- CPU s: user + system CPU time of the whole process (Node: `process.resourceUsage()` at exit; R: `proc.time()` at the end); well below the wall time means the process waited for the CPU (other load).',
    '- peak RSS: maximum resident set of the process — glmm: `process.resourceUsage().maxRSS` at exit (preloaded hook); lme4: VmHWM of /proc/self/status after the fit.',
    '- evaluations: objective (profiled deviance) evaluations — glmm: `fit.optimizer.evaluations`; lme4: `m@optinfo$feval`.',
    '- lme4/ours: > 1× means glmm-wasm is faster / smaller.',
    `- data: bench/data/nested_*.csv, simulated deterministically by bench/nested.mjs (seeded; 10 rows per class, 4 classes per school).`,
  );
  for (const r of report.rows) {
    for (const engine of ENGINES) {
      const e = r[engine];
      if (!e) continue;
      if (e.status === 'error') lines.push(`- ${r.case}, ${engine}: ERROR ${e.error}`);
      if (e.status === 'skipped') lines.push(`- ${r.case}, ${engine}: skipped (${e.reason})`);
      if (e.status === 'timeout')
        lines.push(
          `- ${r.case}, ${engine}: killed after ${report.timeoutSeconds} s (GLMM_BENCH_TIMEOUT)`,
        );
      if (e.status === 'ok' && e.converged === false)
        lines.push(`- ${r.case}, ${engine}: not converged: ${(e.messages ?? []).join('; ')}`);
      if (e.status === 'ok' && e.warnings?.length)
        lines.push(`- ${r.case}, lme4 warnings: ${e.warnings.join('; ')}`);
    }
  }
  for (const n of report.notes) lines.push(`- ${n}`);
  return lines.join('\n') + '\n';
}

function writeResults(report) {
  mkdirSync(RESULTS, { recursive: true });
  const md = nestedMarkdown(report);
  writeFileSync(join(RESULTS, 'nested.md'), md);
  writeFileSync(join(RESULTS, 'nested.json'), JSON.stringify(report, null, 2) + '\n');
  return md;
}

// --- main ------------------------------------------------------------------------------------

async function main() {
  const cases = nestedCases(QUICK);
  if (process.argv.includes('--simulate')) {
    for (const c of cases) console.log(ensureData(c.file, c.make));
    return;
  }
  if (!existsSync(CLI)) {
    console.error(`${rel(CLI)} not found: run \`npm run build\` first (npm run bench does)`);
    process.exit(1);
  }
  const selected = cases.filter(
    (c, i) => ONLY.length === 0 || ONLY.includes(String(i + 1)) || ONLY.includes(c.id),
  );
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'assembly'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const report = {
    date: new Date().toISOString(),
    quick: QUICK,
    timeoutSeconds: TIMEOUT_S,
    commit: git.status === 0 ? git.stdout.trim() : null,
    sourcesDirty: dirty.status === 0 ? dirty.stdout.trim().length > 0 : null,
    dist: rel(DIST).startsWith('..') ? DIST : rel(DIST),
    distBuilt: statSync(CLI).mtime.toISOString(),
    machine: machineInfo(),
    lme4: lme4Available(),
    rows: [],
    notes: [],
  };
  log(`${report.machine.cpu}, ${report.machine.cores} cores, Node ${process.version}, ${rel(CLI)}`);
  log(report.lme4.ok ? `lme4 available (${report.lme4.version})` : 'lme4 not available: skipped');
  log(`timeout ${TIMEOUT_S} s per process${QUICK ? ', QUICK sizes' : ''}`);
  if (!report.lme4.ok)
    report.notes.push('lme4 skipped: `Rscript -e "library(lme4); library(jsonlite)"` failed');
  if (ONLY.length) report.notes.push(`only cases ${ONLY.join(', ')} (GLMM_BENCH_CASES)`);
  report.notes.push(
    `build benchmarked: ${report.dist}/cli.js of ${report.distBuilt}` +
      (process.env.GLMM_DIST
        ? ' (GLMM_DIST)'
        : report.sourcesDirty
          ? ' (src/ or assembly/ had uncommitted changes: it may not be the commit above)'
          : ''),
  );

  const t0 = performance.now();
  for (const c of selected) {
    log(`${c.name}: ${c.formula}`);
    try {
      report.rows.push(await runCase(c, report.lme4, report.rows));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`  ERROR ${message}`);
      report.rows.push({ id: c.id, case: c.name, formula: c.formula, error: message });
    }
    writeResults(report);
  }
  report.totalSeconds = (performance.now() - t0) / 1000;
  report.machine.loadAvgEnd = os.loadavg().map((x) => +x.toFixed(2));
  report.notes.push(
    `benchmark wall time ${report.totalSeconds.toFixed(0)} s; 1-min load average ` +
      `${report.machine.loadAvgStart[0]} at start, ${report.machine.loadAvgEnd[0]} at end ` +
      `(${report.machine.cores} cores: a load above that means other processes shared the CPU)`,
  );
  const md = writeResults(report);
  process.stdout.write(md);
  log(`wrote ${rel(join(RESULTS, 'nested.md'))} and ${rel(join(RESULTS, 'nested.json'))}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
