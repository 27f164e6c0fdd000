/**
 * A moment start for an LMM's θ̃ (conditioned coordinates, src/model/conditioning.ts), from one
 * pass over the least-squares residuals r: for each column c of each block, the between-level
 * variance τ²_c of r in the direction of z_c, relative to σ², the variance left within the
 * levels of the block with the most levels. Off-diagonal elements start at 0.
 *
 * lme4 starts at θ = 1, which can be far from the optimum; BOBYQA then spends many evaluations
 * walking in (InstEval: a variance with 14 levels crawls from 1.2 to 0.07 in 30 evaluations).
 * The estimate needs to be right only within a factor of a few; it is clamped to
 * [START_MIN, START_MAX] so that the optimizer never starts on the boundary, and rounded to two
 * significant digits so that rounding-level changes of the data (a shifted or rescaled
 * response) give the same start, the same optimizer path and the same optimum to its last
 * digits. A column without information (all zero) keeps lme4's start.
 *
 * Moments can mislead (in a crossed design each factor's between-level variance holds some of
 * the others'), so the fits take the better of this start and lme4's by one evaluation each
 * (betterStart).
 */
import type { ReStructure } from './reblocks';

const START_MIN = 0.1;
const START_MAX = 10;

export function momentStart(
  re: ReStructure,
  residual: Float64Array,
  weights: Float64Array | null,
): number[] {
  const start = [...re.start];
  const n = residual.length;
  const w = (i: number) => (weights ? weights[i] : 1);
  let rss = 0;
  let nObs = 0;
  for (let i = 0; i < n; i++) {
    if (w(i) > 0) nObs++;
    rss += w(i) * residual[i] ** 2;
  }
  /** Σ_l s_l²/n_l and Σ_l n_l for column c of a block (s_l = Σ w z r, n_l = Σ w z²). */
  const between = (blk: ReStructure['blocks'][number], c: number) => {
    const s = new Float64Array(blk.nl);
    const nl = new Float64Array(blk.nl);
    for (let i = 0; i < n; i++) {
      const z = blk.z[i * blk.v + c];
      const l = blk.refs[i];
      s[l] += w(i) * z * residual[i];
      nl[l] += w(i) * z * z;
    }
    let explained = 0;
    let total = 0;
    let used = 0;
    for (let l = 0; l < blk.nl; l++) {
      if (!(nl[l] > 0)) continue;
      explained += (s[l] * s[l]) / nl[l];
      total += nl[l];
      used++;
    }
    return { explained, total, used };
  };
  const first = re.blocks[0];
  const b0 = between(first, 0);
  const sigma2 = (rss - b0.explained) / Math.max(1, nObs - b0.used);
  if (!(sigma2 > 0) || !Number.isFinite(sigma2)) return start;
  for (const blk of re.blocks) {
    for (const slot of blk.slots) {
      if (slot.row !== slot.col) continue;
      const b = between(blk, slot.col);
      const tau2 = (b.explained - b.used * sigma2) / b.total;
      const theta = Math.sqrt(Math.max(0, tau2) / sigma2);
      if (!Number.isFinite(theta)) continue;
      start[slot.thetaIndex] = twoDigits(Math.min(START_MAX, Math.max(START_MIN, theta)));
    }
  }
  return start;
}

/** x rounded to two significant digits. */
function twoDigits(x: number): number {
  const e = Math.floor(Math.log10(x)) - 1;
  return Math.round(x / 10 ** e) * 10 ** e;
}

/** The candidate with the lowest objective (the first on ties); evaluates each once. */
export function betterStart(
  candidates: readonly (readonly number[])[],
  objective: (x: readonly number[]) => number,
): number[] {
  let best = candidates[0];
  let bestValue = Infinity;
  for (const c of candidates) {
    const v = objective(c);
    if (v < bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return [...best];
}
