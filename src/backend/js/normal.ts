/**
 * The standard normal distribution as the probit link needs it: port of the normal section of
 * assembly/glm.ts (R's nmath dnorm, the lower tail of pnorm_both, qnorm's AS241, for mean 0 and
 * sd 1). At those arguments these are bit for bit the general dnorm / pnorm / qnorm of
 * src/math/distributions.ts (pnorm below 8.2924, where R's lower tail switches to 1), whose
 * qnorm serves here as it is.
 */
import { qnorm } from '../../math/distributions';

const DBL_EPSILON = 2.220446049250313e-16;
const M_1_SQRT_2PI = 0.398942280401432677939946059934;
const M_SQRT_32 = 5.656854249492380195206754896838;
/** Standard normal density (R's dnorm with its two-piece exp in the tails). */
export function normDensity(x: number): number {
  const z = Math.abs(x);
  if (z < 5.0) return M_1_SQRT_2PI * Math.exp(-0.5 * z * z);
  if (z > 38.56804181549334) return 0.0; // sqrt(-2 log(2) (DBL_MIN_EXP + 1 - DBL_MANT_DIG))
  const x1 = Math.round(z * 65536.0) / 65536.0;
  const x2 = z - x1;
  return M_1_SQRT_2PI * (Math.exp(-0.5 * x1 * x1) * Math.exp((-0.5 * x2 - x1) * x2));
}

/** P(Z <= x) for Z standard normal (Cody's algorithm as R's pnorm_both). */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return x;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let xnum = 0.0;
    let xden = 0.0;
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
  let temp: number;
  let xx: number;
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

/** Standard normal quantile for 0 < p < 1 (Wichura's AS241 as R's qnorm): the general one. */
export function normQuantile(p: number): number {
  return qnorm(p);
}
