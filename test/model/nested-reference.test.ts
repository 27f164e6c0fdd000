/**
 * Nested and partially crossed designs against lme4 1.1-31 (test/fixtures/nested, made by
 * make-nested.R): `(1 | school/class)` ML and REML with class labels reused across schools,
 * three levels `(1 | region/school/class)`, a correlated school slope beside a class intercept,
 * binomial and Poisson GLMMs on `school/class` (Laplace), and students × items with 20% of the
 * pairs observed. Each JSON holds lme4's fit with tight settings (bobyqa, rhoend 1e-10; glmer
 * also tolPwrss 1e-12), the truth, and `default` = lme4's default fit, the floor. On both
 * backends:
 * - logLik within 1e-6 relative of the tight fit, and not below the default fit's logLik minus
 *   1e-6·|logLik|;
 * - each β within 1% of its SE, each SE within 0.5% relative;
 * - θ within 1e-3 absolute, in lme4's order and with lme4's names;
 * - σ (LMMs) within 1e-4 relative; sds, df, nobs, ngrps, fitted values as the other references
 *   (expectMatchesReference, without conditional modes: the JSONs do not carry them).
 * The GLMMs are also checked against glmmTMB 1.1.5 (exact Laplace Hessian by automatic
 * differentiation; canonical links, so the same objective): logLik within 1e-6 relative, β within
 * 1% of SE, SE within 0.5%.
 *
 * One documented exception (KNOWN_SE): in school_class_poisson lme4's SE of x, from its
 * finite-difference Hessian (deriv12, step 1e-4), is 0.00919748; ours is 0.00926801 (+0.77%).
 * glmmTMB's is 0.00926801 (ours to 1e-7), lme4's RX-based one 0.00926878 and a Richardson
 * (numDeriv) Hessian of lme4's own deviance function at its tight optimum gives 0.00928139, so it
 * is lme4's finite-difference Hessian that is off. For that entry the test asserts ≤ 0.5% against
 * glmmTMB and the Richardson SE, and ≤ 1% against lme4's reported SE.
 *
 * Fit times are printed (`nested <case> (<backend>): <ms>`), beside lme4's in the JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import type { DataInput } from '../../src/frame/types';
import type { MerFit } from '../../src/results/fit';
import { expectMatchesReference, lmmTolerances } from '../helpers/compare';
import { backends, fixturesDir, loadCsv, type RefFit } from '../helpers/fixtures';

interface NestedRef extends RefFit {
  data_csv: string;
  logLik_default: number;
  theta: number[];
  theta_names: string[];
  feval: number;
  seconds_median: number;
  default: { logLik: number; feval: number; seconds_median: number };
  ours: { kind: 'lmm' | 'glmm'; formula: string; options: Record<string, unknown> };
  classid?: { formula: string; logLik: number; theta: number[]; theta_names: string[] };
  se_rx?: Record<string, number>;
  se_hessian_richardson?: Record<string, number>;
  tmb?: { logLik: number; fixef: Record<string, number>; se: Record<string, number> };
  crossed_class?: { formula: string; logLik: number; ngrps: Record<string, number> };
}

const TOL = { logLik: 1e-6, fixefSe: 0.01, se: 0.005, theta: 1e-3, sigma: 1e-4 };

/** SEs where lme4's finite-difference Hessian is itself off (see the header): bound vs lme4. */
const KNOWN_SE: Record<string, Record<string, number>> = {
  school_class_poisson: { x: 0.01 },
};

const fitsDir = join(fixturesDir, 'nested', 'fits');
const refs: NestedRef[] = readdirSync(fitsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(fitsDir, f), 'utf8')) as NestedRef);

const dataCache = new Map<string, DataInput>();
const dataOf = (file: string): DataInput => {
  if (!dataCache.has(file)) dataCache.set(file, loadCsv(file));
  return dataCache.get(file)!;
};

type Backend = (typeof backends)[number];
function fitCase(
  kind: 'lmm' | 'glmm',
  formula: string,
  data: DataInput,
  options: Record<string, unknown>,
  backend: Backend,
): { fit: MerFit; ms: number } {
  const t0 = performance.now();
  const fit =
    kind === 'lmm'
      ? lmerSync(formula, data, { ...options, backend })
      : glmerSync(formula, data, { ...options, backend });
  return { fit, ms: performance.now() - t0 };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

for (const backend of backends) {
  describe(`nested and partially crossed designs vs tight lme4 (${backend})`, () => {
    it('has every fixture', () => {
      expect(refs.map((r) => r.name)).toEqual([
        'region_school_class_ml',
        'school_class_binomial',
        'school_class_ml',
        'school_class_poisson',
        'school_class_reml',
        'school_class_slope_ml',
        'student_item_ml',
      ]);
    });

    for (const ref of refs) {
      it(ref.name, () => {
        const { fit, ms } = fitCase(
          ref.ours.kind,
          ref.ours.formula,
          dataOf(ref.data_csv),
          ref.ours.options,
          backend,
        );
        const names = Object.keys(ref.fixef);
        const worst = (f: (n: string) => number) => Math.max(...names.map(f)).toExponential(2);
        console.log(
          `nested ${ref.name} (${backend}): ${ms.toFixed(0)} ms, ${fit.optimizer.evaluations} evaluations, ` +
            `logLik ${fit.logLik} (ours - tight lme4 ${(fit.logLik - ref.logLik).toExponential(2)}, ` +
            `ours - default lme4 ${(fit.logLik - ref.logLik_default).toExponential(2)}); ` +
            `max |dβ|/SE ${worst((n) => Math.abs(fit.fixef[n] - ref.fixef[n]) / ref.se[n])}, ` +
            `max SE rel ${worst((n) => rel(fit.se[n], ref.se[n]))}, ` +
            `max |dθ| ${Math.max(...ref.theta.map((t, i) => Math.abs(fit.theta[i] - t))).toExponential(2)}` +
            (ref.ours.kind === 'lmm'
              ? `, σ rel ${rel(fit.sigma, ref.sigma).toExponential(2)}`
              : '') +
            `; lme4 tight ${ref.feval} fevals ${ref.seconds_median} s, default ${ref.default.feval} fevals ${ref.default.seconds_median} s`,
        );

        expect(fit.REML).toBe(ref.REML);
        expect(fit.nobs).toBe(ref.nobs);
        expect(fit.ngrps).toEqual(ref.ngrps);

        expect(
          rel(fit.logLik, ref.logLik),
          `logLik ${fit.logLik} vs tight lme4 ${ref.logLik}`,
        ).toBeLessThan(TOL.logLik);
        expect(
          fit.logLik,
          `logLik ${fit.logLik} vs default lme4 ${ref.logLik_default}`,
        ).toBeGreaterThan(ref.logLik_default - TOL.logLik * Math.abs(ref.logLik_default));

        expect(Object.keys(fit.fixef)).toEqual(Object.keys(ref.fixef));
        for (const [name, value] of Object.entries(ref.fixef)) {
          expect(
            Math.abs(fit.fixef[name] - value) / ref.se[name],
            `fixef ${name}: ${fit.fixef[name]} vs ${value} (SE ${ref.se[name]})`,
          ).toBeLessThanOrEqual(TOL.fixefSe);
          const known = KNOWN_SE[ref.name]?.[name];
          expect(
            rel(fit.se[name], ref.se[name]),
            `se ${name}: ${fit.se[name]} vs ${ref.se[name]}`,
          ).toBeLessThan(known ?? TOL.se);
          if (known !== undefined) {
            const rich = ref.se_hessian_richardson![name];
            expect(rel(fit.se[name], rich), `se ${name} vs lme4 Richardson ${rich}`).toBeLessThan(
              TOL.se,
            );
            const tmb = ref.tmb!.se[name];
            expect(rel(fit.se[name], tmb), `se ${name} vs glmmTMB ${tmb}`).toBeLessThan(TOL.se);
          }
        }
        if (ref.tmb) {
          const tmb = ref.tmb;
          expect(rel(fit.logLik, tmb.logLik), `logLik vs glmmTMB ${tmb.logLik}`).toBeLessThan(
            TOL.logLik,
          );
          for (const [name, se] of Object.entries(tmb.se)) {
            expect(
              Math.abs(fit.fixef[name] - tmb.fixef[name]) / se,
              `glmmTMB fixef ${name}`,
            ).toBeLessThan(TOL.fixefSe);
            expect(
              rel(fit.se[name], se),
              `glmmTMB se ${name}: ${fit.se[name]} vs ${se}`,
            ).toBeLessThan(TOL.se);
          }
        }

        expect(fit.thetaNames).toEqual(ref.theta_names);
        ref.theta.forEach((t, i) =>
          expect(
            Math.abs(fit.theta[i] - t),
            `theta ${ref.theta_names[i]}: ${fit.theta[i]} vs ${t}`,
          ).toBeLessThan(TOL.theta),
        );
        if (ref.ours.kind === 'lmm') {
          expect(rel(fit.sigma, ref.sigma), `sigma ${fit.sigma} vs ${ref.sigma}`).toBeLessThan(
            TOL.sigma,
          );
        }

        // sds within 1%, df, dfResid, singular, fitted values (no conditional modes in the JSON)
        // (its SE check uses glmmTMB's SE for the KNOWN_SE entries, checked above)
        const se = { ...ref.se };
        for (const name of Object.keys(KNOWN_SE[ref.name] ?? {})) se[name] = ref.tmb!.se[name];
        expectMatchesReference(fit, { ...ref, se }, { ...lmmTolerances, condval: null });
      });
    }

    // (1 | school/class) with class = 1..4 within school is (1 | school) + (1 | classid) with a
    // globally unique class id, and not (1 | school) + (1 | class), which pools class k of every school.
    const sc = refs.find((r) => r.name === 'school_class_ml')!;
    it('school/class = school + classid, and differs from the crossed school + class', () => {
      const data = dataOf(sc.data_csv);
      const byId = fitCase('lmm', sc.classid!.formula, data, { REML: false }, backend).fit;
      expect(rel(byId.logLik, sc.classid!.logLik), `classid logLik ${byId.logLik}`).toBeLessThan(
        TOL.logLik,
      );
      expect(byId.thetaNames).toEqual(sc.classid!.theta_names);
      sc.classid!.theta.forEach((t, i) =>
        expect(Math.abs(byId.theta[i] - t)).toBeLessThan(TOL.theta),
      );
      const crossed = fitCase('lmm', sc.crossed_class!.formula, data, { REML: false }, backend).fit;
      expect(crossed.ngrps).toEqual(sc.crossed_class!.ngrps);
      expect(
        rel(crossed.logLik, sc.crossed_class!.logLik),
        `crossed logLik ${crossed.logLik}`,
      ).toBeLessThan(TOL.logLik);
    });
  });
}
