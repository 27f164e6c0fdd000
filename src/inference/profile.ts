/**
 * Profile-likelihood confidence intervals, as lme4's `confint(m, method = "profile")`
 * (profile.merMod + confint.thpr): the fit is refitted by ML (lme4's devfun2 does refitML), each
 * parameter is fixed in turn with the others optimized, and the interval ends are where the
 * signed root deviance ζ(x) = sign(x − x̂) √(dev(x) − dev(x̂)) equals ±qnorm((1 + level)/2),
 * found by a root finder (lme4 interpolates a spline through a grid of ζ values instead).
 *
 * Parameters are lme4's: the random-effect standard deviations and correlations (`.sig01`, ...),
 * `.sigma` for LMMs, and the fixed effects. For LMMs the variance parameters are profiled on
 * the ML deviance as a function of (sd/cor, σ) with β profiled out (lme4's devfun2), and a fixed
 * effect βⱼ = b by minimizing over θ the ML deviance with βⱼ held at b: for fixed θ the penalized
 * residual sum of squares is quadratic in β, so holding βⱼ at b adds (b − β̂ⱼ(θ))² / [(R_XᵀR_X)⁻¹]ⱼⱼ
 * to it (exactly what lme4's refit with the offset xⱼ b and X without column j computes). For
 * GLMMs (no scale parameter) the Laplace / quadrature deviance is profiled over (sd/cor, β)
 * jointly, as lme4.
 */
import { FitError } from '../errors';
import type { FixedConditioning } from '../model/conditioning';
import type { GlmmModel } from '../model/glmm';
import type { LmmModel } from '../model/lmm';
import { logdetRe, pwrss } from '../model/system';
import { minimize } from '../optim/minimize';
import type { MerFit } from '../results/fit';
import { brentRoot } from './rootfind';
import { sdcorIsSd, sdcorNames, sdcorTerms, sdcorToTheta, thetaToSdcor } from './sdcor';

/** One parameter's profile interval. */
export interface ProfileInterval {
  parameter: string;
  estimate: number;
  lower: number;
  upper: number;
}

/** ζ big enough to stand for "beyond any cut-off" where the deviance is not finite. */
const ZETA_CAP = 1e6;

interface Problem {
  names: string[];
  /** Estimates. */
  opt: number[];
  lower: number[];
  upper: number[];
  /** A typical size of a step in each parameter. */
  scale: number[];
  /** Minimum deviance over the others with parameter w held at x (start: previous solution). */
  profiled(w: number, x: number): number;
  base: number;
}

/** β̃ from β (the inverse of betaFromTilde). */
export function betaTilde(cond: FixedConditioning, beta: ArrayLike<number>): Float64Array {
  const { p, intercept, center, scale } = cond;
  const bt = new Float64Array(p);
  for (let j = 0; j < p; j++) bt[j] = beta[j] * scale[j];
  if (intercept >= 0) {
    bt[intercept] = beta[intercept];
    for (let j = 0; j < p; j++) if (j !== intercept) bt[intercept] += center[j] * beta[j];
  }
  return bt;
}

/** Minimizes f over the coordinates other than w (x[w] fixed), in units of `scale`. */
function minimizeOthers(
  f: (x: number[]) => number,
  full: number[],
  w: number,
  lower: readonly number[],
  upper: readonly number[],
  scale: readonly number[],
): { fval: number; x: number[] } {
  const idx = full.map((_, i) => i).filter((i) => i !== w);
  if (idx.length === 0) return { fval: f(full), x: full.slice() };
  const toFull = (y: readonly number[]): number[] => {
    const x = full.slice();
    idx.forEach((i, k) => (x[i] = y[k] * scale[i]));
    return x;
  };
  const lo = idx.map((i) => lower[i] / scale[i]);
  const hi = idx.map((i) => upper[i] / scale[i]);
  const y0 = idx.map((i, k) => Math.min(hi[k], Math.max(lo[k], full[i] / scale[i])));
  const width = Math.min(...idx.map((_, k) => hi[k] - lo[k]));
  const opt = minimize((y) => f(toFull(y)), y0, {
    lower: lo,
    upper: hi,
    rhobeg: Math.min(0.05, width / 4),
    rhoend: 1e-10,
    maxEval: 20000,
  });
  return { fval: opt.fval, x: toFull(opt.x) };
}

/** Remembers the optimum of the others at each x, to start the next optimization nearby. */
class WarmStarts {
  private xs: number[] = [];
  private sols: number[][] = [];
  constructor(private readonly initial: number[]) {}
  nearest(x: number): number[] {
    let best = this.initial;
    let d = Infinity;
    this.xs.forEach((xi, k) => {
      const di = Math.abs(xi - x);
      if (di < d) {
        d = di;
        best = this.sols[k];
      }
    });
    return best;
  }
  add(x: number, sol: number[]): void {
    this.xs.push(x);
    this.sols.push(sol);
  }
}

function lmmProblem(ml: MerFit, m: LmmModel): Problem {
  const re = m.randomCond.re;
  const terms = sdcorTerms(re);
  const isSd = sdcorIsSd(terms);
  const nt = re.nTheta;
  const p = ml.fixefNames.length;
  const n = m.nInformative;
  const sigma = ml.sigma;
  const sv = thetaToSdcor(terms, ml.theta, sigma);
  const names = [...sdcorNames(nt, true), ...ml.fixefNames];
  const beta = ml.fixefNames.map((b) => ml.fixef[b]);
  const opt = [...sv, sigma, ...beta];
  const lower = [...isSd.map((s) => (s ? 0 : -1)), 0, ...beta.map(() => -Infinity)];
  const upper = [...isSd.map((s) => (s ? Infinity : 1)), Infinity, ...beta.map(() => Infinity)];
  const scale = [
    ...isSd.map((s, i) => (s ? Math.max(sv[i], 0.05 * sigma) : 1)),
    sigma,
    ...ml.fixefNames.map((b) => ml.se[b]),
  ];
  // Inner bounds keep σ away from 0, where the deviance is not finite.
  const innerLower = lower.slice();
  innerLower[nt] = 1e-8 * sigma;

  const devVar = (par: number[]): number => {
    const s = par[nt];
    if (!(s > 0)) return Infinity;
    const tt = m.tildeFromTheta(sdcorToTheta(terms, par.slice(0, nt), s));
    if (!Number.isFinite(m.devianceAt(tt, false))) return Infinity;
    const d =
      logdetRe(m.sys) -
      m.sumLogWeights +
      pwrss(m.sys) / (s * s) +
      n * Math.log(2 * Math.PI * s * s);
    return Number.isFinite(d) ? d : Infinity;
  };
  const devBeta = (j: number, b: number, tt: readonly number[]): number => {
    let est;
    try {
      est = m.estimatesAt(tt, false);
    } catch (e) {
      if (e instanceof FitError) return Infinity;
      throw e;
    }
    const s2 = est.sigma * est.sigma;
    const ld = est.fval - n * (1 + Math.log(2 * Math.PI * s2));
    const c = est.vcov[j][j] / s2;
    const pw = n * s2 + (b - est.beta[j]) ** 2 / c;
    const d = ld + n * (1 + Math.log((2 * Math.PI * pw) / n));
    return Number.isFinite(d) ? d : Infinity;
  };

  const ttHat = m.tildeFromTheta(ml.theta);
  const nvp = nt + 1;
  const varStarts = Array.from({ length: nvp }, () => new WarmStarts(opt.slice(0, nvp)));
  const betaStarts = Array.from({ length: p }, () => new WarmStarts(ttHat));
  const ttScale = ttHat.map(() => 1);
  return {
    names,
    opt,
    lower,
    upper,
    scale,
    base: devVar(opt.slice(0, nvp)),
    profiled(w, x) {
      if (w < nvp) {
        const start = varStarts[w].nearest(x).slice();
        start[w] = x;
        const r = minimizeOthers(devVar, start, w, innerLower, upper, scale);
        varStarts[w].add(x, r.x);
        return r.fval;
      }
      const j = w - nvp;
      const start = betaStarts[j].nearest(x);
      // θ̃ plus a dummy coordinate for βⱼ (held fixed) so that minimizeOthers can be reused.
      const full = [...start, x];
      const r = minimizeOthers(
        (v) => devBeta(j, v[v.length - 1], v.slice(0, -1)),
        full,
        full.length - 1,
        [...re.lower, -Infinity],
        [...re.lower.map(() => Infinity), Infinity],
        [...ttScale, 1],
      );
      betaStarts[j].add(x, r.x.slice(0, -1));
      return r.fval;
    },
  };
}

function glmmProblem(fit: MerFit, m: GlmmModel): Problem {
  if (m.fam.hasScale) {
    throw new FitError(
      `profile intervals are not available for GLMMs with a scale parameter (family ${fit.family}), as in lme4; use method 'Wald'`,
    );
  }
  const nAGQ = fit.nAGQ ?? 1;
  if (nAGQ === 0) {
    throw new FitError(
      "profile intervals need the deviance over (θ, β) jointly: refit with nAGQ ≥ 1 (or use method 'Wald')",
    );
  }
  const re = m.randomCond.re;
  const terms = sdcorTerms(re);
  const isSd = sdcorIsSd(terms);
  const nt = re.nTheta;
  const sv = thetaToSdcor(terms, fit.theta, 1);
  const beta = fit.fixefNames.map((b) => fit.fixef[b]);
  const names = [...sdcorNames(nt, false), ...fit.fixefNames];
  const opt = [...sv, ...beta];
  const lower = [...isSd.map((s) => (s ? 0 : -1)), ...beta.map(() => -Infinity)];
  const upper = [...isSd.map((s) => (s ? Infinity : 1)), ...beta.map(() => Infinity)];
  const scale = [
    ...isSd.map((s, i) => (s ? Math.max(sv[i], 0.05) : 1)),
    ...fit.fixefNames.map((b) => fit.se[b]),
  ];
  const dev = (par: number[]): number => {
    const tt = m.tildeFromTheta(sdcorToTheta(terms, par.slice(0, nt), 1));
    const bt = betaTilde(m.fixedCond, par.slice(nt));
    try {
      const d = m.devianceAtThetaBeta(tt, bt, nAGQ);
      return Number.isFinite(d) ? d : Infinity;
    } catch (e) {
      if (!(e instanceof FitError)) throw e;
      m.st.u.fill(0);
      return Infinity;
    }
  };
  const starts = opt.map(() => new WarmStarts(opt));
  return {
    names,
    opt,
    lower,
    upper,
    scale,
    base: dev(opt),
    profiled(w, x) {
      const start = starts[w].nearest(x).slice();
      start[w] = x;
      const r = minimizeOthers(dev, start, w, lower, upper, scale);
      starts[w].add(x, r.x);
      return r.fval;
    },
  };
}

/** One end of parameter w's interval: where ζ = dir·z (or the bound, when ζ never gets there). */
function intervalEnd(pb: Problem, w: number, dir: 1 | -1, z: number): number {
  const x0 = pb.opt[w];
  const bound = dir > 0 ? pb.upper[w] : pb.lower[w];
  const zeta = (x: number): number => {
    const dd = pb.profiled(w, x) - pb.base;
    const a = Number.isFinite(dd) ? Math.sqrt(Math.max(0, dd)) : ZETA_CAP;
    return Math.min(a, ZETA_CAP);
  };
  if (x0 === bound) return bound;
  const tol = 1e-10 * Math.max(Math.abs(x0), pb.scale[w]);
  let xp = x0;
  let zp = 0;
  let h = (0.25 * pb.scale[w] * z) / 1.96;
  for (let it = 0; it < 80; it++) {
    let x1 = xp + dir * h;
    if (dir > 0 ? x1 >= bound : x1 <= bound) x1 = bound;
    const z1 = zeta(x1);
    if (z1 >= z) {
      const r = brentRoot((x) => zeta(x) - z, xp, x1, tol, zp - z, z1 - z);
      return r.x;
    }
    if (x1 === bound) return bound;
    // secant extrapolation of ζ to the target, with a safety factor and growth limits
    const slope = (z1 - zp) / Math.abs(x1 - xp);
    let next = slope > 0 ? (1.1 * (z - z1)) / slope : 2 * h;
    next = Math.min(Math.max(next, 0.5 * h), 8 * h);
    xp = x1;
    zp = z1;
    h = next;
  }
  return NaN;
}

/** Profile intervals of every parameter (lme4's order: .sig01, ..., .sigma, fixed effects). */
export function profileIntervals(fit: MerFit, z: number): ProfileInterval[] {
  let pb: Problem;
  if (fit.family === 'gaussian' && fit.model.kind === 'lmm') {
    const ml = fit.update({ REML: false });
    pb = lmmProblem(ml, ml.model as LmmModel);
  } else {
    const g = fit.update({});
    pb = glmmProblem(g, g.model as GlmmModel);
  }
  return pb.names.map((parameter, w) => ({
    parameter,
    estimate: pb.opt[w],
    lower: intervalEnd(pb, w, -1, z),
    upper: intervalEnd(pb, w, 1, z),
  }));
}
