/**
 * Bounded Nelder–Mead simplex search: the fallback minimizer when BOBYQA fails.
 *
 * Bounds are enforced by projecting every trial point onto the box [lower, upper] (so every
 * evaluation is feasible). Projection can flatten the simplex against a face of the box, so after
 * the simplex has converged the search is restarted around the best point with a fresh simplex;
 * restarts stop when one fails to improve f by more than the tolerance.
 *
 * Coefficients: the standard (1, 2, 1/2, 1/2) for n <= 2, and the dimension-adaptive ones of
 * Gao & Han (2012, Comput. Optim. Appl. 51:259) for n >= 3, which keep the method effective in
 * higher dimension. NaN or infinite values are treated as +Infinity (a point no better than any
 * other), so regions where the objective fails are simply avoided.
 */
import type { Objective, OptimOptions, OptimResult } from './types';

export const NELDER_MEAD_DEFAULTS = {
  rhobeg: 0.2,
  rhoend: 2e-7,
  ftolAbs: 1e-10,
  maxEval: 100000,
  maxRestarts: 5,
} as const;

class MaxEvalReached extends Error {}

/** Minimize f subject to lower <= x <= upper by a projected Nelder–Mead simplex method. */
export function nelderMead(
  f: Objective,
  x0: readonly number[],
  options: OptimOptions,
): OptimResult {
  const nAll = x0.length;
  if (nAll === 0) throw new Error('nelderMead: x0 is empty');
  if (options.lower.length !== nAll || options.upper.length !== nAll) {
    throw new Error(`nelderMead: lower/upper must have the same length as x0 (${nAll})`);
  }
  for (let i = 0; i < nAll; i++) {
    if (!(options.lower[i] <= options.upper[i])) {
      throw new Error(`nelderMead: invalid bounds for component ${i}`);
    }
    if (!Number.isFinite(x0[i])) throw new Error(`nelderMead: x0[${i}] is not finite`);
  }
  const rhobeg = options.rhobeg ?? NELDER_MEAD_DEFAULTS.rhobeg;
  const xtol = options.rhoend ?? NELDER_MEAD_DEFAULTS.rhoend;
  const ftolAbs = options.ftolAbs ?? NELDER_MEAD_DEFAULTS.ftolAbs;
  const maxEval = options.maxEval ?? NELDER_MEAD_DEFAULTS.maxEval;

  // Fixed variables (lower == upper) are removed; the search runs over the free ones.
  const freeIndex: number[] = [];
  for (let i = 0; i < nAll; i++) if (options.upper[i] > options.lower[i]) freeIndex.push(i);
  const n = freeIndex.length;
  const lo = freeIndex.map((i) => options.lower[i]);
  const up = freeIndex.map((i) => options.upper[i]);
  const full = x0.map((v, i) => Math.min(Math.max(v, options.lower[i]), options.upper[i]));

  let evaluations = 0;
  let nonFinite = 0;
  let bestF = Infinity;
  let bestX = full.slice();
  const evaluate = (x: readonly number[]): number => {
    if (evaluations >= maxEval) throw new MaxEvalReached();
    for (let j = 0; j < n; j++) full[freeIndex[j]] = x[j];
    const point = full.slice();
    evaluations++;
    const v = f(point);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      nonFinite++;
      return Infinity;
    }
    if (v < bestF) {
      bestF = v;
      bestX = point;
    }
    return v;
  };
  const project = (x: number[]): number[] => x.map((v, j) => Math.min(Math.max(v, lo[j]), up[j]));

  const result = (converged: boolean, message: string): OptimResult => ({
    x: bestX.slice(),
    fval: bestF,
    evaluations,
    converged,
    message: message + (nonFinite > 0 ? `; ${nonFinite} evaluation(s) were not finite` : ''),
    method: 'nelder-mead',
  });

  if (n === 0) {
    try {
      evaluate([]);
    } catch {
      return result(false, 'stopped: maximum number of function evaluations reached');
    }
    return result(true, 'converged: all variables fixed by their bounds');
  }

  const alpha = 1;
  const gamma = n <= 2 ? 2 : 1 + 2 / n; // expansion
  const rho = n <= 2 ? 0.5 : 0.75 - 1 / (2 * n); // contraction
  const sigma = n <= 2 ? 0.5 : 1 - 1 / n; // shrink

  /** A simplex around x: x + step e_j, stepping inwards when the outward step leaves the box. */
  const initialSimplex = (x: number[], step: number): number[][] => {
    const pts = [x.slice()];
    for (let j = 0; j < n; j++) {
      const p = x.slice();
      const room = up[j] - x[j] >= x[j] - lo[j] ? up[j] - x[j] : -(x[j] - lo[j]);
      const h = Math.sign(room) * Math.min(step, Math.abs(room));
      p[j] = x[j] + (h === 0 ? step : h);
      pts.push(project(p));
    }
    return pts;
  };

  /** One Nelder–Mead run from a simplex, until it converges (throws MaxEvalReached at maxEval). */
  const run = (start: number[], step: number): void => {
    const pts = initialSimplex(start, step);
    const vals = pts.map(evaluate);
    for (;;) {
      // Order the vertices by value.
      const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b] || a - b);
      const p = order.map((i) => pts[i]);
      const v = order.map((i) => vals[i]);
      for (let i = 0; i <= n; i++) {
        pts[i] = p[i];
        vals[i] = v[i];
      }

      // Converged when both the values and the vertices are close to the best vertex.
      let fspread = 0;
      let xspread = 0;
      for (let i = 1; i <= n; i++) {
        fspread = Math.max(fspread, Math.abs(vals[i] - vals[0]));
        for (let j = 0; j < n; j++) xspread = Math.max(xspread, Math.abs(pts[i][j] - pts[0][j]));
      }
      if (fspread <= ftolAbs && xspread <= xtol) return;
      if (xspread <= xtol * 1e-3) return; // collapsed simplex: values may differ only by noise

      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
      const worst = pts[n];
      const along = (t: number): number[] =>
        project(centroid.map((c, j) => c + t * (c - worst[j])));

      const xr = along(alpha);
      const fr = evaluate(xr);
      if (fr < vals[0]) {
        const xe = along(alpha * gamma);
        const fe = evaluate(xe);
        if (fe < fr) {
          pts[n] = xe;
          vals[n] = fe;
        } else {
          pts[n] = xr;
          vals[n] = fr;
        }
        continue;
      }
      if (fr < vals[n - 1]) {
        pts[n] = xr;
        vals[n] = fr;
        continue;
      }
      // Contraction: outside if the reflected point beats the worst, inside otherwise.
      const outside = fr < vals[n];
      const xc = along(outside ? alpha * rho : -rho);
      const fc = evaluate(xc);
      if (outside ? fc <= fr : fc < vals[n]) {
        pts[n] = xc;
        vals[n] = fc;
        continue;
      }
      // Shrink towards the best vertex.
      for (let i = 1; i <= n; i++) {
        pts[i] = project(pts[i].map((x, j) => pts[0][j] + sigma * (x - pts[0][j])));
        vals[i] = evaluate(pts[i]);
      }
    }
  };

  const startFree = freeIndex.map((i) => full[i]);
  let restarts = 0;
  try {
    run(startFree, rhobeg);
    // Restart around the best point until a restart no longer helps.
    const restartStep = Math.max(0.1 * rhobeg, 10 * xtol);
    while (restarts < NELDER_MEAD_DEFAULTS.maxRestarts) {
      const before = bestF;
      restarts++;
      run(
        freeIndex.map((i) => bestX[i]),
        restartStep,
      );
      if (!(bestF < before - Math.max(ftolAbs, 0))) break;
    }
  } catch (e) {
    if (!(e instanceof MaxEvalReached)) throw e;
    return result(false, 'stopped: maximum number of function evaluations reached');
  }
  return result(
    true,
    `converged: simplex size below rhoend and value spread below ftolAbs (${restarts} restart(s))`,
  );
}
