/**
 * The studentized range distribution, R's ptukey (Copenhaver & Holland 1988, AS 190 as revised
 * in R's nmath/ptukey.c): P(range of `nmeans` standard normals / sqrt(chi²_df / df) < q), for
 * Tukey-adjusted pairwise comparisons. `nranges` is R's `nranges` (1 for Tukey's HSD).
 */
import { lgamma, pnorm } from './distributions';

const M_SQRT_2PI = 2.506628274631000502415765284811;

/** Half the 12-point Gauss–Legendre nodes and weights. */
const XLEG = [
  0.98156063424671925069, 0.904117256370474856678, 0.769902674194304687037, 0.587317954286617447297,
  0.367831498998180193753, 0.125233408511468915472,
];
const ALEG = [
  0.047175336386511827195, 0.10693932599531843096, 0.160078328543346226335, 0.203167426723065921749,
  0.233492536538354808761, 0.249147045813402785001,
];
/** Half the 16-point Gauss–Legendre nodes and weights. */
const XLEGQ = [
  0.989400934991649932596, 0.944575023073232576078, 0.86563120238783174388, 0.755404408355003033895,
  0.617876244402643748447, 0.458016777657227386342, 0.28160355077925891323,
  0.0950125098376374401853,
];
const ALEGQ = [
  0.0271524594117540948518, 0.0622535239386478928628, 0.0951585116824927848099,
  0.124628971255533872052, 0.149595988816576732082, 0.169156519395002538189,
  0.182603415044923588867, 0.189450610455068496285,
];

/** P(range of cc standard normals < w)^rr (the df = ∞ case), R's wprob. */
function wprob(w: number, rr: number, cc: number): number {
  const nleg = 12;
  const ihalf = 6;
  const C1 = -30;
  const C2 = -50;
  const C3 = 60;
  const bb = 8;
  const wlar = 3;
  const qsqz = w * 0.5;
  if (qsqz >= bb) return 1;
  let prW = 2 * pnorm(qsqz) - 1;
  prW = prW >= Math.exp(C2 / cc) ? Math.pow(prW, cc) : 0;
  const wincr = w > wlar ? 2 : 3;
  let blb = qsqz;
  const binc = (bb - qsqz) / wincr;
  let bub = blb + binc;
  let einsum = 0;
  const cc1 = cc - 1;
  for (let wi = 1; wi <= wincr; wi++) {
    let elsum = 0;
    const a = 0.5 * (bub + blb);
    const b = 0.5 * (bub - blb);
    for (let jj = 1; jj <= nleg; jj++) {
      let j: number;
      let xx: number;
      if (ihalf < jj) {
        j = nleg - jj + 1;
        xx = XLEG[j - 1];
      } else {
        j = jj;
        xx = -XLEG[j - 1];
      }
      const ac = a + b * xx;
      const qexpo = ac * ac;
      if (qexpo > C3) break;
      const pplus = 2 * pnorm(ac);
      const pminus = 2 * pnorm(ac, w, 1);
      let rinsum = pplus * 0.5 - pminus * 0.5;
      if (rinsum >= Math.exp(C1 / cc1)) {
        rinsum = ALEG[j - 1] * Math.exp(-(0.5 * qexpo)) * Math.pow(rinsum, cc1);
        elsum += rinsum;
      }
    }
    elsum *= (2 * b * cc) / M_SQRT_2PI;
    einsum += elsum;
    blb = bub;
    bub += binc;
  }
  prW += einsum;
  if (prW <= Math.exp(C1 / rr)) return 0;
  prW = Math.pow(prW, rr);
  return prW >= 1 ? 1 : prW;
}

/**
 * R's ptukey(q, nmeans, df, nranges, lower.tail): the distribution function of the studentized
 * range; df = Infinity (or > 25000) is the normal case.
 */
export function ptukey(
  q: number,
  nmeans: number,
  df: number,
  nranges = 1,
  lowerTail = true,
): number {
  const val = (p: number): number => (lowerTail ? p : 0.5 - p + 0.5);
  if (Number.isNaN(q) || Number.isNaN(nmeans) || Number.isNaN(df)) return NaN;
  if (q <= 0) return val(0);
  if (df < 2 || nranges < 1 || nmeans < 2) return NaN;
  if (!Number.isFinite(q)) return val(1);
  const rr = nranges;
  const cc = nmeans;
  if (df > 25000) return val(wprob(q, rr, cc));

  const nlegq = 16;
  const ihalfq = 8;
  const eps1 = -30;
  const eps2 = 1e-14;
  const f2 = df * 0.5;
  let f2lf = f2 * Math.log(df) - df * Math.LN2 - lgamma(f2);
  const f21 = f2 - 1;
  const ff4 = df * 0.25;
  const ulen = df <= 100 ? 1 : df <= 800 ? 0.5 : df <= 5000 ? 0.25 : 0.125;
  f2lf += Math.log(ulen);
  let ans = 0;
  for (let i = 1; i <= 50; i++) {
    let otsum = 0;
    const twa1 = (2 * i - 1) * ulen;
    for (let jj = 1; jj <= nlegq; jj++) {
      let j: number;
      let t1: number;
      if (ihalfq < jj) {
        j = jj - ihalfq - 1;
        t1 = f2lf + f21 * Math.log(twa1 + XLEGQ[j] * ulen) - (XLEGQ[j] * ulen + twa1) * ff4;
      } else {
        j = jj - 1;
        t1 = f2lf + f21 * Math.log(twa1 - XLEGQ[j] * ulen) + (XLEGQ[j] * ulen - twa1) * ff4;
      }
      if (t1 >= eps1) {
        const qsqz =
          ihalfq < jj
            ? q * Math.sqrt((XLEGQ[j] * ulen + twa1) * 0.5)
            : q * Math.sqrt((-(XLEGQ[j] * ulen) + twa1) * 0.5);
        otsum += wprob(qsqz, rr, cc) * ALEGQ[j] * Math.exp(t1);
      }
    }
    if (i * ulen >= 1 && otsum <= eps2) break;
    ans += otsum;
  }
  return val(Math.min(ans, 1));
}
