/**
 * Adaptive Gauss–Hermite quadrature for a single scalar random-effects term (lme4's glmerAGQ):
 * per group j, ∫ over u_j centred at the conditional mode with the Laplace scale sd_j = 1/L_jj.
 * Returns lme4's AGQ deviance (deviance residuals, so without the saturated log-likelihood).
 */
import type { GlmmModel } from './glmm';
import { agqAccumulate, agqPenalty, ghRule } from './ghq';
import { nbTheta } from './pirls';
import { logdetRe } from './system';

export function agqDeviance(m: GlmmModel, nAGQ: number): number {
  const { st, fam } = m;
  const { sys, off, n } = st;
  const lay = sys.lay;
  const k = sys.backend.kernels;
  const nl = lay.blocks[0].nl;
  const rule = ghRule(nAGQ);
  const u0 = st.u;
  const f = sys.backend.heap.f64;
  const sd = new Float64Array(nl);
  // one scalar term: node j's panel starts with L_jj
  for (let j = 0; j < nl; j++) sd[j] = 1 / f[st.factored.off.lPanels + st.factored.lay.valPtr[j]];
  const ldL2 = logdetRe(st.factored);

  /** Per-group Σ devResid + u² at spherical effects u (η and μ are left at u). */
  const groupDeviance = (u: Float64Array): Float64Array => {
    sys.backend.heap.f64.set(u, off.uNew);
    k.systemLambdaU(sys.desc, off.uNew, off.b);
    k.systemAddRandomEffects(sys.desc, off.b, off.fixed, off.eta);
    k.glmLinkinv(fam.link.code, n, off.eta, off.mu);
    k.glmDevResid(fam.code, n, off.y, off.mu, off.priorWt, off.scratch, nbTheta(fam));
    k.groupSums(n, off.scratch, sys.off.obsNode, nl, off.groupDev, off.uNew);
    const f = sys.backend.heap.f64;
    return f.slice(off.groupDev, off.groupDev + nl);
  };

  const devc0 = groupDeviance(u0);
  const mult = new Float64Array(nl);
  const uk = new Float64Array(nl);
  for (let node = 0; node < rule.k; node++) {
    const z = rule.z[node];
    if (z === 0) {
      for (let j = 0; j < nl; j++) mult[j] += rule.w[node];
      continue;
    }
    for (let j = 0; j < nl; j++) uk[j] = u0[j] + z * sd[j];
    agqAccumulate(nl, groupDeviance(uk), devc0, rule.logFactor[node], mult);
  }
  groupDeviance(u0); // leave η and μ at the mode
  return devc0.reduce((s, v) => s + v, 0) + ldL2 + agqPenalty(nl, mult);
}
