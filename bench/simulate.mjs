/**
 * Deterministic simulated data sets for the benchmarks (seeded PRNG, no dependencies), written
 * as CSV to bench/data/ so that lme4 fits exactly the same rows.
 *
 *   node bench/simulate.mjs            writes every simulated CSV (idempotent: same bytes each run)
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** mulberry32: a 32-bit state PRNG returning uniforms in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates by Box–Muller (both values of each pair are used). */
export function normalGenerator(uniform) {
  let spare = null;
  return function normal() {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u1 = uniform();
    while (u1 <= 0) u1 = uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

const invLogit = (eta) => 1 / (1 + Math.exp(-eta));
const pad = (i, w) => String(i).padStart(w, '0');
/** Fixed decimals keep the CSV identical across platforms and readable by R and by us. */
const num = (x) => x.toFixed(6);

/**
 * VerbAgg-shaped crossed binary GLMM: 316 subjects x 24 items = 7,584 rows.
 * eta = b0 + b1*x1 + b2*[x2 == "self"] + u_subject + v_item, u ~ N(0, 1.2^2), v ~ N(0, 0.6^2);
 * x1 is a subject-level covariate, x2 an item-level two-level factor (levels other < self).
 */
export function simulateVerbAgg(seed = 20240601) {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(uniform);
  const nSubj = 316;
  const nItem = 24;
  const [b0, b1, b2] = [0.2, 0.35, -1.0];
  const subj = Array.from({ length: nSubj }, () => ({ x1: normal(), u: 1.2 * normal() }));
  const item = Array.from({ length: nItem }, (_, j) => ({
    x2: j % 2 === 0 ? 'other' : 'self',
    v: 0.6 * normal(),
  }));
  const lines = ['y,x1,x2,item,subject'];
  for (let i = 0; i < nSubj; i++) {
    for (let j = 0; j < nItem; j++) {
      const s = subj[i];
      const it = item[j];
      const eta = b0 + b1 * s.x1 + (it.x2 === 'self' ? b2 : 0) + s.u + it.v;
      const y = uniform() < invLogit(eta) ? 1 : 0;
      lines.push(`${y},${num(s.x1)},${it.x2},i${pad(j + 1, 2)},s${pad(i + 1, 3)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * 200,000-row logistic GLMM with 2,000 groups (100 rows each) and a correlated random slope:
 * eta = b0 + b1*x + b2*z + u0_g + u1_g*x, sd(u0) = 1, sd(u1) = 0.5, corr(u0, u1) = 0.3;
 * x, z standard normal.
 */
export function simulateBigLogistic(seed = 987654321) {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(uniform);
  const nGroups = 2000;
  const perGroup = 100;
  const [b0, b1, b2] = [-0.5, 0.8, 0.4];
  const [sd0, sd1, rho] = [1, 0.5, 0.3];
  const lines = ['y,x,z,g'];
  for (let g = 0; g < nGroups; g++) {
    const e0 = normal();
    const e1 = normal();
    const u0 = sd0 * e0;
    const u1 = sd1 * (rho * e0 + Math.sqrt(1 - rho * rho) * e1);
    const name = `g${pad(g + 1, 4)}`;
    for (let k = 0; k < perGroup; k++) {
      const x = normal();
      const z = normal();
      const eta = b0 + b1 * x + b2 * z + u0 + u1 * x;
      const y = uniform() < invLogit(eta) ? 1 : 0;
      lines.push(`${y},${num(x)},${num(z)},${name}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const SIMULATIONS = {
  'verbagg_sim.csv': simulateVerbAgg,
  'biglogistic_sim.csv': simulateBigLogistic,
};

/** Writes bench/data/NAME (only when its content changed) and returns the path. */
export function ensureSimulated(name) {
  const make = SIMULATIONS[name];
  if (!make) throw new Error(`unknown simulated data set '${name}'`);
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(DATA_DIR, name);
  const text = make();
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of Object.keys(SIMULATIONS)) console.log(ensureSimulated(name));
}
