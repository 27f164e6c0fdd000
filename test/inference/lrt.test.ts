/**
 * Likelihood-ratio tests between nested fits (`anova(m0, m1)`) against lme4 1.1-31's
 * anova.merMod, on both backends. References: test/fixtures/inference/lrt_*.json, made by
 * lrt_confint_make.R. Tolerances from issue 8: LRT statistics within 1e-5, p-values within 1e-4
 * absolute (the boundary-corrected pBoundary is the R script's 50:50 chi-square mixture).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { OptionError } from '../../src/errors';
import type { DataInput } from '../../src/frame/types';
import { anova } from '../../src/inference/lrt';
import { pchisqMixtureUpper, pchisqUpper } from '../../src/math/pvalues';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface LrtRef {
  name: string;
  data: string;
  formulas: string[];
  options: { family?: string; REML?: boolean; lot?: string } | unknown[];
  models: { npar: number; AIC: number; BIC: number; logLik: number; deviance: number }[];
  chisq: number;
  df: number;
  p: number;
  pBoundary?: number | null;
}

const dir = join(fixturesDir, 'inference');
const refs: LrtRef[] = readdirSync(dir)
  .filter((f) => f.startsWith('lrt_') && f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LrtRef);

/** The data of a reference (the boundary case adds the R script's Lot = rep(u, v, w)). */
function refData(ref: LrtRef): DataInput {
  const data = loadCsv(ref.data) as Record<string, (number | string)[]>;
  const opts = Array.isArray(ref.options) ? {} : ref.options;
  if (opts.lot) {
    const n = data.Yield.length;
    data.Lot = Array.from({ length: n }, (_, i) => ['u', 'v', 'w'][i % 3]);
  }
  return data;
}

function fitRef(ref: LrtRef, formula: string, backend: 'wasm' | 'js'): MerFit {
  const opts = Array.isArray(ref.options) ? {} : ref.options;
  const data = refData(ref);
  if (opts.family) {
    return glmerSync(formula, data, { family: opts.family, factors: ['period'], backend });
  }
  return lmerSync(formula, data, { backend, ...(opts.REML === false ? { REML: false } : {}) });
}

describe('chi-square tails', () => {
  it('match R pchisq(lower.tail = FALSE)', () => {
    // R: pchisq(c(3.84, 42.1392985, 0.5, 250), c(1, 2, 7, 3), lower.tail = FALSE)
    expect(pchisqUpper(3.84, 1)).toBeCloseTo(0.050043521248705224, 14);
    expect(pchisqUpper(42.1392985420164, 2)).toBeCloseTo(7.07241254723003e-10, 20);
    expect(pchisqUpper(0.5, 7) / 0.99944648139042513).toBeCloseTo(1, 12);
    expect(pchisqUpper(250, 3) / 6.543750030967993e-54).toBeCloseTo(1, 10);
    expect(pchisqUpper(0, 0)).toBe(1);
    expect(pchisqUpper(1, 0)).toBe(0);
    expect(pchisqMixtureUpper(3.84, 1)).toBeCloseTo(0.025021760624352612, 14);
  });
});

for (const backend of backends) {
  describe(`anova(m0, m1) likelihood-ratio tests vs lme4 (${backend})`, () => {
    for (const ref of refs) {
      it(ref.name, () => {
        const [m0, m1] = ref.formulas.map((f) => fitRef(ref, f, backend));
        // given in either order, the table is ordered by npar
        for (const a of [anova(m0, m1), anova(m1, m0)]) {
          expect(a.models.map((m) => m.npar)).toEqual(ref.models.map((m) => m.npar));
          a.models.forEach((m, i) => {
            const r = ref.models[i];
            expect(m.formula).toBe(ref.formulas[i]);
            for (const key of ['AIC', 'BIC', 'logLik', 'deviance'] as const) {
              expect(Math.abs(m[key] - r[key]), `${key} ${i}`).toBeLessThan(1e-5);
            }
          });
          const t = a.tests[0];
          expect(Math.abs(t.chisq - ref.chisq), 'chisq').toBeLessThan(1e-5);
          expect(t.df).toBe(ref.df);
          expect(Math.abs(t.p - ref.p), 'p').toBeLessThan(1e-4);
          if (ref.pBoundary === undefined || ref.pBoundary === null) {
            expect(t.pBoundary).toBeUndefined();
            expect(a.toJSON()).not.toHaveProperty('pBoundary');
          } else {
            expect(Math.abs((t.pBoundary as number) - ref.pBoundary), 'pBoundary').toBeLessThan(
              1e-4,
            );
            expect(t.addedVarianceParameters.length).toBeGreaterThan(0);
          }
          const json = a.toJSON();
          expect(Object.keys(json.models[0]).sort()).toEqual(
            ['AIC', 'BIC', 'deviance', 'formula', 'logLik', 'npar'].sort(),
          );
          expect(json.chisq).toBe(t.chisq);
          expect(a.toString()).toContain('Pr(>Chisq)');
        }
      });
    }

    it('refits REML fits by ML and says so', () => {
      const sleep = loadCsv('sleepstudy.csv');
      const m0 = lmerSync('Reaction ~ Days + (1 | Subject)', sleep, { backend });
      const m1 = lmerSync('Reaction ~ Days + (Days | Subject)', sleep, { backend });
      const a = anova(m0, m1);
      expect(a.refitted).toBe(true);
      expect(a.messages[0]).toMatch(/refitting model\(s\) with ML/);
      expect(a.models.every((m) => m.fit.REML === false)).toBe(true);
      expect(m0.REML).toBe(true); // the given fits are untouched
      const ml0 = lmerSync('Reaction ~ Days + (1 | Subject)', sleep, { backend, REML: false });
      expect(Math.abs(a.models[0].logLik - ml0.logLik)).toBeLessThan(1e-7);
    });

    it('three models: consecutive tests', () => {
      const sleep = loadCsv('sleepstudy.csv');
      const fs = [
        'Reaction ~ 1 + (1 | Subject)',
        'Reaction ~ Days + (1 | Subject)',
        'Reaction ~ Days + (Days | Subject)',
      ].map((f) => lmerSync(f, sleep, { backend, REML: false }));
      const a = anova(fs[2], fs[0], fs[1]);
      expect(a.models.map((m) => m.npar)).toEqual([3, 4, 6]);
      expect(a.tests).toHaveLength(2);
      expect(a.tests[0].pBoundary).toBeUndefined();
      expect(a.tests[1].pBoundary).toBeDefined();
      expect(a.toJSON().tests).toHaveLength(2);
    });

    it('rejects models fitted to different data', () => {
      const sleep = loadCsv('sleepstudy.csv') as Record<string, number[]>;
      const m1 = lmerSync('Reaction ~ Days + (Days | Subject)', sleep, { backend });
      const short = Object.fromEntries(Object.entries(sleep).map(([k, v]) => [k, v.slice(0, 170)]));
      const m0 = lmerSync('Reaction ~ Days + (1 | Subject)', short, { backend });
      expect(() => anova(m0, m1)).toThrow(OptionError);
      expect(() => anova(m0, m1)).toThrow(/same size of dataset: .* 170 .* 180/);
      const other = { ...sleep, Reaction: sleep.Reaction.map((r, i) => r + (i === 5 ? 1 : 0)) };
      const m2 = lmerSync('Reaction ~ Days + (1 | Subject)', other, { backend });
      expect(() => anova(m2, m1)).toThrow(/not fitted to the same data: .* observation 6/);
      const lr = lmerSync('log(Reaction) ~ Days + (1 | Subject)', sleep, { backend });
      expect(() => anova(lr, m1)).toThrow(/different responses/);
      expect(() => anova(m1)).toThrow(/at least two/);
    });
  });
}
