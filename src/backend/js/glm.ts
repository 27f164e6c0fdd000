/**
 * Pure-TypeScript GLM kernels (contract: GlmKernels in ../kernels.ts): port of the vector
 * kernels of assembly/glm.ts over the scalar functions of ./links and ./families, plus
 * groupSums (./ghq) and fixedPredictor (assembly/predictor.ts). Element offsets; an optional
 * array passed as -1 is absent.
 */
import { LINK_LOG, LINK_LOGIT } from '../../../assembly/codes';
import type { GlmKernels, Heap } from '../kernels';
import { devResid1, variance1 } from './families';
import { groupSums } from './ghq';
import { DBL_EPSILON, MTHRESH, THRESH, linkinv1, muEta1 } from './links';

export function makeJsGlmKernels(heap: Heap): GlmKernels {
  return {
    glmWorkingWeightsResid(family, link, n, y, eta, base, mu, priorWt, w, z, nbTheta) {
      const f = heap.f64;
      for (let i = 0; i < n; i++) {
        const e = f[eta + i];
        let m: number;
        let d: number;
        if (link === LINK_LOGIT && e >= MTHRESH && e <= THRESH) {
          // linkinv1 and muEta1 from one exp (the same expressions, so the same bits)
          const x = Math.exp(e);
          const opexp = 1.0 + x;
          m = x / opexp;
          d = x / (opexp * opexp);
        } else if (link === LINK_LOG) {
          m = Math.max(Math.exp(e), DBL_EPSILON);
          d = m;
        } else {
          m = linkinv1(link, e);
          d = muEta1(link, e);
        }
        f[mu + i] = m;
        f[w + i] = (f[priorWt + i] * d * d) / variance1(family, m, nbTheta);
        const off = base < 0 ? 0.0 : f[base + i];
        f[z + i] = e - off + (f[y + i] - m) / d;
      }
    },
    glmLinkinv(link, n, eta, mu) {
      const f = heap.f64;
      for (let i = 0; i < n; i++) f[mu + i] = linkinv1(link, f[eta + i]);
    },
    glmDevResid(family, n, y, mu, wt, out, nbTheta) {
      const f = heap.f64;
      for (let i = 0; i < n; i++) {
        f[out + i] = devResid1(family, f[y + i], f[mu + i], f[wt + i], nbTheta);
      }
    },
    glmMuDevSum(family, link, n, y, eta, mu, wt, nbTheta) {
      const f = heap.f64;
      let s = 0.0;
      for (let i = 0; i < n; i++) {
        const m = linkinv1(link, f[eta + i]);
        f[mu + i] = m;
        s += devResid1(family, f[y + i], m, f[wt + i], nbTheta);
      }
      return s;
    },
    glmDevResidSum(family, n, y, mu, wt, nbTheta) {
      const f = heap.f64;
      let s = 0.0;
      for (let i = 0; i < n; i++) s += devResid1(family, f[y + i], f[mu + i], f[wt + i], nbTheta);
      return s;
    },
    groupSums(n, values, group, nGroups, out, extra) {
      const f = heap.f64;
      groupSums(
        n,
        f.subarray(values, values + n),
        heap.i32.subarray(group, group + n),
        nGroups,
        f.subarray(out, out + nGroups),
        extra < 0 ? null : f.subarray(extra, extra + nGroups),
      );
    },
    fixedPredictor(n, p, x, beta, base, out) {
      const f = heap.f64;
      for (let i = 0; i < n; i++) {
        let s = base < 0 ? 0 : f[base + i];
        for (let j = 0; j < p; j++) s += f[x + i * p + j] * f[beta + j];
        f[out + i] = s;
      }
    },
  };
}
