/**
 * BOBYQA: Bound Optimization BY Quadratic Approximation (M. J. D. Powell, 2009).
 *
 * A derivative-free trust-region method for min f(x) subject to lower <= x <= upper. It keeps a
 * quadratic model Q of f that interpolates f at m = 2n+1 points, and the inverse of the KKT matrix
 * of the minimum-Frobenius-norm interpolation problem in the factored form (BMAT, ZMAT) so that
 * replacing one interpolation point costs O(m n) instead of a fresh factorization.
 *
 * This is our own TypeScript implementation following Powell's report
 * "The BOBYQA algorithm for bound constrained optimization without derivatives" (DAMTP 2009/NA06)
 * and the structure of his Fortran code (as used by NLopt, which lme4's default optimizer
 * `nloptwrap` calls). The routine names PRELIM, TRSBOX, ALTMOV, UPDATE and RESCUE and the variable
 * names of the paper are kept, because that is what makes it possible to check this code against
 * the paper. For the same reason, all vectors and matrices below are 1-based (index 0 is unused):
 * every index expression then reads exactly as in the paper, which avoids a whole class of
 * off-by-one translation errors in a numerically delicate algorithm.
 *
 * Departures from Powell's code, all deliberate:
 *  - n = 1 is allowed (m = 3 = (n+1)(n+2)/2 is a valid number of points; the trust-region
 *    subproblem then never needs the "alternative" 2-D iteration).
 *  - Variables with lower == upper are removed from the problem and held fixed.
 *  - Infinite bounds are replaced by finite ones at distance 1e100 (BOBYQA computes with bound
 *    gaps, so they must be finite numbers, but no step of a sane problem comes close to them).
 *  - If an upper-lower gap is smaller than 2*rhobeg, rhobeg is reduced to half the smallest gap
 *    (Powell's code refuses such problems instead).
 *  - An evaluation that returns NaN or +-Infinity is given a finite penalty value, worse than any
 *    value seen so far (see `Evaluator`), so that the interpolation model stays finite; the trust
 *    region then shrinks away from the bad region. Such a point is never reported as the optimum.
 *  - The result is the best point ever evaluated (Powell returns XBASE+XOPT, which is the same
 *    point except after the final extra Newton step, which he treats specially).
 *  - An optional absolute f-tolerance (ftolAbs, as in NLopt): see `FtolTracker`.
 */
import type { Objective, OptimOptions, OptimResult } from './types';

type Vec = Float64Array; // 1-based
type Mat = Float64Array[]; // 1-based rows, 1-based columns

function vec(len: number): Vec {
  return new Float64Array(len + 1);
}

function mat(rows: number, cols: number): Mat {
  const m: Mat = [new Float64Array(0)];
  for (let i = 1; i <= rows; i++) m.push(new Float64Array(cols + 1));
  return m;
}

/** Default settings, shared with the contract in types.ts. */
export const BOBYQA_DEFAULTS = {
  rhobeg: 0.2,
  rhoend: 2e-7,
  ftolAbs: 1e-10,
  maxEval: 100000,
} as const;

/** Infinite bounds are replaced by bounds this far from the starting point. */
const INFINITE_BOUND_DISTANCE = 1e100;

/** Why the main loop stopped. */
type StopReason =
  | 'rhoend'
  | 'maxeval'
  | 'ftol'
  | 'denominator-cancellation'
  | 'model-not-reduced'
  | 'roundoff';

class MaxEvalReached extends Error {}

/**
 * Counts evaluations, remembers the best point, and turns non-finite values into finite penalties.
 *
 * The penalty for a non-finite value is (largest finite value so far) + max(1, spread of finite
 * values so far). It is larger than every finite value seen, so the point is treated as bad, but
 * it is of the same order as the data, so the quadratic model fitted through it stays usable.
 */
class Evaluator {
  count = 0;
  nonFinite = 0;
  bestF = Infinity;
  bestX: number[];
  private fMinFinite = Infinity;
  private fMaxFinite = -Infinity;
  private readonly full: number[];

  constructor(
    private readonly f: Objective,
    private readonly maxEval: number,
    x0Full: readonly number[],
    private readonly freeIndex: readonly number[],
  ) {
    this.full = x0Full.slice();
    this.bestX = x0Full.slice();
  }

  exhausted(): boolean {
    return this.count >= this.maxEval;
  }

  /** Evaluate at the free variables x[1..nFree] (1-based), fixed variables at their values. */
  eval(x: Vec): number {
    if (this.exhausted()) throw new MaxEvalReached();
    for (let i = 0; i < this.freeIndex.length; i++) this.full[this.freeIndex[i]] = x[i + 1];
    const point = this.full.slice();
    this.count++;
    const v = this.f(point);
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (v < this.bestF) {
        this.bestF = v;
        this.bestX = point;
      }
      if (v < this.fMinFinite) this.fMinFinite = v;
      if (v > this.fMaxFinite) this.fMaxFinite = v;
      return v;
    }
    this.nonFinite++;
    if (!Number.isFinite(this.fMaxFinite)) {
      throw new Error('bobyqa: the objective is not finite at the starting point');
    }
    return this.fMaxFinite + Math.max(1, this.fMaxFinite - this.fMinFinite);
  }
}

/**
 * NLopt-style ftol_abs, made cautious: a single successful step that changes f by less than
 * ftolAbs can happen well before convergence (e.g. a short step along a flat valley), so we only
 * stop after two consecutive successful trust-region steps that each improved f by less than
 * ftolAbs. Accuracy first: lme4 results are reproduced to about 1e-8 in f.
 */
class FtolTracker {
  private smallSteps = 0;
  constructor(private readonly ftolAbs: number) {}
  /** Record a successful trust-region step; true when the search should stop. */
  successfulStep(improvement: number, predicted: number): boolean {
    if (!(this.ftolAbs > 0)) return false;
    if (improvement < this.ftolAbs && predicted < this.ftolAbs) this.smallSteps++;
    else this.smallSteps = 0;
    return this.smallSteps >= 2;
  }
}

/** All the arrays of BOBYQB that are shared between the subroutines. */
interface State {
  n: number;
  npt: number;
  ndim: number;
  xl: Vec;
  xu: Vec;
  /** Shift of origin: interpolation points are stored relative to XBASE. */
  xbase: Vec;
  /** Interpolation points, XPT[k][j], relative to XBASE. */
  xpt: Mat;
  fval: Vec;
  /** Trust-region centre (best point), relative to XBASE. */
  xopt: Vec;
  /** Gradient of the model at XOPT. */
  gopt: Vec;
  /** Explicit second derivatives of the model, packed lower triangle (ih = i + j(j-1)/2). */
  hq: Vec;
  /** Implicit second derivatives: H = HQ + sum_k PQ[k] XPT[k] XPT[k]^T. */
  pq: Vec;
  /** Last n columns of the inverse KKT matrix H (NDIM x n). */
  bmat: Mat;
  /** Leading NPT x NPT block of H as ZMAT ZMAT^T (NPT x (NPT-n-1)). */
  zmat: Mat;
  /** Bounds relative to XBASE. */
  sl: Vec;
  su: Vec;
}

/* ------------------------------------------------------------------------------------------- */
/* PRELIM: the initial interpolation points, model, BMAT and ZMAT.                               */
/* ------------------------------------------------------------------------------------------- */

/**
 * Sets XPT, FVAL, GOPT (gradient at XBASE), HQ, PQ, BMAT and ZMAT for the first iteration. The
 * points are XBASE, XBASE +- rhobeg e_i (or +2 rhobeg when a bound forbids the minus step), and,
 * when NPT > 2n+1, points along pairs of coordinates. Returns KOPT, the index of the least value.
 */
function prelim(s: State, ev: Evaluator, rhobeg: number): number {
  const { n, npt, xl, xu, xbase, xpt, fval, gopt, hq, bmat, zmat, sl, su } = s;
  const rhosq = rhobeg * rhobeg;
  const recip = 1 / rhosq;
  const np = n + 1;
  const x = vec(n);
  let fbeg = 0;
  let stepa = 0;
  let stepb = 0;
  let ipt = 0;
  let jpt = 0;
  let kopt = 1;

  for (let nf = 1; nf <= npt; nf++) {
    const nfm = nf - 1;
    const nfx = nf - 1 - n;
    if (nfm <= 2 * n) {
      if (nfm >= 1 && nfm <= n) {
        stepa = rhobeg;
        if (su[nfm] === 0) stepa = -stepa;
        xpt[nf][nfm] = stepa;
      } else if (nfm > n) {
        stepa = xpt[nf - n][nfx];
        stepb = -rhobeg;
        if (sl[nfx] === 0) stepb = Math.min(2 * rhobeg, su[nfx]);
        if (su[nfx] === 0) stepb = Math.max(-2 * rhobeg, sl[nfx]);
        xpt[nf][nfx] = stepb;
      }
    } else {
      let itemp = Math.floor((nfm - np) / n);
      jpt = nfm - itemp * n - n;
      ipt = jpt + itemp;
      if (ipt > n) {
        itemp = jpt;
        jpt = ipt - n;
        ipt = itemp;
      }
      xpt[nf][ipt] = xpt[ipt + 1][ipt];
      xpt[nf][jpt] = xpt[jpt + 1][jpt];
    }

    // The point is put exactly on a bound when XPT says so, so that rounding in XBASE+XPT
    // cannot move it outside.
    for (let j = 1; j <= n; j++) {
      x[j] = Math.min(Math.max(xl[j], xbase[j] + xpt[nf][j]), xu[j]);
      if (xpt[nf][j] === sl[j]) x[j] = xl[j];
      if (xpt[nf][j] === su[j]) x[j] = xu[j];
    }
    const f = ev.eval(x);
    fval[nf] = f;
    if (nf === 1) {
      fbeg = f;
      kopt = 1;
    } else if (f < fval[kopt]) {
      kopt = nf;
    }

    // Nonzero initial elements of BMAT and the quadratic model. When the two points along e_nfx
    // are on opposite sides of XBASE, the better one is made the (nf-n)-th point so that it
    // contributes to the off-diagonal second derivatives set below.
    if (nf <= 2 * n + 1) {
      if (nf >= 2 && nf <= n + 1) {
        gopt[nfm] = (f - fbeg) / stepa;
        if (npt < nf + n) {
          bmat[1][nfm] = -1 / stepa;
          bmat[nf][nfm] = 1 / stepa;
          bmat[npt + nfm][nfm] = -0.5 * rhosq;
        }
      } else if (nf >= n + 2) {
        const ih = (nfx * (nfx + 1)) / 2;
        const temp = (f - fbeg) / stepb;
        const diff = stepb - stepa;
        hq[ih] = (2 * (temp - gopt[nfx])) / diff;
        gopt[nfx] = (gopt[nfx] * stepb - temp * stepa) / diff;
        if (stepa * stepb < 0 && f < fval[nf - n]) {
          fval[nf] = fval[nf - n];
          fval[nf - n] = f;
          if (kopt === nf) kopt = nf - n;
          xpt[nf - n][nfx] = stepb;
          xpt[nf][nfx] = stepa;
        }
        bmat[1][nfx] = -(stepa + stepb) / (stepa * stepb);
        bmat[nf][nfx] = -0.5 / xpt[nf - n][nfx];
        bmat[nf - n][nfx] = -bmat[1][nfx] - bmat[nf][nfx];
        zmat[1][nfx] = Math.SQRT2 / (stepa * stepb);
        zmat[nf][nfx] = Math.SQRT1_2 / rhosq;
        zmat[nf - n][nfx] = -zmat[1][nfx] - zmat[nf][nfx];
      }
    } else {
      // Off-diagonal second derivatives of the Lagrange functions and of the initial model.
      const ih = (ipt * (ipt - 1)) / 2 + jpt;
      zmat[1][nfx] = recip;
      zmat[nf][nfx] = recip;
      zmat[ipt + 1][nfx] = -recip;
      zmat[jpt + 1][nfx] = -recip;
      const temp = xpt[nf][ipt] * xpt[nf][jpt];
      hq[ih] = (fbeg - fval[ipt + 1] - fval[jpt + 1] + f) / temp;
    }
  }
  return kopt;
}

/* ------------------------------------------------------------------------------------------- */
/* TRSBOX: approximate minimizer of the model in the intersection of the trust region and box.   */
/* ------------------------------------------------------------------------------------------- */

interface TrsboxWork {
  xnew: Vec;
  d: Vec;
  gnew: Vec;
  xbdi: Vec;
  s: Vec;
  hs: Vec;
  hred: Vec;
}

/**
 * Truncated conjugate gradients on the free variables; when a CG step hits a bound, that variable
 * is fixed and CG restarts; when the trust-region boundary is reached, D is improved by rotations
 * in the 2-D space spanned by D and the reduced gradient, staying on the boundary. Stops when the
 * further reduction in Q looks small compared with the reduction so far (QRED).
 *
 * Sets w.xnew = XOPT + D (exactly on the bounds that became active) and w.gnew = gradient of Q at
 * XNEW. Returns DSQ = |D|^2 and CRVMIN: 0 if D reached the trust-region boundary, otherwise the
 * least curvature seen in unconstrained CG searches (-1 if every search was constrained).
 */
function trsbox(st: State, delta: number, w: TrsboxWork): { dsq: number; crvmin: number } {
  const { n, npt, xpt, xopt, gopt, hq, pq, sl, su } = st;
  const { xnew, d, gnew, xbdi, s, hs, hred } = w;

  // XBDI[i] = -1 / +1 fixes variable i at its lower / upper bound; at the start a variable sits
  // at a bound and the gradient pushes it outwards, it is fixed there.
  let iterc = 0;
  let nact = 0;
  for (let i = 1; i <= n; i++) {
    xbdi[i] = 0;
    if (xopt[i] <= sl[i]) {
      if (gopt[i] >= 0) xbdi[i] = -1;
    } else if (xopt[i] >= su[i]) {
      if (gopt[i] <= 0) xbdi[i] = 1;
    }
    if (xbdi[i] !== 0) nact++;
    d[i] = 0;
    gnew[i] = gopt[i];
  }
  let delsq = delta * delta;
  let qred = 0;
  let crvmin = -1;

  let beta = 0;
  let stepsq = 0;
  let gredsq = 0;
  let itermax = 0;
  let blen = 0;
  let stplen = 0;
  let iact = 0;
  let sdec = 0;
  let ggsav = 0;
  let dredsq = 0;
  let dredg = 0;
  let sredg = 0;
  let itcsav = 0;
  let angbd = 0;
  let xsav = 0;

  // Powell's code is a network of GOTOs; it is kept as a small state machine whose labels are
  // his statement numbers.
  let label = 20;
  for (;;) {
    switch (label) {
      case 20: {
        // Restart CG with the steepest-descent direction.
        beta = 0;
        label = 30;
        continue;
      }
      case 30: {
        stepsq = 0;
        for (let i = 1; i <= n; i++) {
          if (xbdi[i] !== 0) s[i] = 0;
          else if (beta === 0) s[i] = -gnew[i];
          else s[i] = beta * s[i] - gnew[i];
          stepsq += s[i] * s[i];
        }
        if (stepsq === 0) {
          label = 190;
          continue;
        }
        if (beta === 0) {
          gredsq = stepsq;
          itermax = iterc + n - nact;
        }
        if (gredsq * delsq <= 1e-4 * qred * qred) {
          label = 190;
          continue;
        }
        label = 210; // HS = H S, then back to 50
        continue;
      }
      case 50: {
        // Step length to the trust-region boundary (BLEN), to the CG minimum, and to the bounds.
        let resid = delsq;
        let ds = 0;
        let shs = 0;
        for (let i = 1; i <= n; i++) {
          if (xbdi[i] === 0) {
            resid -= d[i] * d[i];
            ds += s[i] * d[i];
            shs += s[i] * hs[i];
          }
        }
        if (resid <= 0) {
          label = 90;
          continue;
        }
        let temp = Math.sqrt(stepsq * resid + ds * ds);
        blen = ds < 0 ? (temp - ds) / stepsq : resid / (temp + ds);
        stplen = blen;
        if (shs > 0) stplen = Math.min(blen, gredsq / shs);

        iact = 0;
        for (let i = 1; i <= n; i++) {
          if (s[i] !== 0) {
            const xsum = xopt[i] + d[i];
            temp = s[i] > 0 ? (su[i] - xsum) / s[i] : (sl[i] - xsum) / s[i];
            if (temp < stplen) {
              stplen = temp;
              iact = i;
            }
          }
        }

        sdec = 0;
        if (stplen > 0) {
          iterc++;
          temp = shs / stepsq;
          if (iact === 0 && temp > 0) {
            crvmin = Math.min(crvmin, temp);
            if (crvmin === -1) crvmin = temp;
          }
          ggsav = gredsq;
          gredsq = 0;
          for (let i = 1; i <= n; i++) {
            gnew[i] += stplen * hs[i];
            if (xbdi[i] === 0) gredsq += gnew[i] * gnew[i];
            d[i] += stplen * s[i];
          }
          sdec = Math.max(stplen * (ggsav - 0.5 * stplen * shs), 0);
          qred += sdec;
        }

        if (iact > 0) {
          // A new bound became active: fix the variable and restart CG.
          nact++;
          xbdi[iact] = s[iact] < 0 ? -1 : 1;
          delsq -= d[iact] * d[iact];
          if (delsq <= 0) {
            label = 90;
            continue;
          }
          label = 20;
          continue;
        }
        if (stplen < blen) {
          if (iterc === itermax || sdec <= 0.01 * qred) {
            label = 190;
            continue;
          }
          beta = gredsq / ggsav;
          label = 30;
          continue;
        }
        label = 90;
        continue;
      }
      case 90: {
        crvmin = 0;
        label = 100;
        continue;
      }
      case 100: {
        // Prepare the alternative iteration on the trust-region boundary.
        if (nact >= n - 1) {
          label = 190;
          continue;
        }
        dredsq = 0;
        dredg = 0;
        gredsq = 0;
        for (let i = 1; i <= n; i++) {
          if (xbdi[i] === 0) {
            dredsq += d[i] * d[i];
            dredg += d[i] * gnew[i];
            gredsq += gnew[i] * gnew[i];
            s[i] = d[i];
          } else {
            s[i] = 0;
          }
        }
        itcsav = iterc;
        label = 210; // HRED = H D (reduced), then 120
        continue;
      }
      case 120: {
        // S := combination of reduced D and reduced G, orthogonal to D, with |S| = |D|.
        iterc++;
        let temp = gredsq * dredsq - dredg * dredg;
        if (temp <= 1e-4 * qred * qred) {
          label = 190;
          continue;
        }
        temp = Math.sqrt(temp);
        for (let i = 1; i <= n; i++) {
          s[i] = xbdi[i] === 0 ? (dredg * d[i] - dredsq * gnew[i]) / temp : 0;
        }
        sredg = -temp;

        // ANGBD bounds tan(half the rotation angle) so that the free variables stay in the box;
        // a free variable already at a bound is fixed first.
        angbd = 1;
        iact = 0;
        let fixedOne = false;
        for (let i = 1; i <= n; i++) {
          if (xbdi[i] !== 0) continue;
          const tempa = xopt[i] + d[i] - sl[i];
          const tempb = su[i] - xopt[i] - d[i];
          if (tempa <= 0) {
            nact++;
            xbdi[i] = -1;
            fixedOne = true;
            break;
          } else if (tempb <= 0) {
            nact++;
            xbdi[i] = 1;
            fixedOne = true;
            break;
          }
          const ssq = d[i] * d[i] + s[i] * s[i];
          let t = xopt[i] - sl[i];
          temp = ssq - t * t;
          if (temp > 0) {
            temp = Math.sqrt(temp) - s[i];
            if (angbd * temp > tempa) {
              angbd = tempa / temp;
              iact = i;
              xsav = -1;
            }
          }
          t = su[i] - xopt[i];
          temp = ssq - t * t;
          if (temp > 0) {
            temp = Math.sqrt(temp) + s[i];
            if (angbd * temp > tempb) {
              angbd = tempb / temp;
              iact = i;
              xsav = 1;
            }
          }
        }
        if (fixedOne) {
          label = 100;
          continue;
        }
        label = 210; // HS = H S, then 150
        continue;
      }
      case 150: {
        let shs = 0;
        let dhs = 0;
        let dhd = 0;
        for (let i = 1; i <= n; i++) {
          if (xbdi[i] === 0) {
            shs += s[i] * hs[i];
            dhs += d[i] * hs[i];
            dhd += d[i] * hred[i];
          }
        }
        // Greatest reduction of Q over equally spaced values of ANGT in [0, ANGBD], refined by
        // a parabola through the best value and its neighbours.
        let redmax = 0;
        let isav = 0;
        let redsav = 0;
        let rdprev = 0;
        let rdnext = 0;
        const iu = Math.trunc(angbd * 17 + 3.1);
        let angt = 0;
        for (let i = 1; i <= iu; i++) {
          angt = (angbd * i) / iu;
          const sth = (angt + angt) / (1 + angt * angt);
          const temp = shs + angt * (angt * dhd - dhs - dhs);
          const rednew = sth * (angt * dredg - sredg - 0.5 * sth * temp);
          if (rednew > redmax) {
            redmax = rednew;
            isav = i;
            rdprev = redsav;
          } else if (i === isav + 1) {
            rdnext = rednew;
          }
          redsav = rednew;
        }
        if (isav === 0) {
          label = 190;
          continue;
        }
        if (isav < iu) {
          const temp = (rdnext - rdprev) / (redmax + redmax - rdprev - rdnext);
          angt = (angbd * (isav + 0.5 * temp)) / iu;
        }
        const cth = (1 - angt * angt) / (1 + angt * angt);
        const sth = (angt + angt) / (1 + angt * angt);
        const temp = shs + angt * (angt * dhd - dhs - dhs);
        sdec = sth * (angt * dredg - sredg - 0.5 * sth * temp);
        if (sdec <= 0) {
          label = 190;
          continue;
        }
        dredg = 0;
        gredsq = 0;
        for (let i = 1; i <= n; i++) {
          gnew[i] = gnew[i] + (cth - 1) * hred[i] + sth * hs[i];
          if (xbdi[i] === 0) {
            d[i] = cth * d[i] + sth * s[i];
            dredg += d[i] * gnew[i];
            gredsq += gnew[i] * gnew[i];
          }
          hred[i] = cth * hred[i] + sth * hs[i];
        }
        qred += sdec;
        if (iact > 0 && isav === iu) {
          nact++;
          xbdi[iact] = xsav;
          label = 100;
          continue;
        }
        if (sdec > 0.01 * qred) {
          label = 120;
          continue;
        }
        label = 190;
        continue;
      }
      case 190: {
        // XNEW = XOPT + D, with the active bounds imposed exactly.
        let dsq = 0;
        for (let i = 1; i <= n; i++) {
          xnew[i] = Math.max(Math.min(xopt[i] + d[i], su[i]), sl[i]);
          if (xbdi[i] === -1) xnew[i] = sl[i];
          if (xbdi[i] === 1) xnew[i] = su[i];
          d[i] = xnew[i] - xopt[i];
          dsq += d[i] * d[i];
        }
        return { dsq, crvmin };
      }
      case 210: {
        // HS := (model Hessian) * S, from HQ and the implicit part PQ.
        let ih = 0;
        for (let j = 1; j <= n; j++) {
          hs[j] = 0;
          for (let i = 1; i <= j; i++) {
            ih++;
            if (i < j) hs[j] += hq[ih] * s[i];
            hs[i] += hq[ih] * s[j];
          }
        }
        for (let k = 1; k <= npt; k++) {
          if (pq[k] !== 0) {
            let temp = 0;
            for (let j = 1; j <= n; j++) temp += xpt[k][j] * s[j];
            temp *= pq[k];
            for (let i = 1; i <= n; i++) hs[i] += temp * xpt[k][i];
          }
        }
        if (crvmin !== 0) label = 50;
        else if (iterc > itcsav) label = 150;
        else {
          for (let i = 1; i <= n; i++) hred[i] = hs[i];
          label = 120;
        }
        continue;
      }
      default:
        throw new Error(`trsbox: bad label ${label}`);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* ALTMOV: a new position for the KNEW-th point that keeps the interpolation well poised.        */
/* ------------------------------------------------------------------------------------------- */

/**
 * Chooses XNEW (on a line through XOPT and another interpolation point) and XALT (a constrained
 * Cauchy step of the KNEW-th Lagrange function) within distance ADELT of XOPT and inside the
 * bounds, both giving a large |Lagrange function|, i.e. a large denominator in UPDATE.
 * Returns ALPHA = H[knew][knew] and CAUCHY = square of the Lagrange function at XALT.
 */
function altmov(
  st: State,
  kopt: number,
  knew: number,
  adelt: number,
  xnew: Vec,
  xalt: Vec,
  glag: Vec,
  hcol: Vec,
  w: Vec,
): { alpha: number; cauchy: number } {
  const { n, npt, xpt, xopt, bmat, zmat, sl, su } = st;
  const nptm = npt - n - 1;
  const cnst = 1 + Math.SQRT2;

  // HCOL: the KNEW-th column of the leading block of H; ALPHA its diagonal element.
  for (let k = 1; k <= npt; k++) hcol[k] = 0;
  for (let j = 1; j <= nptm; j++) {
    const temp = zmat[knew][j];
    for (let k = 1; k <= npt; k++) hcol[k] += temp * zmat[k][j];
  }
  const alpha = hcol[knew];
  const ha = 0.5 * alpha;

  // Gradient of the KNEW-th Lagrange function at XOPT.
  for (let i = 1; i <= n; i++) glag[i] = bmat[knew][i];
  for (let k = 1; k <= npt; k++) {
    let temp = 0;
    for (let j = 1; j <= n; j++) temp += xpt[k][j] * xopt[j];
    temp *= hcol[k];
    for (let i = 1; i <= n; i++) glag[i] += temp * xpt[k][i];
  }

  // Line searches along XOPT -> XPT[k]: SLBD, SUBD bound the step; PREDSQ predicts the square of
  // the next denominator; keep the best line.
  let presav = 0;
  let ksav = 0;
  let stpsav = 0;
  let ibdsav = 0;
  for (let k = 1; k <= npt; k++) {
    if (k === kopt) continue;
    let dderiv = 0;
    let distsq = 0;
    for (let i = 1; i <= n; i++) {
      const temp = xpt[k][i] - xopt[i];
      dderiv += glag[i] * temp;
      distsq += temp * temp;
    }
    let subd = adelt / Math.sqrt(distsq);
    let slbd = -subd;
    let ilbd = 0;
    let iubd = 0;
    const sumin = Math.min(1, subd);
    for (let i = 1; i <= n; i++) {
      const temp = xpt[k][i] - xopt[i];
      if (temp > 0) {
        if (slbd * temp < sl[i] - xopt[i]) {
          slbd = (sl[i] - xopt[i]) / temp;
          ilbd = -i;
        }
        if (subd * temp > su[i] - xopt[i]) {
          subd = Math.max(sumin, (su[i] - xopt[i]) / temp);
          iubd = i;
        }
      } else if (temp < 0) {
        if (slbd * temp > su[i] - xopt[i]) {
          slbd = (su[i] - xopt[i]) / temp;
          ilbd = i;
        }
        if (subd * temp < sl[i] - xopt[i]) {
          subd = Math.max(sumin, (sl[i] - xopt[i]) / temp);
          iubd = -i;
        }
      }
    }

    let step: number;
    let vlag: number;
    let isbd: number;
    if (k === knew) {
      // The Lagrange function along its own line is quadratic: l(t) = t(dderiv - t(dderiv-1)).
      const diff = dderiv - 1;
      step = slbd;
      vlag = slbd * (dderiv - slbd * diff);
      isbd = ilbd;
      let temp = subd * (dderiv - subd * diff);
      if (Math.abs(temp) > Math.abs(vlag)) {
        step = subd;
        vlag = temp;
        isbd = iubd;
      }
      const tempd = 0.5 * dderiv;
      const tempa = tempd - diff * slbd;
      const tempb = tempd - diff * subd;
      if (tempa * tempb < 0) {
        temp = (tempd * tempd) / diff;
        if (Math.abs(temp) > Math.abs(vlag)) {
          step = tempd / diff;
          vlag = temp;
          isbd = 0;
        }
      }
    } else {
      // Along another point's line: l(t) = t(1-t) dderiv.
      step = slbd;
      vlag = slbd * (1 - slbd);
      isbd = ilbd;
      const temp = subd * (1 - subd);
      if (Math.abs(temp) > Math.abs(vlag)) {
        step = subd;
        vlag = temp;
        isbd = iubd;
      }
      if (subd > 0.5 && Math.abs(vlag) < 0.25) {
        step = 0.5;
        vlag = 0.25;
        isbd = 0;
      }
      vlag *= dderiv;
    }
    const temp = step * (1 - step) * distsq;
    const predsq = vlag * vlag * (vlag * vlag + ha * temp * temp);
    if (predsq > presav) {
      presav = predsq;
      ksav = k;
      stpsav = step;
      ibdsav = isbd;
    }
  }
  if (ksav === 0) {
    // Every predicted denominator was zero (Powell's code leaves KSAV undefined here). Fall back
    // to half-way along the line to the point being replaced.
    ksav = knew !== kopt ? knew : kopt === 1 ? 2 : 1;
    stpsav = 0.5;
    ibdsav = 0;
  }

  // XNEW, with the bound that limited the step imposed exactly.
  for (let i = 1; i <= n; i++) {
    const temp = xopt[i] + stpsav * (xpt[ksav][i] - xopt[i]);
    xnew[i] = Math.max(sl[i], Math.min(su[i], temp));
  }
  if (ibdsav < 0) xnew[-ibdsav] = sl[-ibdsav];
  if (ibdsav > 0) xnew[ibdsav] = su[ibdsav];

  // Constrained Cauchy step of +-(Lagrange function), computed for both signs (IFLAG 0 and 1);
  // the one with the larger CAUCHY is returned. W[1..n] holds the step, W[n+1..2n] the first XALT.
  const bigstp = adelt + adelt;
  let csave = 0;
  let cauchy = 0;
  let step = 0;
  for (let iflag = 0; ; iflag = 1) {
    let wfixsq = 0;
    let ggfree = 0;
    for (let i = 1; i <= n; i++) {
      w[i] = 0;
      const tempa = Math.min(xopt[i] - sl[i], glag[i]);
      const tempb = Math.max(xopt[i] - su[i], glag[i]);
      if (tempa > 0 || tempb < 0) {
        w[i] = bigstp;
        ggfree += glag[i] * glag[i];
      }
    }
    if (ggfree === 0) return { alpha, cauchy: 0 };

    // Fix the components of the steepest-descent step that hit a bound, as long as that changes
    // anything (W = BIGSTP marks a free component).
    for (;;) {
      const temp = adelt * adelt - wfixsq;
      if (!(temp > 0)) break;
      const wsqsav = wfixsq;
      step = Math.sqrt(temp / ggfree);
      ggfree = 0;
      for (let i = 1; i <= n; i++) {
        if (w[i] === bigstp) {
          const t = xopt[i] - step * glag[i];
          if (t <= sl[i]) {
            w[i] = sl[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else if (t >= su[i]) {
            w[i] = su[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else {
            ggfree += glag[i] * glag[i];
          }
        }
      }
      if (!(wfixsq > wsqsav && ggfree > 0)) break;
    }

    let gw = 0;
    for (let i = 1; i <= n; i++) {
      if (w[i] === bigstp) {
        w[i] = -step * glag[i];
        xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + w[i]));
      } else if (w[i] === 0) {
        xalt[i] = xopt[i];
      } else if (glag[i] > 0) {
        xalt[i] = sl[i];
      } else {
        xalt[i] = su[i];
      }
      gw += glag[i] * w[i];
    }

    // Curvature of the Lagrange function along W; scale W down if that increases |l|.
    let curv = 0;
    for (let k = 1; k <= npt; k++) {
      let temp = 0;
      for (let j = 1; j <= n; j++) temp += xpt[k][j] * w[j];
      curv += hcol[k] * temp * temp;
    }
    if (iflag === 1) curv = -curv;
    if (curv > -gw && curv < -cnst * gw) {
      const scale = -gw / curv;
      for (let i = 1; i <= n; i++) {
        const temp = xopt[i] + scale * w[i];
        xalt[i] = Math.max(sl[i], Math.min(su[i], temp));
      }
      const t = 0.5 * gw * scale;
      cauchy = t * t;
    } else {
      const t = gw + 0.5 * curv;
      cauchy = t * t;
    }

    if (iflag === 0) {
      for (let i = 1; i <= n; i++) {
        glag[i] = -glag[i];
        w[n + i] = xalt[i];
      }
      csave = cauchy;
      continue;
    }
    if (csave > cauchy) {
      for (let i = 1; i <= n; i++) xalt[i] = w[n + i];
      cauchy = csave;
    }
    return { alpha, cauchy };
  }
}

/* ------------------------------------------------------------------------------------------- */
/* UPDATE: BMAT and ZMAT after the KNEW-th interpolation point moves.                            */
/* ------------------------------------------------------------------------------------------- */

/**
 * VLAG holds H w for the new point (first NPT and last N components), BETA and DENOM the
 * parameters of the updating formula (Powell 2006, NEWUOA, eq. 4.11; BOBYQA keeps all ZMAT
 * columns with positive sign). W is workspace of length NDIM.
 */
function update(st: State, vlag: Vec, beta: number, denom: number, knew: number, w: Vec): void {
  const { n, npt, bmat, zmat } = st;
  const nptm = npt - n - 1;

  let ztest = 0;
  for (let k = 1; k <= npt; k++) {
    for (let j = 1; j <= nptm; j++) ztest = Math.max(ztest, Math.abs(zmat[k][j]));
  }
  ztest *= 1e-20;

  // Givens rotations that zero the KNEW-th row of ZMAT except its first element.
  for (let j = 2; j <= nptm; j++) {
    if (Math.abs(zmat[knew][j]) > ztest) {
      const temp = Math.hypot(zmat[knew][1], zmat[knew][j]);
      const tempa = zmat[knew][1] / temp;
      const tempb = zmat[knew][j] / temp;
      for (let i = 1; i <= npt; i++) {
        const t = tempa * zmat[i][1] + tempb * zmat[i][j];
        zmat[i][j] = tempa * zmat[i][j] - tempb * zmat[i][1];
        zmat[i][1] = t;
      }
    }
    zmat[knew][j] = 0;
  }

  // First NPT components of the KNEW-th column of H, and the updating parameters.
  for (let i = 1; i <= npt; i++) w[i] = zmat[knew][1] * zmat[i][1];
  const alpha = w[knew];
  const tau = vlag[knew];
  vlag[knew] -= 1;

  const sq = Math.sqrt(denom);
  const tempb = zmat[knew][1] / sq;
  const tempa = tau / sq;
  for (let i = 1; i <= npt; i++) zmat[i][1] = tempa * zmat[i][1] - tempb * vlag[i];

  for (let j = 1; j <= n; j++) {
    const jp = npt + j;
    w[jp] = bmat[knew][j];
    const ta = (alpha * vlag[jp] - tau * w[jp]) / denom;
    const tb = (-beta * w[jp] - tau * vlag[jp]) / denom;
    for (let i = 1; i <= jp; i++) {
      bmat[i][j] = bmat[i][j] + ta * vlag[i] + tb * w[i];
      if (i > npt) bmat[jp][i - npt] = bmat[i][j];
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* RESCUE: rebuild BMAT and ZMAT from scratch when rounding errors have damaged them.            */
/* ------------------------------------------------------------------------------------------- */

/**
 * Moves XBASE to XOPT, sets up provisional interpolation points along coordinate directions
 * (whose BMAT/ZMAT are known in closed form), then reinstates as many original points as possible
 * by UPDATE, choosing the order that keeps denominators large. The provisional points that
 * remain are evaluated and the model is updated for them. Returns the new KOPT.
 */
function rescue(st: State, ev: Evaluator, delta: number, koptIn: number, vlag: Vec): number {
  const { n, npt, ndim, xl, xu, xbase, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su } = st;
  let kopt = koptIn;
  const np = n + 1;
  const sfrac = 0.5 / np;
  const nptm = npt - np;
  const w = vec(ndim + npt);
  // PTSAUX: the two provisional step lengths along each coordinate.
  const p1 = vec(n);
  const p2 = vec(n);
  // PTSID: identifies each provisional point (0 = an original point).
  const ptsid = vec(npt);
  const x = vec(n);

  // Shift so that XOPT is the origin; W[ndim+k] = squared distance of point k from XOPT.
  let sumpq = 0;
  let winc = 0;
  for (let k = 1; k <= npt; k++) {
    let distsq = 0;
    for (let j = 1; j <= n; j++) {
      xpt[k][j] -= xopt[j];
      distsq += xpt[k][j] * xpt[k][j];
    }
    sumpq += pq[k];
    w[ndim + k] = distsq;
    winc = Math.max(winc, distsq);
    for (let j = 1; j <= nptm; j++) zmat[k][j] = 0;
  }

  // HQ so that HQ and PQ define the model's second derivatives after the shift.
  let ih = 0;
  for (let j = 1; j <= n; j++) {
    w[j] = 0.5 * sumpq * xopt[j];
    for (let k = 1; k <= npt; k++) w[j] += pq[k] * xpt[k][j];
    for (let i = 1; i <= j; i++) {
      ih++;
      hq[ih] = hq[ih] + w[i] * xopt[j] + w[j] * xopt[i];
    }
  }

  for (let j = 1; j <= n; j++) {
    xbase[j] += xopt[j];
    sl[j] -= xopt[j];
    su[j] -= xopt[j];
    xopt[j] = 0;
    p1[j] = Math.min(delta, su[j]);
    p2[j] = Math.max(-delta, sl[j]);
    if (p1[j] + p2[j] < 0) {
      const temp = p1[j];
      p1[j] = p2[j];
      p2[j] = temp;
    }
    if (Math.abs(p2[j]) < 0.5 * Math.abs(p1[j])) p2[j] = 0.5 * p1[j];
    for (let i = 1; i <= ndim; i++) bmat[i][j] = 0;
  }
  const fbase = fval[kopt];

  // Identifiers of the provisional points along coordinate directions, and their BMAT/ZMAT.
  ptsid[1] = sfrac;
  for (let j = 1; j <= n; j++) {
    const jp = j + 1;
    const jpn = jp + n;
    ptsid[jp] = j + sfrac;
    if (jpn <= npt) {
      ptsid[jpn] = j / np + sfrac;
      const temp = 1 / (p1[j] - p2[j]);
      bmat[jp][j] = -temp + 1 / p1[j];
      bmat[jpn][j] = temp + 1 / p2[j];
      bmat[1][j] = -bmat[jp][j] - bmat[jpn][j];
      zmat[1][j] = Math.SQRT2 / Math.abs(p1[j] * p2[j]);
      zmat[jp][j] = zmat[1][j] * p2[j] * temp;
      zmat[jpn][j] = -zmat[1][j] * p1[j] * temp;
    } else {
      bmat[1][j] = -1 / p1[j];
      bmat[jp][j] = 1 / p1[j];
      bmat[j + npt][j] = -0.5 * p1[j] * p1[j];
    }
  }
  if (npt >= n + np) {
    for (let k = 2 * np; k <= npt; k++) {
      const iw = Math.trunc((k - np - 0.5) / n);
      const ip = k - np - iw * n;
      let iq = ip + iw;
      if (iq > n) iq -= n;
      ptsid[k] = ip + iq / np + sfrac;
      const temp = 1 / (p1[ip] * p1[iq]);
      zmat[1][k - np] = temp;
      zmat[ip + 1][k - np] = -temp;
      zmat[iq + 1][k - np] = -temp;
      zmat[k][k - np] = temp;
    }
  }

  const idOf = (k: number): [number, number] => {
    const ip = Math.trunc(ptsid[k]);
    const iq = Math.trunc(np * ptsid[k] - ip * np);
    return [ip, iq];
  };

  let nrem = npt;
  let kold = 1;
  let knew = kopt;
  let beta = 0;
  let denom = 0;

  let label = 80;
  for (;;) {
    if (label === 80) {
      // Exchange PTSID(KOLD) with PTSID(KNEW), together with the rows of BMAT and ZMAT.
      for (let j = 1; j <= n; j++) {
        const temp = bmat[kold][j];
        bmat[kold][j] = bmat[knew][j];
        bmat[knew][j] = temp;
      }
      for (let j = 1; j <= nptm; j++) {
        const temp = zmat[kold][j];
        zmat[kold][j] = zmat[knew][j];
        zmat[knew][j] = temp;
      }
      ptsid[kold] = ptsid[knew];
      ptsid[knew] = 0;
      w[ndim + knew] = 0;
      nrem--;
      if (knew !== kopt) {
        const temp = vlag[kold];
        vlag[kold] = vlag[knew];
        vlag[knew] = temp;
        // The KNEW-th point changes from provisional to original.
        update(st, vlag, beta, denom, knew, w);
        if (nrem === 0) return kopt;
        for (let k = 1; k <= npt; k++) w[ndim + k] = Math.abs(w[ndim + k]);
      }
      label = 120;
      continue;
    }
    if (label === 120) {
      // Pick the original point closest to XOPT that has not been reinstated (negative W marks
      // points whose reinstatement failed; they are retried later with lower priority).
      let dsqmin = 0;
      for (let k = 1; k <= npt; k++) {
        if (w[ndim + k] > 0 && (dsqmin === 0 || w[ndim + k] < dsqmin)) {
          knew = k;
          dsqmin = w[ndim + k];
        }
      }
      if (dsqmin === 0) {
        label = 260;
        continue;
      }

      // W-vector of the chosen original point, in terms of the provisional points.
      for (let j = 1; j <= n; j++) w[npt + j] = xpt[knew][j];
      for (let k = 1; k <= npt; k++) {
        let sum = 0;
        if (k === kopt) {
          // zero
        } else if (ptsid[k] === 0) {
          for (let j = 1; j <= n; j++) sum += w[npt + j] * xpt[k][j];
        } else {
          const [ip, iq] = idOf(k);
          if (ip > 0) sum = w[npt + ip] * p1[ip];
          if (iq > 0) sum += w[npt + iq] * (ip === 0 ? p2[iq] : p1[iq]);
        }
        w[k] = 0.5 * sum * sum;
      }

      // VLAG and BETA for reinstating XPT[knew].
      for (let k = 1; k <= npt; k++) {
        let sum = 0;
        for (let j = 1; j <= n; j++) sum += bmat[k][j] * w[npt + j];
        vlag[k] = sum;
      }
      beta = 0;
      for (let j = 1; j <= nptm; j++) {
        let sum = 0;
        for (let k = 1; k <= npt; k++) sum += zmat[k][j] * w[k];
        beta -= sum * sum;
        for (let k = 1; k <= npt; k++) vlag[k] += sum * zmat[k][j];
      }
      let bsum = 0;
      let distsq = 0;
      for (let j = 1; j <= n; j++) {
        let sum = 0;
        for (let k = 1; k <= npt; k++) sum += bmat[k][j] * w[k];
        const jp = j + npt;
        bsum += sum * w[jp];
        for (let ip = npt + 1; ip <= ndim; ip++) sum += bmat[ip][j] * w[ip];
        bsum += sum * w[jp];
        vlag[jp] = sum;
        distsq += xpt[knew][j] * xpt[knew][j];
      }
      beta = 0.5 * distsq * distsq + beta - bsum;
      vlag[kopt] += 1;

      // KOLD: the provisional point to delete, chosen for a large UPDATE denominator.
      denom = 0;
      let vlmxsq = 0;
      for (let k = 1; k <= npt; k++) {
        if (ptsid[k] !== 0) {
          let hdiag = 0;
          for (let j = 1; j <= nptm; j++) hdiag += zmat[k][j] * zmat[k][j];
          const den = beta * hdiag + vlag[k] * vlag[k];
          if (den > denom) {
            kold = k;
            denom = den;
          }
        }
        vlmxsq = Math.max(vlmxsq, vlag[k] * vlag[k]);
      }
      if (denom <= 0.01 * vlmxsq) {
        w[ndim + knew] = -w[ndim + knew] - winc;
        label = 120;
        continue;
      }
      label = 80;
      continue;
    }
    // label 260: evaluate f at the provisional points that remain, updating the model.
    for (let kpt = 1; kpt <= npt; kpt++) {
      if (ptsid[kpt] === 0) continue;
      if (ev.exhausted()) throw new MaxEvalReached();

      // Move the implicit second-derivative term of the old point into HQ.
      ih = 0;
      for (let j = 1; j <= n; j++) {
        w[j] = xpt[kpt][j];
        xpt[kpt][j] = 0;
        const temp = pq[kpt] * w[j];
        for (let i = 1; i <= j; i++) {
          ih++;
          hq[ih] += temp * w[i];
        }
      }
      pq[kpt] = 0;
      const [ip, iq] = idOf(kpt);
      let xp = 0;
      let xq = 0;
      if (ip > 0) {
        xp = p1[ip];
        xpt[kpt][ip] = xp;
      }
      if (iq > 0) {
        xq = ip === 0 ? p2[iq] : p1[iq];
        xpt[kpt][iq] = xq;
      }

      // Model value at the new point.
      let vquad = fbase;
      let ihp = 0;
      if (ip > 0) {
        ihp = (ip + ip * ip) / 2;
        vquad += xp * (gopt[ip] + 0.5 * xp * hq[ihp]);
      }
      if (iq > 0) {
        const ihq = (iq + iq * iq) / 2;
        vquad += xq * (gopt[iq] + 0.5 * xq * hq[ihq]);
        if (ip > 0) {
          const iw = Math.max(ihp, ihq) - Math.abs(ip - iq);
          vquad += xp * xq * hq[iw];
        }
      }
      for (let k = 1; k <= npt; k++) {
        let temp = 0;
        if (ip > 0) temp += xp * xpt[k][ip];
        if (iq > 0) temp += xq * xpt[k][iq];
        vquad += 0.5 * pq[k] * temp * temp;
      }

      for (let i = 1; i <= n; i++) {
        x[i] = Math.min(Math.max(xl[i], xbase[i] + xpt[kpt][i]), xu[i]);
        if (xpt[kpt][i] === sl[i]) x[i] = xl[i];
        if (xpt[kpt][i] === su[i]) x[i] = xu[i];
      }
      const f = ev.eval(x);
      fval[kpt] = f;
      if (f < fval[kopt]) kopt = kpt;
      const diff = f - vquad;

      // Add DIFF times the KPT-th Lagrange function to the model.
      for (let i = 1; i <= n; i++) gopt[i] += diff * bmat[kpt][i];
      for (let k = 1; k <= npt; k++) {
        let sum = 0;
        for (let j = 1; j <= nptm; j++) sum += zmat[k][j] * zmat[kpt][j];
        const temp = diff * sum;
        if (ptsid[k] === 0) {
          pq[k] += temp;
        } else {
          const [kp, kq] = idOf(k);
          const ihq = (kq * kq + kq) / 2;
          if (kp === 0) {
            hq[ihq] += temp * p2[kq] * p2[kq];
          } else {
            const ihpk = (kp * kp + kp) / 2;
            hq[ihpk] += temp * p1[kp] * p1[kp];
            if (kq > 0) {
              hq[ihq] += temp * p1[kq] * p1[kq];
              const iw = Math.max(ihpk, ihq) - Math.abs(kq - kp);
              hq[iw] += temp * p1[kp] * p1[kq];
            }
          }
        }
      }
      ptsid[kpt] = 0;
    }
    return kopt;
  }
}

/* ------------------------------------------------------------------------------------------- */
/* BOBYQB: the main iteration.                                                                    */
/* ------------------------------------------------------------------------------------------- */

interface Settings {
  rhobeg: number;
  rhoend: number;
  /** Test hook: call RESCUE before every trust-region step once this many evaluations passed. */
  forceRescueEvery?: number;
}

/** Hooks that let tests drive rarely used paths of the algorithm. Not for production use. */
export interface BobyqaTestHooks {
  /**
   * Call RESCUE (rebuilding BMAT/ZMAT from scratch) before a trust-region step whenever at least
   * this many evaluations have been made since the last call. RESCUE is a legitimate operation at
   * any time, so the result must still be correct; this exercises code that rounding errors
   * trigger only rarely.
   */
  forceRescueEvery?: number;
}

/** Diagnostics of one run, for messages and tests. */
export interface BobyqaDiagnostics {
  rescues: number;
  finalRho: number;
}

function bobyqb(
  st: State,
  ev: Evaluator,
  set: Settings,
  ftol: FtolTracker,
  diag: BobyqaDiagnostics,
): StopReason {
  const { n, npt, ndim, xl, xu, xbase, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su } = st;
  const { rhobeg, rhoend } = set;
  const np = n + 1;
  const nptm = npt - np;
  const nh = (n * np) / 2;

  const xnew = vec(n);
  const xalt = vec(n);
  const d = vec(n);
  const vlag = vec(ndim);
  const w = vec(3 * ndim);
  const x = vec(n);
  const tw: TrsboxWork = {
    xnew,
    d,
    gnew: vec(n),
    xbdi: vec(n),
    s: vec(n),
    hs: vec(n),
    hred: vec(n),
  };
  const glag = vec(n);
  const hcol = vec(npt);
  const altw = vec(2 * n);

  let kopt = prelim(st, ev, rhobeg);
  let xoptsq = 0;
  for (let i = 1; i <= n; i++) {
    xopt[i] = xpt[kopt][i];
    xoptsq += xopt[i] * xopt[i];
  }
  let kbase = 1;

  let rho = rhobeg;
  let delta = rho;
  let nresc = ev.count;
  let ntrits = 0;
  let diffa = 0;
  let diffb = 0;
  let diffc = 0;
  let itest = 0;
  let nfsav = ev.count;

  let knew = 0;
  let dsq = 0;
  let crvmin = 0;
  let dnorm = 0;
  let distsq = 0;
  let adelt = 0;
  let alpha = 0;
  let cauchy = 0;
  let beta = 0;
  let denom = 0;
  let ratio = 0;
  let vquad = 0;
  let fopt = 0;
  let f = 0;

  const recordRho = (): void => {
    diag.finalRho = rho;
  };

  let label = 20;
  for (;;) {
    switch (label) {
      case 20: {
        // GOPT is the gradient at XBASE after PRELIM/RESCUE; move it to XOPT if needed.
        if (kopt !== kbase) {
          let ih = 0;
          for (let j = 1; j <= n; j++) {
            for (let i = 1; i <= j; i++) {
              ih++;
              if (i < j) gopt[j] += hq[ih] * xopt[i];
              gopt[i] += hq[ih] * xopt[j];
            }
          }
          if (ev.count > npt) {
            for (let k = 1; k <= npt; k++) {
              let temp = 0;
              for (let j = 1; j <= n; j++) temp += xpt[k][j] * xopt[j];
              temp *= pq[k];
              for (let i = 1; i <= n; i++) gopt[i] += temp * xpt[k][i];
            }
          }
        }
        label = 60;
        continue;
      }
      case 60: {
        // Trust-region step. If it is shorter than rho/2 it is not evaluated (NTRITS = -1):
        // either some interpolation points are moved (650) or rho is reduced (680).
        const r = trsbox(st, delta, tw);
        dsq = r.dsq;
        crvmin = r.crvmin;
        dnorm = Math.min(delta, Math.sqrt(dsq));
        if (dnorm < 0.5 * rho) {
          ntrits = -1;
          distsq = 10 * rho * (10 * rho);
          if (ev.count <= nfsav + 2) {
            label = 650;
            continue;
          }
          // Is the work with this rho complete? Yes if the recent model errors are small
          // compared with the improvements that a step of length rho/2 could give.
          const errbig = Math.max(diffa, diffb, diffc);
          const frhosq = 0.125 * rho * rho;
          if (crvmin > 0 && errbig > frhosq * crvmin) {
            label = 650;
            continue;
          }
          const bdtol = errbig / rho;
          let goto650 = false;
          for (let j = 1; j <= n; j++) {
            let bdtest = bdtol;
            if (xnew[j] === sl[j]) bdtest = tw.gnew[j];
            if (xnew[j] === su[j]) bdtest = -tw.gnew[j];
            if (bdtest < bdtol) {
              let curv = hq[(j + j * j) / 2];
              for (let k = 1; k <= npt; k++) curv += pq[k] * xpt[k][j] * xpt[k][j];
              bdtest += 0.5 * curv * rho;
              if (bdtest < bdtol) {
                goto650 = true;
                break;
              }
            }
          }
          label = goto650 ? 650 : 680;
          continue;
        }
        ntrits++;
        label = 90;
        continue;
      }
      case 90: {
        // Shift XBASE to XOPT when XOPT is far from XBASE compared with the step, to limit
        // cancellation; BMAT and the model's second derivatives are revised accordingly.
        if (dsq <= 1e-3 * xoptsq) {
          const fracsq = 0.25 * xoptsq;
          let sumpq = 0;
          for (let k = 1; k <= npt; k++) {
            sumpq += pq[k];
            let sum = -0.5 * xoptsq;
            for (let i = 1; i <= n; i++) sum += xpt[k][i] * xopt[i];
            w[npt + k] = sum;
            const temp = fracsq - 0.5 * sum;
            for (let i = 1; i <= n; i++) {
              w[i] = bmat[k][i];
              vlag[i] = sum * xpt[k][i] + temp * xopt[i];
              const ip = npt + i;
              for (let j = 1; j <= i; j++) {
                bmat[ip][j] = bmat[ip][j] + w[i] * vlag[j] + vlag[i] * w[j];
              }
            }
          }
          for (let jj = 1; jj <= nptm; jj++) {
            let sumz = 0;
            let sumw = 0;
            for (let k = 1; k <= npt; k++) {
              sumz += zmat[k][jj];
              vlag[k] = w[npt + k] * zmat[k][jj];
              sumw += vlag[k];
            }
            for (let j = 1; j <= n; j++) {
              let sum = (fracsq * sumz - 0.5 * sumw) * xopt[j];
              for (let k = 1; k <= npt; k++) sum += vlag[k] * xpt[k][j];
              w[j] = sum;
              for (let k = 1; k <= npt; k++) bmat[k][j] += sum * zmat[k][jj];
            }
            for (let i = 1; i <= n; i++) {
              const ip = i + npt;
              const temp = w[i];
              for (let j = 1; j <= i; j++) bmat[ip][j] += temp * w[j];
            }
          }
          let ih = 0;
          for (let j = 1; j <= n; j++) {
            w[j] = -0.5 * sumpq * xopt[j];
            for (let k = 1; k <= npt; k++) {
              w[j] += pq[k] * xpt[k][j];
              xpt[k][j] -= xopt[j];
            }
            for (let i = 1; i <= j; i++) {
              ih++;
              hq[ih] = hq[ih] + w[i] * xopt[j] + xopt[i] * w[j];
              bmat[npt + i][j] = bmat[npt + j][i];
            }
          }
          for (let i = 1; i <= n; i++) {
            xbase[i] += xopt[i];
            xnew[i] -= xopt[i];
            sl[i] -= xopt[i];
            su[i] -= xopt[i];
            xopt[i] = 0;
          }
          xoptsq = 0;
        }
        label = ntrits === 0 ? 210 : 230;
        continue;
      }
      case 190: {
        // RESCUE: only when rounding errors have at least halved the UPDATE denominator.
        nfsav = ev.count;
        kbase = kopt;
        diag.rescues++;
        let maxevalHit = false;
        try {
          kopt = rescue(st, ev, delta, kopt, vlag);
        } catch (e) {
          if (!(e instanceof MaxEvalReached)) throw e;
          maxevalHit = true;
          // RESCUE keeps fval/kopt consistent point by point; the best point is in ev anyway.
        }
        xoptsq = 0;
        if (kopt !== kbase) {
          for (let i = 1; i <= n; i++) {
            xopt[i] = xpt[kopt][i];
            xoptsq += xopt[i] * xopt[i];
          }
        }
        if (maxevalHit) return 'maxeval';
        nresc = ev.count;
        if (nfsav < ev.count) {
          nfsav = ev.count;
          label = 20;
          continue;
        }
        if (ntrits > 0) {
          label = 60;
          continue;
        }
        label = 210;
        continue;
      }
      case 210: {
        // Alternative iteration: a new position for the KNEW-th point, chosen for geometry.
        const r = altmov(st, kopt, knew, adelt, xnew, xalt, glag, hcol, altw);
        alpha = r.alpha;
        cauchy = r.cauchy;
        for (let i = 1; i <= n; i++) d[i] = xnew[i] - xopt[i];
        label = 230;
        continue;
      }
      case 230: {
        // VLAG = H w and BETA for the step D; W[npt+k] = XPT[k].D for the model value later.
        for (let k = 1; k <= npt; k++) {
          let suma = 0;
          let sumb = 0;
          let sum = 0;
          for (let j = 1; j <= n; j++) {
            suma += xpt[k][j] * d[j];
            sumb += xpt[k][j] * xopt[j];
            sum += bmat[k][j] * d[j];
          }
          w[k] = suma * (0.5 * suma + sumb);
          vlag[k] = sum;
          w[npt + k] = suma;
        }
        beta = 0;
        for (let jj = 1; jj <= nptm; jj++) {
          let sum = 0;
          for (let k = 1; k <= npt; k++) sum += zmat[k][jj] * w[k];
          beta -= sum * sum;
          for (let k = 1; k <= npt; k++) vlag[k] += sum * zmat[k][jj];
        }
        dsq = 0;
        let bsum = 0;
        let dx = 0;
        for (let j = 1; j <= n; j++) {
          dsq += d[j] * d[j];
          let sum = 0;
          for (let k = 1; k <= npt; k++) sum += w[k] * bmat[k][j];
          bsum += sum * d[j];
          const jp = npt + j;
          for (let i = 1; i <= n; i++) sum += bmat[jp][i] * d[i];
          vlag[jp] = sum;
          bsum += sum * d[j];
          dx += d[j] * xopt[j];
        }
        beta = dx * dx + dsq * (xoptsq + dx + dx + 0.5 * dsq) + beta - bsum;
        vlag[kopt] += 1;

        if (ntrits === 0) {
          // Alternative step: prefer the Cauchy point if it gives a larger denominator.
          denom = vlag[knew] * vlag[knew] + alpha * beta;
          if (denom < cauchy && cauchy > 0) {
            for (let i = 1; i <= n; i++) {
              xnew[i] = xalt[i];
              d[i] = xnew[i] - xopt[i];
            }
            cauchy = 0;
            label = 230;
            continue;
          }
          if (denom <= 0.5 * vlag[knew] * vlag[knew]) {
            if (ev.count > nresc) {
              label = 190;
              continue;
            }
            return 'denominator-cancellation';
          }
        } else {
          // Trust-region step: KNEW is the point whose replacement gives the largest
          // denominator, weighted towards points far from XOPT.
          const delsq = delta * delta;
          let scaden = 0;
          let biglsq = 0;
          knew = 0;
          for (let k = 1; k <= npt; k++) {
            if (k === kopt) continue;
            let hdiag = 0;
            for (let jj = 1; jj <= nptm; jj++) hdiag += zmat[k][jj] * zmat[k][jj];
            const den = beta * hdiag + vlag[k] * vlag[k];
            let dist2 = 0;
            for (let j = 1; j <= n; j++) {
              const t = xpt[k][j] - xopt[j];
              dist2 += t * t;
            }
            const r = dist2 / delsq;
            const temp = Math.max(1, r * r);
            if (temp * den > scaden) {
              scaden = temp * den;
              knew = k;
              denom = den;
            }
            biglsq = Math.max(biglsq, temp * vlag[k] * vlag[k]);
          }
          if (scaden <= 0.5 * biglsq) {
            if (ev.count > nresc) {
              label = 190;
              continue;
            }
            return 'denominator-cancellation';
          }
          if (set.forceRescueEvery !== undefined && ev.count - nresc >= set.forceRescueEvery) {
            label = 190;
            continue;
          }
        }
        label = 360;
        continue;
      }
      case 360: {
        for (let i = 1; i <= n; i++) {
          x[i] = Math.min(Math.max(xl[i], xbase[i] + xnew[i]), xu[i]);
          if (xnew[i] === sl[i]) x[i] = xl[i];
          if (xnew[i] === su[i]) x[i] = xu[i];
        }
        if (ev.exhausted()) return 'maxeval';
        f = ev.eval(x);
        if (ntrits === -1) {
          // The final short Newton step, tried once after rho reached rhoend.
          recordRho();
          return 'rhoend';
        }

        // Error of the model's prediction of the change in f.
        fopt = fval[kopt];
        vquad = 0;
        let ih = 0;
        for (let j = 1; j <= n; j++) {
          vquad += d[j] * gopt[j];
          for (let i = 1; i <= j; i++) {
            ih++;
            let temp = d[i] * d[j];
            if (i === j) temp *= 0.5;
            vquad += hq[ih] * temp;
          }
        }
        for (let k = 1; k <= npt; k++) vquad += 0.5 * pq[k] * w[npt + k] * w[npt + k];
        const diff = f - fopt - vquad;
        diffc = diffb;
        diffb = diffa;
        diffa = Math.abs(diff);
        if (dnorm > rho) nfsav = ev.count;

        if (ntrits > 0) {
          if (vquad >= 0) {
            // A trust-region step failed to reduce the model: rounding errors dominate.
            recordRho();
            return 'model-not-reduced';
          }
          ratio = (f - fopt) / vquad;
          if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
          else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
          else delta = Math.max(0.5 * delta, dnorm + dnorm);
          if (delta <= 1.5 * rho) delta = rho;

          // After a success, choose KNEW again, measuring distances from the new point.
          if (f < fopt) {
            const ksav = knew;
            const densav = denom;
            const delsq = delta * delta;
            let scaden = 0;
            let biglsq = 0;
            knew = 0;
            for (let k = 1; k <= npt; k++) {
              let hdiag = 0;
              for (let jj = 1; jj <= nptm; jj++) hdiag += zmat[k][jj] * zmat[k][jj];
              const den = beta * hdiag + vlag[k] * vlag[k];
              let dist2 = 0;
              for (let j = 1; j <= n; j++) {
                const t = xpt[k][j] - xnew[j];
                dist2 += t * t;
              }
              const r = dist2 / delsq;
              const temp = Math.max(1, r * r);
              if (temp * den > scaden) {
                scaden = temp * den;
                knew = k;
                denom = den;
              }
              biglsq = Math.max(biglsq, temp * vlag[k] * vlag[k]);
            }
            if (scaden <= 0.5 * biglsq) {
              knew = ksav;
              denom = densav;
            }
          }
        }

        // Replace point KNEW by XNEW: update BMAT/ZMAT and the model (second derivatives by the
        // minimum-Frobenius-norm change, i.e. DIFF times the new KNEW-th Lagrange function).
        update(st, vlag, beta, denom, knew, w);
        ih = 0;
        const pqold = pq[knew];
        pq[knew] = 0;
        for (let i = 1; i <= n; i++) {
          const temp = pqold * xpt[knew][i];
          for (let j = 1; j <= i; j++) {
            ih++;
            hq[ih] += temp * xpt[knew][j];
          }
        }
        for (let jj = 1; jj <= nptm; jj++) {
          const temp = diff * zmat[knew][jj];
          for (let k = 1; k <= npt; k++) pq[k] += temp * zmat[k][jj];
        }

        fval[knew] = f;
        for (let i = 1; i <= n; i++) {
          xpt[knew][i] = xnew[i];
          w[i] = bmat[knew][i];
        }
        for (let k = 1; k <= npt; k++) {
          let suma = 0;
          for (let jj = 1; jj <= nptm; jj++) suma += zmat[knew][jj] * zmat[k][jj];
          if (!Number.isFinite(suma)) {
            recordRho();
            return 'roundoff';
          }
          let sumb = 0;
          for (let j = 1; j <= n; j++) sumb += xpt[k][j] * xopt[j];
          const temp = suma * sumb;
          for (let i = 1; i <= n; i++) w[i] += temp * xpt[k][i];
        }
        for (let i = 1; i <= n; i++) gopt[i] += diff * w[i];

        // New best point: move XOPT and the model gradient there.
        if (f < fopt) {
          kopt = knew;
          xoptsq = 0;
          ih = 0;
          for (let j = 1; j <= n; j++) {
            xopt[j] = xnew[j];
            xoptsq += xopt[j] * xopt[j];
            for (let i = 1; i <= j; i++) {
              ih++;
              if (i < j) gopt[j] += hq[ih] * d[i];
              gopt[i] += hq[ih] * d[j];
            }
          }
          for (let k = 1; k <= npt; k++) {
            let temp = 0;
            for (let j = 1; j <= n; j++) temp += xpt[k][j] * d[j];
            temp *= pq[k];
            for (let i = 1; i <= n; i++) gopt[i] += temp * xpt[k][i];
          }
          if (ntrits > 0 && ftol.successfulStep(fopt - f, -vquad)) {
            recordRho();
            return 'ftol';
          }
        }

        // After a trust-region step, compare with the least-Frobenius-norm interpolant (from a
        // zero Hessian); if its projected gradient has been much smaller three times running,
        // switch to that model (it forgets stale curvature).
        if (ntrits > 0) {
          for (let k = 1; k <= npt; k++) {
            vlag[k] = fval[k] - fval[kopt];
            w[k] = 0;
          }
          for (let j = 1; j <= nptm; j++) {
            let sum = 0;
            for (let k = 1; k <= npt; k++) sum += zmat[k][j] * vlag[k];
            for (let k = 1; k <= npt; k++) w[k] += sum * zmat[k][j];
          }
          for (let k = 1; k <= npt; k++) {
            let sum = 0;
            for (let j = 1; j <= n; j++) sum += xpt[k][j] * xopt[j];
            w[k + npt] = w[k];
            w[k] = sum * w[k];
          }
          let gqsq = 0;
          let gisq = 0;
          for (let i = 1; i <= n; i++) {
            let sum = 0;
            for (let k = 1; k <= npt; k++) sum = sum + bmat[k][i] * vlag[k] + xpt[k][i] * w[k];
            if (xopt[i] === sl[i]) {
              const a = Math.min(0, gopt[i]);
              const b = Math.min(0, sum);
              gqsq += a * a;
              gisq += b * b;
            } else if (xopt[i] === su[i]) {
              const a = Math.max(0, gopt[i]);
              const b = Math.max(0, sum);
              gqsq += a * a;
              gisq += b * b;
            } else {
              gqsq += gopt[i] * gopt[i];
              gisq += sum * sum;
            }
            vlag[npt + i] = sum;
          }
          itest++;
          if (gqsq < 10 * gisq) itest = 0;
          if (itest >= 3) {
            const top = Math.max(npt, nh);
            for (let i = 1; i <= top; i++) {
              if (i <= n) gopt[i] = vlag[npt + i];
              if (i <= npt) pq[i] = w[npt + i];
              if (i <= nh) hq[i] = 0;
            }
            itest = 0;
          }
        }

        if (ntrits === 0 || f <= fopt + 0.1 * vquad) {
          label = 60;
          continue;
        }
        // Otherwise see whether some interpolation points are too far from the best point.
        distsq = Math.max(2 * delta * (2 * delta), 10 * rho * (10 * rho));
        label = 650;
        continue;
      }
      case 650: {
        knew = 0;
        for (let k = 1; k <= npt; k++) {
          let sum = 0;
          for (let j = 1; j <= n; j++) {
            const t = xpt[k][j] - xopt[j];
            sum += t * t;
          }
          if (sum > distsq) {
            knew = k;
            distsq = sum;
          }
        }
        if (knew > 0) {
          // Move the farthest point (via ALTMOV, reached through the shift test at 90).
          const dist = Math.sqrt(distsq);
          if (ntrits === -1) {
            delta = Math.min(0.1 * delta, 0.5 * dist);
            if (delta <= 1.5 * rho) delta = rho;
          }
          ntrits = 0;
          adelt = Math.max(Math.min(0.1 * dist, delta), rho);
          dsq = adelt * adelt;
          label = 90;
          continue;
        }
        if (ntrits === -1) {
          label = 680;
          continue;
        }
        if (ratio > 0 || Math.max(delta, dnorm) > rho) {
          label = 60;
          continue;
        }
        label = 680;
        continue;
      }
      case 680: {
        // Work with this rho is complete: reduce rho (by about a factor of 10), or finish.
        if (rho > rhoend) {
          delta = 0.5 * rho;
          ratio = rho / rhoend;
          if (ratio <= 16) rho = rhoend;
          else if (ratio <= 250) rho = Math.sqrt(ratio) * rhoend;
          else rho = 0.1 * rho;
          delta = Math.max(delta, rho);
          ntrits = 0;
          nfsav = ev.count;
          recordRho();
          label = 60;
          continue;
        }
        recordRho();
        if (ntrits === -1) {
          // Try the last (short) trust-region step before returning.
          label = 360;
          continue;
        }
        return 'rhoend';
      }
      default:
        throw new Error(`bobyqb: bad label ${label}`);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Driver.                                                                                       */
/* ------------------------------------------------------------------------------------------- */

const MESSAGES: Record<StopReason, string> = {
  rhoend: 'converged: trust-region radius reached rhoend',
  maxeval: 'stopped: maximum number of function evaluations reached',
  ftol: 'converged: successive improvements in f below ftolAbs',
  'denominator-cancellation':
    'converged (roundoff-limited): cancellation in the denominator of the updating formula',
  'model-not-reduced':
    'converged (roundoff-limited): a trust-region step failed to reduce the model',
  roundoff: 'converged (roundoff-limited): the interpolation matrix became singular',
};

function checkInputs(x0: readonly number[], options: OptimOptions, who: string): void {
  const n = x0.length;
  if (n === 0) throw new Error(`${who}: x0 is empty`);
  if (options.lower.length !== n || options.upper.length !== n) {
    throw new Error(`${who}: lower/upper must have the same length as x0 (${n})`);
  }
  for (let i = 0; i < n; i++) {
    const lo = options.lower[i];
    const up = options.upper[i];
    if (Number.isNaN(lo) || Number.isNaN(up) || lo > up) {
      throw new Error(`${who}: invalid bounds for component ${i}: [${lo}, ${up}]`);
    }
    if (!Number.isFinite(x0[i])) throw new Error(`${who}: x0[${i}] is not finite`);
  }
}

/**
 * Minimize f subject to lower <= x <= upper with Powell's BOBYQA (m = 2n+1 interpolation points).
 * Throws on invalid input and when f is not finite at the (clamped) starting point.
 */
export function bobyqa(
  f: Objective,
  x0: readonly number[],
  options: OptimOptions,
  testHooks?: BobyqaTestHooks,
): OptimResult {
  checkInputs(x0, options, 'bobyqa');
  const nAll = x0.length;
  const maxEval = options.maxEval ?? BOBYQA_DEFAULTS.maxEval;
  let rhobeg = options.rhobeg ?? BOBYQA_DEFAULTS.rhobeg;
  let rhoend = options.rhoend ?? BOBYQA_DEFAULTS.rhoend;
  const ftolAbs = options.ftolAbs ?? BOBYQA_DEFAULTS.ftolAbs;
  if (!(rhobeg > 0) || !(rhoend > 0)) throw new Error('bobyqa: rhobeg and rhoend must be > 0');
  if (!(maxEval >= 1)) throw new Error('bobyqa: maxEval must be >= 1');

  // Start inside the box; variables with lower == upper are fixed and removed.
  const start = x0.map((v, i) => Math.min(Math.max(v, options.lower[i]), options.upper[i]));
  const freeIndex: number[] = [];
  for (let i = 0; i < nAll; i++) if (options.upper[i] > options.lower[i]) freeIndex.push(i);
  const n = freeIndex.length;
  const ev = new Evaluator(f, maxEval, start, freeIndex);

  const result = (reason: StopReason | 'fixed', extra = ''): OptimResult => ({
    x: ev.bestX.slice(),
    fval: ev.bestF,
    evaluations: ev.count,
    converged: reason !== 'maxeval',
    message:
      (reason === 'fixed' ? 'converged: all variables fixed by their bounds' : MESSAGES[reason]) +
      extra +
      (ev.nonFinite > 0 ? `; ${ev.nonFinite} evaluation(s) were not finite` : ''),
    method: 'bobyqa',
  });

  if (n === 0) {
    ev.eval(vec(0));
    return result('fixed');
  }

  // Bound gaps must be finite and at least 2*rhobeg.
  const xl = vec(n);
  const xu = vec(n);
  const xs = vec(n);
  let minGap = Infinity;
  for (let j = 1; j <= n; j++) {
    const i = freeIndex[j - 1];
    xs[j] = start[i];
    const big = INFINITE_BOUND_DISTANCE * Math.max(1, Math.abs(start[i]));
    xl[j] = Number.isFinite(options.lower[i]) ? options.lower[i] : start[i] - big;
    xu[j] = Number.isFinite(options.upper[i]) ? options.upper[i] : start[i] + big;
    minGap = Math.min(minGap, xu[j] - xl[j]);
  }
  let extra = '';
  if (minGap < 2 * rhobeg) {
    rhobeg = 0.5 * minGap;
    extra = `; rhobeg reduced to ${rhobeg} (half the smallest bound gap)`;
  }
  rhoend = Math.min(rhoend, rhobeg);

  const npt = 2 * n + 1;
  const ndim = npt + n;
  const st: State = {
    n,
    npt,
    ndim,
    xl,
    xu,
    xbase: vec(n),
    xpt: mat(npt, n),
    fval: vec(npt),
    xopt: vec(n),
    gopt: vec(n),
    hq: vec((n * (n + 1)) / 2),
    pq: vec(npt),
    bmat: mat(ndim, n),
    zmat: mat(npt, npt - n - 1),
    sl: vec(n),
    su: vec(n),
  };

  // As in Powell's driver: a start within rhobeg of a bound is moved onto the bound or to
  // distance rhobeg from it, so that the initial points are feasible; SL and SU are then exact
  // (in particular exactly zero for a start on a bound).
  for (let j = 1; j <= n; j++) {
    const gap = xu[j] - xl[j];
    st.sl[j] = xl[j] - xs[j];
    st.su[j] = xu[j] - xs[j];
    if (st.sl[j] >= -rhobeg) {
      if (st.sl[j] >= 0) {
        xs[j] = xl[j];
        st.sl[j] = 0;
        st.su[j] = gap;
      } else {
        xs[j] = xl[j] + rhobeg;
        st.sl[j] = -rhobeg;
        st.su[j] = Math.max(xu[j] - xs[j], rhobeg);
      }
    } else if (st.su[j] <= rhobeg) {
      if (st.su[j] <= 0) {
        xs[j] = xu[j];
        st.sl[j] = -gap;
        st.su[j] = 0;
      } else {
        xs[j] = xu[j] - rhobeg;
        st.sl[j] = Math.min(xl[j] - xs[j], -rhobeg);
        st.su[j] = rhobeg;
      }
    }
    st.xbase[j] = xs[j];
  }

  const diag: BobyqaDiagnostics = { rescues: 0, finalRho: rhobeg };
  let reason: StopReason;
  try {
    reason = bobyqb(
      st,
      ev,
      { rhobeg, rhoend, forceRescueEvery: testHooks?.forceRescueEvery },
      new FtolTracker(ftolAbs),
      diag,
    );
  } catch (e) {
    if (!(e instanceof MaxEvalReached)) throw e;
    reason = 'maxeval';
  }
  if (diag.rescues > 0) extra += `; RESCUE called ${diag.rescues} time(s)`;
  return result(reason, extra);
}
