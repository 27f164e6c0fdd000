// Elementwise GLM family / link kernels over f64 arrays addressed by BYTE pointers, numerically
// R's make.link and family objects. Ported line by line to TypeScript in src/backend/js/
// (normal.ts, links.ts, families.ts, glm.ts). Kernels never allocate and never validate.
//
// `link` and `family` are the codes of ./codes; `theta` is the negative binomial θ (other
// families ignore it).

import {
  FAMILY_BINOMIAL,
  FAMILY_GAMMA,
  FAMILY_GAUSSIAN,
  FAMILY_INVERSE_GAUSSIAN,
  FAMILY_POISSON,
  LINK_CAUCHIT,
  LINK_CLOGLOG,
  LINK_IDENTITY,
  LINK_INVERSE,
  LINK_LOG,
  LINK_LOGIT,
  LINK_PROBIT,
  LINK_SQRT,
} from './codes';

const DBL_EPSILON: f64 = 2.220446049250313e-16;
const INVEPS: f64 = 1.0 / DBL_EPSILON;
const THRESH: f64 = 30.0;
const MTHRESH: f64 = -30.0;
// -qnorm(DBL_EPSILON) and 1 / tan(pi * DBL_EPSILON) = -qcauchy(DBL_EPSILON)
const PROBIT_THRESH: f64 = 8.125890664701906;
const CAUCHIT_THRESH: f64 = 1433540284805664.8;
const M_1_SQRT_2PI: f64 = 0.398942280401432677939946059934;
const M_SQRT_32: f64 = 5.656854249492380195206754896838;

// ---------------------------------------------------------------------------------------------
// Normal distribution (R's pnorm_both lower tail, dnorm, qnorm AS241)

/** Standard normal density (R's dnorm with its two-piece exp in the tails). */
export function normDensity(x: f64): f64 {
  let z = Math.abs(x);
  if (z < 5.0) return M_1_SQRT_2PI * Math.exp(-0.5 * z * z);
  if (z > 38.56804181549334) return 0.0; // sqrt(-2 log(2) (DBL_MIN_EXP + 1 - DBL_MANT_DIG))
  const x1 = Math.round(z * 65536.0) / 65536.0;
  const x2 = z - x1;
  return M_1_SQRT_2PI * (Math.exp(-0.5 * x1 * x1) * Math.exp((-0.5 * x2 - x1) * x2));
}

/** P(Z <= x) for Z standard normal (Cody's algorithm as R's pnorm_both). */
export function normCdf(x: f64): f64 {
  if (isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let xnum: f64 = 0.0;
    let xden: f64 = 0.0;
    if (y > DBL_EPSILON * 0.5) {
      const xsq = x * x;
      xnum = 0.065682337918207449113 * xsq;
      xden = xsq;
      xnum = (xnum + 2.2352520354606839287) * xsq;
      xden = (xden + 47.20258190468824187) * xsq;
      xnum = (xnum + 161.02823106855587881) * xsq;
      xden = (xden + 976.09855173777669322) * xsq;
      xnum = (xnum + 1067.6894854603709582) * xsq;
      xden = (xden + 10260.932208618978205) * xsq;
    }
    const temp = (x * (xnum + 18154.981253343561249)) / (xden + 45507.789335026729956);
    return 0.5 + temp;
  }
  let temp: f64;
  let xx: f64;
  if (y <= M_SQRT_32) {
    let xnum = 1.0765576773720192317e-8 * y;
    let xden = y;
    xnum = (xnum + 0.39894151208813466764) * y;
    xden = (xden + 22.266688044328115691) * y;
    xnum = (xnum + 8.8831497943883759412) * y;
    xden = (xden + 235.38790178262499861) * y;
    xnum = (xnum + 93.506656132177855979) * y;
    xden = (xden + 1519.377599407554805) * y;
    xnum = (xnum + 597.27027639480026226) * y;
    xden = (xden + 6485.558298266760755) * y;
    xnum = (xnum + 2494.5375852903726711) * y;
    xden = (xden + 18615.571640885098091) * y;
    xnum = (xnum + 6848.1904505362823326) * y;
    xden = (xden + 34900.952721145977266) * y;
    xnum = (xnum + 11602.651437647350124) * y;
    xden = (xden + 38912.003286093271411) * y;
    temp = (xnum + 9842.7148383839780218) / (xden + 19685.429676859990727);
    xx = y;
  } else if (-37.5193 < x && x < 8.2924) {
    const xsq = 1.0 / (x * x);
    let xnum = 0.02307344176494017303 * xsq;
    let xden = xsq;
    xnum = (xnum + 0.21589853405795699) * xsq;
    xden = (xden + 1.28426009614491121) * xsq;
    xnum = (xnum + 0.1274011611602473639) * xsq;
    xden = (xden + 0.468238212480865118) * xsq;
    xnum = (xnum + 0.022235277870649807) * xsq;
    xden = (xden + 0.0659881378689285515) * xsq;
    xnum = (xnum + 0.001421619193227893466) * xsq;
    xden = (xden + 0.00378239633202758244) * xsq;
    temp = (xsq * (xnum + 2.9112874951168792e-5)) / (xden + 7.29751555083966205e-5);
    temp = (M_1_SQRT_2PI - temp) / y;
    xx = x;
  } else {
    return x > 0 ? 1.0 : 0.0;
  }
  const xsq = Math.trunc(xx * 16.0) / 16.0;
  const del = (xx - xsq) * (xx + xsq);
  const cum = Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5) * temp;
  return x > 0 ? 1.0 - cum : cum;
}

/** Standard normal quantile for 0 < p < 1 (Wichura's AS241 as R's qnorm). */
export function normQuantile(p: f64): f64 {
  if (isNaN(p) || p < 0.0 || p > 1.0) return NaN;
  if (p == 0.0) return -Infinity;
  if (p == 1.0) return Infinity;
  const q = p - 0.5;
  let val: f64;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    val =
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1.0);
    return val;
  }
  let r = q < 0.0 ? p : 0.5 - p + 0.5;
  r = Math.sqrt(-Math.log(r));
  if (r <= 5.0) {
    r += -1.6;
    val =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
        0.24178072517745061177) *
        r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
        0.0151986665636164571966) *
        r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1.0);
  } else {
    r += -5.0;
    val =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
        0.0012426609473880784386) *
        r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
        1.8463183175100546818e-5) *
        r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1.0);
  }
  if (q < 0.0) val = -val;
  return val;
}

// ---------------------------------------------------------------------------------------------
// Scalar link / family functions

function pcauchy(x: f64): f64 {
  if (Math.abs(x) > 1.0) {
    const y = Math.atan(1.0 / x) / Math.PI;
    return x > 0.0 ? 0.5 - y + 0.5 : -y;
  }
  return 0.5 + Math.atan(x) / Math.PI;
}

/** g(mu) for link code `link`. */
export function linkfun1(link: i32, mu: f64): f64 {
  switch (link) {
    case LINK_IDENTITY:
      return mu;
    case LINK_LOG:
      return Math.log(mu);
    case LINK_LOGIT:
      return Math.log(mu / (1.0 - mu));
    case LINK_PROBIT:
      return normQuantile(mu);
    case LINK_CLOGLOG:
      return Math.log(-Math.log(1.0 - mu));
    case LINK_CAUCHIT: {
      if (mu == 0.5) return 0.0;
      if (mu > 0.5) return 1.0 / Math.tan(Math.PI * (1.0 - mu));
      return -1.0 / Math.tan(Math.PI * mu);
    }
    case LINK_INVERSE:
      return 1.0 / mu;
    case LINK_SQRT:
      return Math.sqrt(mu);
    default:
      return 1.0 / (mu * mu);
  }
}

/** g^{-1}(eta) for link code `link`, clamped as R. */
export function linkinv1(link: i32, eta: f64): f64 {
  switch (link) {
    case LINK_IDENTITY:
      return eta;
    case LINK_LOG:
      return Math.max(Math.exp(eta), DBL_EPSILON);
    case LINK_LOGIT: {
      const tmp = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
      return tmp / (1.0 + tmp);
    }
    case LINK_PROBIT:
      return normCdf(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH));
    case LINK_CLOGLOG:
      return Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1.0 - DBL_EPSILON), DBL_EPSILON);
    case LINK_CAUCHIT:
      return pcauchy(Math.min(Math.max(eta, -CAUCHIT_THRESH), CAUCHIT_THRESH));
    case LINK_INVERSE:
      return 1.0 / eta;
    case LINK_SQRT:
      return eta * eta;
    default:
      return 1.0 / Math.sqrt(eta);
  }
}

/** dmu/deta at eta for link code `link`, as R. */
export function muEta1(link: i32, eta: f64): f64 {
  switch (link) {
    case LINK_IDENTITY:
      return 1.0;
    case LINK_LOG:
      return Math.max(Math.exp(eta), DBL_EPSILON);
    case LINK_LOGIT: {
      const opexp = 1.0 + Math.exp(eta);
      return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
    }
    case LINK_PROBIT:
      return Math.max(normDensity(eta), DBL_EPSILON);
    case LINK_CLOGLOG: {
      const e = Math.min(eta, 700.0);
      return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), DBL_EPSILON);
    }
    case LINK_CAUCHIT:
      return Math.max(1.0 / (Math.PI * (1.0 + eta * eta)), DBL_EPSILON);
    case LINK_INVERSE:
      return -1.0 / (eta * eta);
    case LINK_SQRT:
      return 2.0 * eta;
    default:
      return -1.0 / (2.0 * Math.pow(eta, 1.5));
  }
}

/** Variance function V(mu) for family code `family`. */
export function variance1(family: i32, mu: f64, theta: f64): f64 {
  switch (family) {
    case FAMILY_GAUSSIAN:
      return 1.0;
    case FAMILY_BINOMIAL:
      return mu * (1.0 - mu);
    case FAMILY_POISSON:
      return mu;
    case FAMILY_GAMMA:
      return mu * mu;
    case FAMILY_INVERSE_GAUSSIAN:
      return mu * mu * mu;
    default:
      return mu + (mu * mu) / theta;
  }
}

function yLogY(y: f64, mu: f64): f64 {
  return y != 0.0 ? y * Math.log(y / mu) : 0.0;
}

/** R's family$dev.resids(y, mu, wt) for one observation. */
export function devResid1(family: i32, y: f64, mu: f64, wt: f64, theta: f64): f64 {
  switch (family) {
    case FAMILY_GAUSSIAN: {
      const r = y - mu;
      return wt * (r * r);
    }
    case FAMILY_BINOMIAL:
      return 2.0 * wt * (yLogY(y, mu) + yLogY(1.0 - y, 1.0 - mu));
    case FAMILY_POISSON:
      return y > 0.0 ? 2.0 * (wt * (y * Math.log(y / mu) - (y - mu))) : 2.0 * mu * wt;
    case FAMILY_GAMMA:
      return -2.0 * wt * (Math.log(y == 0.0 ? 1.0 : y / mu) - (y - mu) / mu);
    case FAMILY_INVERSE_GAUSSIAN: {
      const r = y - mu;
      return (wt * (r * r)) / (y * mu * mu);
    }
    default:
      return (
        2.0 *
        wt *
        (y * Math.log(Math.max(1.0, y) / mu) - (y + theta) * Math.log((y + theta) / (mu + theta)))
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Vector kernels over n doubles at byte pointers

/** mu[i] := linkinv(eta[i]). */
export function glmLinkinv(link: i32, n: i32, etaPtr: usize, muPtr: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(muPtr + o, linkinv1(link, load<f64>(etaPtr + o)));
  }
}

/** eta[i] := linkfun(mu[i]). */
export function glmLinkfun(link: i32, n: i32, muPtr: usize, etaPtr: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(etaPtr + o, linkfun1(link, load<f64>(muPtr + o)));
  }
}

/** out[i] := dmu/deta(eta[i]). */
export function glmMuEta(link: i32, n: i32, etaPtr: usize, outPtr: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(outPtr + o, muEta1(link, load<f64>(etaPtr + o)));
  }
}

/** out[i] := V(mu[i]). */
export function glmVariance(family: i32, n: i32, muPtr: usize, outPtr: usize, theta: f64): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(outPtr + o, variance1(family, load<f64>(muPtr + o), theta));
  }
}

/**
 * One PIRLS reweighting step. From eta (which includes the offset): mu[i] := linkinv(eta[i])
 * (written to muPtr), w[i] := priorWt[i] muEta^2 / V(mu[i]) and
 * z[i] := eta[i] - offset[i] + (y[i] - mu[i]) / muEta. offsetPtr == 0 means no offset.
 */
export function glmWorkingWeightsResid(
  family: i32,
  link: i32,
  n: i32,
  yPtr: usize,
  etaPtr: usize,
  offsetPtr: usize,
  muPtr: usize,
  priorWtPtr: usize,
  wOutPtr: usize,
  zOutPtr: usize,
  theta: f64,
): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const e = load<f64>(etaPtr + o);
    let m: f64;
    let d: f64;
    if (link == LINK_LOGIT && e >= MTHRESH && e <= THRESH) {
      // linkinv1 and muEta1 from one exp (the same expressions, so the same bits)
      const x = Math.exp(e);
      const opexp = 1.0 + x;
      m = x / opexp;
      d = x / (opexp * opexp);
    } else if (link == LINK_LOG) {
      m = Math.max(Math.exp(e), DBL_EPSILON);
      d = m;
    } else {
      m = linkinv1(link, e);
      d = muEta1(link, e);
    }
    store<f64>(muPtr + o, m);
    store<f64>(wOutPtr + o, (load<f64>(priorWtPtr + o) * d * d) / variance1(family, m, theta));
    const off = offsetPtr == 0 ? 0.0 : load<f64>(offsetPtr + o);
    store<f64>(zOutPtr + o, e - off + (load<f64>(yPtr + o) - m) / d);
  }
}

/** out[i] := dev.resids(y[i], mu[i], wt[i]). */
export function glmDevResid(
  family: i32,
  n: i32,
  yPtr: usize,
  muPtr: usize,
  wtPtr: usize,
  outPtr: usize,
  theta: f64,
): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(
      outPtr + o,
      devResid1(family, load<f64>(yPtr + o), load<f64>(muPtr + o), load<f64>(wtPtr + o), theta),
    );
  }
}

/** The deviance: sum of dev.resids(y[i], mu[i], wt[i]). */
export function glmDevResidSum(
  family: i32,
  n: i32,
  yPtr: usize,
  muPtr: usize,
  wtPtr: usize,
  theta: f64,
): f64 {
  let s: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    s += devResid1(family, load<f64>(yPtr + o), load<f64>(muPtr + o), load<f64>(wtPtr + o), theta);
  }
  return s;
}

/** mu[i] := linkinv(eta[i]) and the deviance Σ dev.resids(y[i], mu[i], wt[i]), in one pass. */
export function glmMuDevSum(
  family: i32,
  link: i32,
  n: i32,
  yPtr: usize,
  etaPtr: usize,
  muPtr: usize,
  wtPtr: usize,
  theta: f64,
): f64 {
  let s: f64 = 0.0;
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const m = linkinv1(link, load<f64>(etaPtr + o));
    store<f64>(muPtr + o, m);
    s += devResid1(family, load<f64>(yPtr + o), m, load<f64>(wtPtr + o), theta);
  }
  return s;
}
