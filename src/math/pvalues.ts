/**
 * Upper tail probabilities of the t, F and chi-square distributions for the tests of
 * src/inference: the regularized incomplete beta and gamma functions (continued fractions by
 * Lentz's method, series for the gamma's lower part), accurate to ~1e-14 where p-values matter,
 * and the boundary mixtures of chi-squares of likelihood-ratio tests of variance parameters.
 */
import { lgamma, pnorm, qnorm } from './distributions';

const EPS = 1e-16;
const TINY = 1e-300;

/** Continued fraction of the incomplete beta (Numerical Recipes' betacf, modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function pbeta(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaCf(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaCf(b, a, 1 - x)) / b;
}

/** P(|T| > |t|) for T ~ t(df); df = Infinity gives the normal's two-sided p-value. */
export function pTwoSidedT(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return NaN;
  if (!Number.isFinite(df)) return 2 * pnorm(-Math.abs(t));
  if (!Number.isFinite(t)) return 0;
  // P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2)
  return pbeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T > t) for t ≥ 0 (upper tail, without cancellation). */
function upperT(t: number, df: number): number {
  return 0.5 * pTwoSidedT(t, df);
}

/** log of the t(df) density at t. */
function logDt(t: number, df: number): number {
  return (
    lgamma((df + 1) / 2) -
    lgamma(df / 2) -
    0.5 * Math.log(df * Math.PI) -
    ((df + 1) / 2) * Math.log1p((t * t) / df)
  );
}

/**
 * The t quantile, as R's `qt(p, df, lower.tail)`; df = Infinity gives the normal quantile, and
 * any df > 0 (not only integers) is allowed. The upper-tail probability q is solved for on the
 * log scale, log P(T > t) = log q, by Newton's method kept inside a bracket (bisection when a step
 * leaves it), so the tails lose no accuracy: relative error ~1e-14 in t.
 */
export function qt(p: number, df: number, lowerTail = true): number {
  if (Number.isNaN(p) || Number.isNaN(df) || !(df > 0) || p < 0 || p > 1) return NaN;
  if (!Number.isFinite(df) || df > 1e12) return qnorm(p, 0, 1, lowerTail);
  // q = P(T > |t|), taken from whichever tail is given without subtracting from 1 when small
  const small = p < 0.5;
  const q = small ? p : 1 - p;
  const sign = small === lowerTail ? -1 : 1;
  if (q === 0) return sign * Infinity;
  if (q === 0.5) return 0;
  if (df === 1) return sign / Math.tan(Math.PI * q); // Cauchy: cot(π q), exact in the tails
  const logQ = Math.log(q);
  // bracket [lo, hi] with upperT(lo) > q > upperT(hi)
  let lo = 0;
  const z = Math.max(qnorm(q, 0, 1, false), 0.1);
  let hi = z;
  while (upperT(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return sign * Infinity;
  }
  let t = Math.max(lo, Math.min(hi, z));
  if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const u = upperT(t, df);
    if (u === q) break;
    if (u > q) lo = t;
    else hi = t;
    // g(t) = log u - log q; g'(t) = -dt(t) / u
    const step = ((Math.log(u) - logQ) * u) / Math.exp(logDt(t, df));
    let next = t + step;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 4e-16 * Math.abs(next) || hi - lo <= 4e-16 * hi) {
      t = next;
      break;
    }
    t = next;
  }
  return sign * t;
}

/** P(F > f) for F ~ F(df1, df2); df2 = Infinity gives the chi-square(df1)/df1 tail. */
export function pUpperF(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || Number.isNaN(df1) || Number.isNaN(df2)) return NaN;
  if (!(f > 0)) return 1;
  if (!Number.isFinite(df2)) return pchisqUpper(f * df1, df1);
  // P(F > f) = I_{df2/(df2 + df1 f)}(df2/2, df1/2)
  return pbeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}

/** P(a, x) by its series (x < a + 1). */
function gammaSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let k = 1; k < 10000; k++) {
    term *= x / (a + k);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lgamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz; x ≥ a + 1). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lgamma(a)) * h;
}

/** The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * P(χ²(df) > q), as R's `pchisq(q, df, lower.tail = FALSE)`. df = 0 is the point mass at 0
 * (probability 1 for q ≤ 0, else 0).
 */
export function pchisqUpper(q: number, df: number): number {
  if (Number.isNaN(q) || Number.isNaN(df) || df < 0) return NaN;
  if (df === 0) return q <= 0 ? 1 : 0;
  return gammaQ(df / 2, q / 2);
}

/**
 * The boundary-corrected p-value of a likelihood-ratio statistic when the larger model adds
 * variance parameters (Self & Liang 1987; Stram & Lee 1994): the 50:50 mixture of χ²(df − 1) and
 * χ²(df); for one added variance (df = 1) the mixture of χ²(0) and χ²(1).
 */
export function pchisqMixtureUpper(q: number, df: number): number {
  return 0.5 * pchisqUpper(q, df - 1) + 0.5 * pchisqUpper(q, df);
}
