/**
 * GEE at scale: a marginal model on ROWS rows in CLUSTERS clusters (default 1,000,000 rows,
 * 10,000 clusters of 100), fitted by `geeSync` on the wasm and js backends, and by geepack's
 * geeglm live beside it (bench/geepack-gee.R, with a timeout; its peak memory from
 * /usr/bin/time when present). The data are simulated here with a fixed seed (a cluster effect
 * makes the working correlation matter) and handed to R as raw doubles, so both fit the same
 * numbers; the coefficients of the two are compared as a check.
 *
 * Usage: npm run build && node bench/gee.mjs [--rows N] [--clusters K] [--no-r] [--timeout S]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { geeSync } from '../dist/index.js';
import { machineInfo } from './machine.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const ROWS = arg('rows', 1_000_000);
const CLUSTERS = arg('clusters', 10_000);
const TIMEOUT_S = arg('timeout', 900);
const withR = !process.argv.includes('--no-r');

/** Park–Miller uniform in (0, 1), Box–Muller normals, Poisson and Bernoulli draws by inversion. */
function rng(seed) {
  let s = seed;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const poisson = (mu) => {
    let k = 0;
    let p = Math.exp(-mu);
    let f = p;
    const v = u();
    while (v > f && k < 1000) {
      k++;
      p *= mu / k;
      f += p;
    }
    return k;
  };
  return { u, normal, poisson };
}

function simulate(family) {
  const r = rng(20261203);
  const n = ROWS;
  const size = Math.floor(ROWS / CLUSTERS);
  const cols = {
    y: new Float64Array(n),
    x1: new Float64Array(n),
    x2: new Float64Array(n),
    trt: new Float64Array(n),
    id: new Float64Array(n),
    wave: new Float64Array(n),
  };
  let b = 0;
  let trt = 0;
  for (let i = 0; i < n; i++) {
    const c = Math.min(Math.floor(i / size), CLUSTERS - 1);
    if (i === 0 || cols.id[i - 1] !== c + 1) {
      b = 0.5 * r.normal();
      trt = r.u() < 0.5 ? 1 : 0;
    }
    const x1 = r.normal();
    const x2 = r.u();
    const eta = 0.2 + 0.3 * x1 - 0.4 * x2 + 0.25 * trt + b;
    cols.x1[i] = x1;
    cols.x2[i] = x2;
    cols.trt[i] = trt;
    cols.id[i] = c + 1;
    cols.wave[i] = i - c * size + 1;
    cols.y[i] =
      family === 'poisson' ? r.poisson(Math.exp(eta)) : r.u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return cols;
}

function timeFit(data, opts) {
  const t0 = performance.now();
  const fit = geeSync('y ~ x1 + x2 + trt', data, opts);
  return { seconds: (performance.now() - t0) / 1000, fit };
}

function runR(file, corstr, family) {
  const script = join(import.meta.dirname, 'geepack-gee.R');
  const useTime = existsSync('/usr/bin/time');
  const cmd = useTime ? '/usr/bin/time' : 'Rscript';
  const argv = [...(useTime ? ['-v', 'Rscript'] : []), script, file, String(ROWS), corstr, family];
  const t0 = performance.now();
  const res = spawnSync(cmd, argv, {
    encoding: 'utf8',
    timeout: TIMEOUT_S * 1000,
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  if (res.error || res.status !== 0) {
    return {
      failed: res.error
        ? String(res.error.message)
        : `exit ${res.status}: ${res.stderr.slice(-400)}`,
      wall,
    };
  }
  const line = res.stdout.trim().split('\n').pop();
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr);
  return { ...JSON.parse(line), wall, peakMiB: rss ? Math.round(Number(rss[1]) / 1024) : null };
}

const cases = [
  { family: 'poisson', corstr: 'exchangeable' },
  { family: 'binomial', corstr: 'ar1' },
];
const dir = mkdtempSync(join(tmpdir(), 'gee-bench-'));
const report = { machine: machineInfo(), rows: ROWS, clusters: CLUSTERS, results: [] };
try {
  // warm-up (compile the wasm, JIT the js kernels) on a small slice
  const small = simulate('poisson');
  const k = Math.min(ROWS, 20_000);
  const warm = Object.fromEntries(Object.entries(small).map(([c, v]) => [c, v.subarray(0, k)]));
  for (const backend of ['wasm', 'js'])
    geeSync('y ~ x1 + x2 + trt', warm, {
      family: 'poisson',
      id: 'id',
      corstr: 'exchangeable',
      backend,
    });
  for (const c of cases) {
    const data = simulate(c.family);
    const opts = {
      family: c.family,
      id: 'id',
      corstr: c.corstr,
      ...(c.corstr === 'ar1' ? { waves: 'wave' } : {}),
    };
    const row = { ...c, backends: {} };
    for (const backend of ['wasm', 'js']) {
      const { seconds, fit } = timeFit(data, { ...opts, backend });
      row.backends[backend] = {
        seconds: +seconds.toFixed(3),
        iterations: fit.iterations,
        alpha: fit.alpha,
        fixef: fit.fixef,
        robustSe: fit.robustSe,
      };
      console.error(
        `${c.family} ${c.corstr} ${backend}: ${seconds.toFixed(2)} s, ${fit.iterations} iterations`,
      );
    }
    row.wasmVsJs = +(row.backends.js.seconds / row.backends.wasm.seconds).toFixed(2);
    if (withR) {
      const file = join(dir, `${c.family}.bin`);
      writeFileSync(
        file,
        Buffer.concat(
          ['y', 'x1', 'x2', 'trt', 'id', 'wave'].map((n) => Buffer.from(data[n].buffer)),
        ),
      );
      const r = runR(file, c.corstr, c.family);
      row.geepack = r;
      if (!r.failed) {
        const ours = row.backends.wasm;
        row.maxRelDiffFixef = Math.max(
          ...Object.keys(r.fixef).map(
            (n) => Math.abs(ours.fixef[n] - r.fixef[n]) / Math.abs(r.fixef[n]),
          ),
        );
        row.maxRelDiffRobustSe = Math.max(
          ...Object.keys(r.robustSe).map(
            (n) => Math.abs(ours.robustSe[n] - r.robustSe[n]) / Math.abs(r.robustSe[n]),
          ),
        );
        row.alphaDiff = Math.abs(ours.alpha - r.alpha);
        row.geepackVsWasm = +(r.seconds / ours.seconds).toFixed(1);
      }
      console.error(
        `${c.family} ${c.corstr} geepack: ${r.failed ? `failed (${r.failed})` : `${r.seconds.toFixed(1)} s, peak ${r.peakMiB} MiB`}`,
      );
    }
    report.results.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
report.machine.loadAvgEnd = (await import('node:os')).loadavg().map((x) => +x.toFixed(2));
console.log(JSON.stringify(report, null, 2));
