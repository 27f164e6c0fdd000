/**
 * Adaptive Gauss–Hermite quadrature for a single scalar random-effects term (lme4's glmerAGQ):
 * per group j, ∫ over u_j centred at the conditional mode with the Laplace scale sd_j = 1/L_jj.
 * Returns lme4's AGQ deviance (deviance residuals, so without the saturated log-likelihood).
 */
import type { GlmmModel } from './glmm';
import { ghRule } from './ghq';
import { nbTheta } from './pirls';
import { logdetRe } from './system';

export function agqDeviance(m: GlmmModel): number {
  const { st, fam, nAGQ } = m;
  const { sys, off, n } = st;
  const lay = sys.lay;
  const k = sys.backend.kernels;
  const blk = lay.first;
  const nl = blk.nl;
  const refs = blk.refs;
  const rule = ghRule(nAGQ);
  const u0 = st.u;
  let f = sys.backend.heap.f64;
  const sd = new Float64Array(nl);
  for (let j = 0; j < nl; j++) sd[j] = 1 / f[st.factored.off.l11 + j];
  const ldL2 = logdetRe(st.factored);

  /** Per-group Σ devResid + u² at spherical effects u. */
  const groupDeviance = (u: Float64Array): Float64Array => {
    sys.backend.heap.f64.set(u, off.uNew);
    k.systemLambdaU(sys.desc, off.uNew, off.b);
    k.addRandomEffects(
      n,
      1,
      sys.off.refs1,
      sys.off.z1,
      0,
      sys.off.tailRow,
      sys.off.tailV,
      sys.off.zTail,
      0,
      off.b,
      off.b + nl,
      off.fixed,
      off.eta,
    );
    k.glmLinkinv(fam.link.code, n, off.eta, off.mu);
    k.glmDevResid(fam.code, n, off.y, off.mu, off.priorWt, off.scratch, nbTheta(fam));
    f = sys.backend.heap.f64;
    const out = new Float64Array(nl);
    for (let j = 0; j < nl; j++) out[j] = u[j] * u[j];
    for (let i = 0; i < n; i++) out[refs[i]] += f[off.scratch + i];
    return out;
  };

  const devc0 = groupDeviance(u0);
  const mult = new Float64Array(nl);
  const uk = new Float64Array(nl);
  for (let node = 0; node < rule.k; node++) {
    const z = rule.z[node];
    const w = rule.w[node];
    if (z === 0) {
      for (let j = 0; j < nl; j++) mult[j] += w;
      continue;
    }
    for (let j = 0; j < nl; j++) uk[j] = u0[j] + z * sd[j];
    const devc = groupDeviance(uk);
    for (let j = 0; j < nl; j++) mult[j] += w * Math.exp(-0.5 * (devc[j] - devc0[j]) + 0.5 * z * z);
  }
  groupDeviance(u0); // leave η and μ at the mode
  let dev = ldL2;
  for (let j = 0; j < nl; j++) dev += devc0[j] - 2 * Math.log(mult[j]);
  return dev;
}
