/** Pure-TypeScript GLM kernels (contract: GlmKernels in ../kernels.ts) over src/model/family.ts. */
import { FamilyCode, makeFamily, type Family, type FamilyKind } from '../../model/family';
import { groupSums } from '../../model/ghq';
import { LinkCode, linkFromCode } from '../../model/links';
import type { GlmKernels, Heap } from '../kernels';

const familyByCode = Object.fromEntries(
  Object.entries(FamilyCode).map(([k, v]) => [v, k]),
) as Record<number, FamilyKind>;
const linkByCode = Object.fromEntries(Object.entries(LinkCode).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;

export function makeJsGlmKernels(heap: Heap): GlmKernels {
  let cached: { key: string; fam: Family } | null = null;
  /** The Family for (family, link, θ); rebuilt only when one of them changes. */
  const familyOf = (family: number, link: number, nbTheta: number): Family => {
    const key = `${family}/${link}/${nbTheta}`;
    if (cached?.key !== key) {
      const kind = familyByCode[family];
      const theta = kind === 'negative.binomial' ? { theta: nbTheta } : {};
      cached = { key, fam: makeFamily(kind, linkByCode[link], theta) };
    }
    return cached.fam;
  };
  /** Deviance residuals do not depend on the link; any link the family allows will do. */
  const anyLink = (family: number) =>
    family === FamilyCode['negative.binomial'] || family === FamilyCode.poisson
      ? LinkCode.log
      : family === FamilyCode.binomial
        ? LinkCode.logit
        : LinkCode.identity;

  return {
    glmWorkingWeightsResid(family, link, n, y, eta, base, mu, priorWt, w, z, nbTheta) {
      const { linkinv, muEta, variance } = familyOf(family, link, nbTheta);
      const f = heap.f64;
      for (let i = 0; i < n; i++) {
        const e = f[eta + i];
        const m = linkinv(e);
        const d = muEta(e);
        f[mu + i] = m;
        f[w + i] = (f[priorWt + i] * d * d) / variance(m);
        f[z + i] = e - (base < 0 ? 0 : f[base + i]) + (f[y + i] - m) / d;
      }
    },
    glmLinkinv(link, n, eta, mu) {
      const { linkinv } = linkFromCode(link);
      const f = heap.f64;
      for (let i = 0; i < n; i++) f[mu + i] = linkinv(f[eta + i]);
    },
    glmDevResid(family, n, y, mu, wt, out, nbTheta) {
      const d = familyOf(family, anyLink(family), nbTheta).devResid;
      const f = heap.f64;
      for (let i = 0; i < n; i++) f[out + i] = d(f[y + i], f[mu + i], f[wt + i]);
    },
    glmMuDevSum(family, link, n, y, eta, mu, wt, nbTheta) {
      const { linkinv, devResid } = familyOf(family, link, nbTheta);
      const f = heap.f64;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const m = linkinv(f[eta + i]);
        f[mu + i] = m;
        s += devResid(f[y + i], m, f[wt + i]);
      }
      return s;
    },
    glmDevResidSum(family, n, y, mu, wt, nbTheta) {
      const d = familyOf(family, anyLink(family), nbTheta).devResid;
      const f = heap.f64;
      let s = 0;
      for (let i = 0; i < n; i++) s += d(f[y + i], f[mu + i], f[wt + i]);
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
