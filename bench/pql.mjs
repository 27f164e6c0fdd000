/**
 * PQL timing: glmer(..., { method: 'PQL' }) on a simulated 50,000-row binomial data set with
 * 1,000 groups, on both backends, beside MASS::glmmPQL timed live in R (bench/pql.R) on the same
 * CSV. Like for like: dispersion estimated, ML, glmmPQL's stopping rule (1e-6, at most 10
 * iterations); and our defaults (1e-10, REML). Usage: npm run build && node bench/pql.mjs [rows]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const { glmerSync } = await import(join(ROOT, 'dist', 'index.js'));
const n = Number(process.argv[2] ?? 50000);
const groups = 1000;

// a small LCG so that the data are the same on every run
let s = 12345;
const unif = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
const b = Array.from({ length: groups }, () => 0.8 * normal());
const rows = ['g,x,trt,y'];
const data = { g: [], x: [], trt: [], y: [] };
for (let i = 0; i < n; i++) {
  const g = i % groups;
  const x = +unif().toFixed(4);
  const trt = i % 2 === 0 ? 'a' : 'b';
  const eta = -0.5 + 0.8 * x + (trt === 'b' ? 0.4 : 0) + b[g];
  const y = unif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  rows.push(`${g + 1},${x},${trt},${y}`);
  data.g.push(String(g + 1));
  data.x.push(x);
  data.trt.push(trt);
  data.y.push(y);
}
const csv = join('/tmp', `pql-bench-${n}.csv`);
writeFileSync(csv, rows.join('\n') + '\n');

const formula = 'y ~ x + trt + (1 | g)';
const settings = {
  'glmmPQL rule (estimated, ML, 1e-6, ≤ 10 it.)': {
    dispersion: 'estimated',
    REML: false,
    pqlTolerance: 1e-6,
    pqlMaxIter: 10,
  },
  'defaults (fixed, REML, 1e-10)': {},
};
const out = { machine: machineInfo(), n, groups, formula, rows: [] };
for (const [label, opts] of Object.entries(settings)) {
  for (const backend of ['wasm', 'js']) {
    const times = [];
    let fit;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      fit = glmerSync(formula, data, { family: 'binomial', method: 'PQL', backend, ...opts });
      times.push(performance.now() - t0);
    }
    times.sort((a, c) => a - c);
    out.rows.push({
      label,
      backend,
      medianMs: +times[1].toFixed(1),
      iterations: fit.pql.iterations,
      fixef: fit.fixef,
    });
  }
}
const r = spawnSync('Rscript', [join(ROOT, 'bench', 'pql.R'), csv], { encoding: 'utf8' });
out.glmmPQL = r.status === 0 ? JSON.parse(r.stdout) : { error: r.stderr.slice(0, 400) };
out.loadAvgEnd = machineInfo().loadAvgStart;
console.log(JSON.stringify(out, null, 2));
