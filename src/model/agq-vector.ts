/**
 * Adaptive Gauss–Hermite quadrature for vector random effects from ONE grouping factor (v = 2 or
 * 3 effects per level, e.g. `(1 + x | g)`), beyond lme4's scalar glmerAGQ.
 *
 * With one grouping factor ΛᵀZᵀWZΛ + I is block diagonal, so the PIRLS factor at the mode holds
 * one v×v lower triangle L_g per group (the top of its panel) and the integral factorises over
 * groups. Substituting u_g = ũ_g + L_g⁻ᵀ z (the conditional mode, scaled by the Cholesky factor
 * of the Laplace conditional covariance (L_g L_gᵀ)⁻¹) turns each group's integral into
 *   ∫ exp(−devc_g(u)/2) (2π)^(−v/2) du
 *     = exp(−devc_g(ũ)/2) / det L_g · ∫ exp(−(devc_g(z) − devc_g(ũ))/2 + |z|²/2) φ_v(z) dz,
 * with devc_g = Σ deviance residuals of the group + |u_g|², and the product rule on k^v nodes
 * evaluates the last integral. As -2 log, summed over groups:
 *   Σ devc0 + logdet(L)² − 2 Σ_g log Σ_nodes exp(Σ_d logFactor − (devc − devc0)/2),
 * the scalar formula of ./agq with the node's logFactor summed over dimensions. At k = 1 the
 * rule is the single node z = 0 with weight 1, i.e. exactly the Laplace approximation.
 * Returned without the saturated log-likelihood (the caller subtracts it, as for ./agq).
 */
import type { GlmmModel } from './glmm';
import { ghRule } from './ghq';
import type { PirlsState } from './pirls';
import { nbTheta } from './pirls';
import { logdetRe } from './system';

/** Most effects per level for which the product rule (k^v nodes per group) is offered. */
export const AGQ_MAX_EFFECTS = 3;

/** Heap buffers of the vector quadrature, allocated once per model (f64 offsets). */
interface AgqBuffers {
  u0: number;
  scale: number;
  z: number;
  devc0: number;
  devc: number;
  mult: number;
}

const BUFFERS = new WeakMap<PirlsState, AgqBuffers>();

function buffers(st: PirlsState, nl: number, v: number): AgqBuffers {
  let b = BUFFERS.get(st);
  if (b === undefined) {
    const h = st.sys.backend.heap;
    b = {
      u0: h.allocF64(nl * v),
      scale: h.allocF64(nl * v * v),
      z: h.allocF64(v),
      devc0: h.allocF64(nl),
      devc: h.allocF64(nl),
      mult: h.allocF64(nl),
    };
    BUFFERS.set(st, b);
  }
  return b;
}

/**
 * S_g = L_g⁻ᵀ (upper triangular, column-major v×v) for every group, from the diagonal blocks
 * of the PIRLS factor's panels (u = ũ + S_g z has conditional precision I in z).
 */
function writeScales(st: PirlsState, nl: number, v: number, scale: number): void {
  const { lay, off } = st.factored;
  const f = st.sys.backend.heap.f64;
  const Linv = new Float64Array(v * v);
  for (let g = 0; g < nl; g++) {
    const P = off.lPanels + lay.valPtr[g];
    const m = v + lay.rowPtr[g + 1] - lay.rowPtr[g];
    // Linv := L_g⁻¹ by forward substitution on the columns of I (v ≤ 3)
    Linv.fill(0);
    for (let c = 0; c < v; c++) {
      for (let r = c; r < v; r++) {
        let s = r === c ? 1 : 0;
        for (let a = c; a < r; a++) s -= f[P + r + a * m] * Linv[a + c * v];
        Linv[r + c * v] = s / f[P + r + r * m];
      }
    }
    const S = scale + g * v * v;
    for (let c = 0; c < v; c++) for (let r = 0; r < v; r++) f[S + r + c * v] = Linv[c + r * v];
  }
}

/** Σ_g devc[g] of one node: u := u0 + S z, then η, μ and the deviance residuals at u. */
function nodeDeviance(m: GlmmModel, nl: number, v: number, bufs: AgqBuffers, uAt: number): void {
  const { st, fam } = m;
  const { sys, off, n } = st;
  const k = sys.backend.kernels;
  k.systemLambdaU(sys.desc, uAt, off.b);
  k.systemAddRandomEffects(sys.desc, off.b, off.fixed, off.eta);
  k.glmLinkinv(fam.link.code, n, off.eta, off.mu);
  k.glmDevResid(fam.code, n, off.y, off.mu, off.priorWt, off.scratch, nbTheta(fam));
  k.agqGroupDeviance(n, off.scratch, sys.off.obsNode, nl, v, uAt, bufs.devc);
}

/**
 * -2 log-likelihood by the adaptive product rule with `nAGQ` nodes per dimension, without the
 * saturated log-likelihood, at the mode PIRLS just found (η and μ are left at the mode).
 */
export function agqVectorDeviance(m: GlmmModel, nAGQ: number): number {
  const { st } = m;
  const { sys, off } = st;
  const block = sys.lay.blocks[0];
  const { nl, v } = block;
  const k = sys.backend.kernels;
  const rule = ghRule(nAGQ);
  const bufs = buffers(st, nl, v);
  let f = sys.backend.heap.f64;
  f.set(st.u, bufs.u0);
  writeScales(st, nl, v, bufs.scale);
  const ldL2 = logdetRe(st.factored);

  nodeDeviance(m, nl, v, bufs, bufs.u0);
  f = sys.backend.heap.f64;
  f.copyWithin(bufs.devc0, bufs.devc, bufs.devc + nl);
  f.fill(0, bufs.mult, bufs.mult + nl);
  // every multi-index (i_0, ..., i_{v-1}) of the product rule, the first index fastest
  const idx = new Int32Array(v);
  const total = rule.k ** v;
  for (let node = 0; node < total; node++) {
    let logFactor = 0;
    let centre = true;
    for (let d = 0, rest = node; d < v; d++, rest = Math.floor(rest / rule.k)) {
      idx[d] = rest % rule.k;
      const z = rule.z[idx[d]];
      f[bufs.z + d] = z;
      logFactor += rule.logFactor[idx[d]];
      if (z !== 0) centre = false;
    }
    if (!centre) {
      k.agqShiftModes(nl, v, bufs.u0, bufs.scale, bufs.z, off.uNew);
      nodeDeviance(m, nl, v, bufs, off.uNew);
    } else {
      // z = 0: devc = devc0 exactly (lme4 skips this node's recomputation too)
      f = sys.backend.heap.f64;
      f.copyWithin(bufs.devc, bufs.devc0, bufs.devc0 + nl);
    }
    k.agqNodeAccumulate(nl, bufs.devc, bufs.devc0, logFactor, bufs.mult);
  }
  f = sys.backend.heap.f64;
  let devc0Sum = 0;
  let logMult = 0;
  for (let g = 0; g < nl; g++) {
    devc0Sum += f[bufs.devc0 + g];
    logMult += Math.log(f[bufs.mult + g]);
  }
  nodeDeviance(m, nl, v, bufs, bufs.u0); // leave η and μ at the mode
  return devc0Sum + ldL2 - 2 * logMult;
}
