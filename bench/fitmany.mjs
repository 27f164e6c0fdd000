/**
 * Many responses on one design (fitMany(formula, data, {responses})) with 1 and 2 workers,
 * beside lme4's refit(m, y) loop timed live (bench/lme4-refit.R, same responses):
 * 10,000 responses on sleepstudy's design and 1,000 on an 8,000-row design with two crossed
 * factors (lme4 timed on up to 2,000 of them). Prints one JSON object.
 * usage: node bench/fitmany.mjs [--quick]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from './machine.mjs';

const root = join(import.meta.dirname, '..');
const lib = await import(join(root, 'dist', 'index.js'));
const quick = process.argv.includes('--quick');
const R_MAX = 2000;

function sleepCase(count) {
  const d = lib.parseCsv(readFileSync(join(root, 'test', 'fixtures', 'sleepstudy.csv'), 'utf8'));
  // response i: Reaction + 20 sin(i 7.3 + k 1.7) (the same formula as lme4-refit.R)
  const ys = Array.from({ length: count }, (_, i) =>
    Float64Array.from(d.Reaction, (v, k) => v + 20 * Math.sin(i * 7.3 + k * 1.7)),
  );
  return {
    name: 'sleepstudy',
    rCase: 'sleepstudy',
    formula: '~ Days + (Days | Subject)',
    data: d,
    ys,
  };
}

function crossedCase(count) {
  const n = 8000;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const sv = Array.from({ length: n }, (_, i) => i % 200);
  const iv = Array.from({ length: n }, (_, i) => (i * 7) % 40);
  const resp = (k) =>
    Float64Array.from(
      { length: n },
      (_, i) =>
        x[i] +
        Math.sin(sv[i] * 1.3 + k) +
        Math.cos(iv[i] * 0.7 + 2 * k) +
        0.5 * Math.sin(i * 12.9898 + k * 78.233),
    );
  const data = { x, s: sv.map(String), item: iv.map(String) };
  const ys = Array.from({ length: count }, (_, k) => resp(k));
  return {
    name: 'crossed 8,000 rows (1|s)+(1|item)',
    rCase: 'crossed8000',
    formula: '~ x + (1 | s) + (1 | item)',
    data,
    ys,
  };
}

function lme4PerRefit(rCase, count) {
  try {
    const out = execFileSync(
      'Rscript',
      [join(root, 'bench', 'lme4-refit.R'), rCase, String(count)],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 1_800_000,
      },
    );
    return JSON.parse(out.trim().split('\n').pop()).refitMs;
  } catch (e) {
    return null; // no R / lme4 here, or it ran out of time
  }
}

const machine = machineInfo();
const cases = quick ? [sleepCase(500), crossedCase(50)] : [sleepCase(10_000), crossedCase(1_000)];
const results = [];
for (const c of cases) {
  const row = { case: c.name, responses: c.ys.length };
  let reference = null;
  for (const workers of [1, 2]) {
    const t0 = performance.now();
    const r = await lib.fitMany(c.formula, c.data, { responses: c.ys, workers });
    const ms = performance.now() - t0;
    row[`workers${workers}`] = {
      seconds: +(ms / 1000).toFixed(2),
      msPerResponse: +(ms / c.ys.length).toFixed(3),
      failed: r.filter((x) => !x.ok).length,
    };
    if (reference === null) reference = r;
    else
      row.sameAcrossWorkers = r.every(
        (x, i) => x.ok && reference[i].ok && x.logLik === reference[i].logLik,
      );
  }
  // lme4's loop is timed live on (at most) the first R_MAX responses: its time per refit is flat
  const rCount = Math.min(c.ys.length, R_MAX);
  const ms = lme4PerRefit(c.rCase, rCount);
  if (ms !== null) {
    row.lme4 = {
      responsesTimed: rCount,
      msPerRefit: +ms.toFixed(3),
      loopSecondsFor: +((ms * c.ys.length) / 1000).toFixed(1),
    };
    row.speedupVsLme4 = {
      workers1: +(ms / row.workers1.msPerResponse).toFixed(1),
      workers2: +(ms / row.workers2.msPerResponse).toFixed(1),
    };
  }
  results.push(row);
  console.error(JSON.stringify(row));
}
console.log(
  JSON.stringify(
    { machine: { ...machine, loadAvgEnd: machineInfo().loadAvgStart }, results },
    null,
    2,
  ),
);
