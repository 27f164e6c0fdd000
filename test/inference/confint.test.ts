/**
 * Confidence intervals (`fit.confint`) against lme4 1.1-31's confint.merMod: Wald intervals
 * (NA rows for the variance parameters) and profile-likelihood intervals for the random-effect
 * sds/correlations, σ and β, on both backends. References: test/fixtures/inference/confint_*.json
 * made by lrt_confint_make.R (the GLMM with tight glmer settings). Tolerance from issue 8:
 * profile interval ends within 1e-3 relative (lme4 interpolates a spline through its profile;
 * we solve ζ = ±z with a root finder); Wald ends within 1e-6 relative of the same fit's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { OptionError } from '../../src/errors';
import { formatConfint, type ConfintRow } from '../../src/inference/confint';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface CiRef {
  name: string;
  data: string;
  formula: string;
  REML: boolean;
  level: number;
  options: { family?: string; REML?: boolean } | unknown[];
  profile: { parameter: string; lower: number | null; upper: number | null }[];
  Wald: { parameter: string; lower: number | null; upper: number | null }[];
}

const dir = join(fixturesDir, 'inference');
const refs: CiRef[] = readdirSync(dir)
  .filter((f) => f.startsWith('confint_') && f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CiRef);

function fitRef(ref: CiRef, backend: 'wasm' | 'js'): MerFit {
  const opts = Array.isArray(ref.options) ? {} : ref.options;
  const data = loadCsv(ref.data);
  if (opts.family) {
    return glmerSync(ref.formula, data, { family: opts.family, factors: ['period'], backend });
  }
  return lmerSync(ref.formula, data, { backend, REML: ref.REML });
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-8);

function expectRows(got: ConfintRow[], want: CiRef['profile'], tol: number): void {
  expect(got.map((r) => r.parameter)).toEqual(want.map((r) => r.parameter));
  got.forEach((r, i) => {
    for (const end of ['lower', 'upper'] as const) {
      const w = want[i][end];
      if (w === null) expect(Number.isNaN(r[end]), `${r.parameter} ${end} NA`).toBe(true);
      else expect(rel(r[end], w), `${r.parameter} ${end}: ${r[end]} vs ${w}`).toBeLessThan(tol);
    }
  });
}

for (const backend of backends) {
  describe(`confint vs lme4 (${backend})`, () => {
    for (const ref of refs) {
      it(`${ref.name}: profile`, () => {
        const fit = fitRef(ref, backend);
        const ci = fit.confint({ method: 'profile', level: ref.level });
        expectRows(ci, ref.profile, 1e-3);
        // the fit itself is untouched and can be used again
        expect(fit.REML).toBe(ref.REML);
        expect(fit.update({}).logLik).toBeCloseTo(fit.logLik, 6);
      });
      it(`${ref.name}: Wald`, () => {
        const fit = fitRef(ref, backend);
        expectRows(fit.confint({ method: 'Wald', level: ref.level }), ref.Wald, 1e-3);
      });
    }

    it('options: parm, default level, boot, bad options', () => {
      const dye = loadCsv('dyestuff.csv');
      const fit = lmerSync('Yield ~ 1 + (1 | Batch)', dye, { backend });
      const w = fit.confint({ method: 'Wald', parm: ['(Intercept)'] });
      expect(w).toHaveLength(1);
      expect(w[0].upper - w[0].lower).toBeCloseTo(2 * 1.959963984540054 * fit.se['(Intercept)'], 8);
      const all = fit.confint({ method: 'Wald' });
      expect(all.map((r) => r.parameter)).toEqual(['.sig01', '.sigma', '(Intercept)']);
      expect(formatConfint(all)).toMatch(/2\.5 %\s+97\.5 %\n\.sig01\s+NA\s+NA/);
      // percentile bootstrap: lme4's parameters, reproducible with a seed, near the profile's
      const boot = fit.confint({ method: 'boot', nsim: 200, seed: 3 });
      expect(boot.map((r) => r.parameter)).toEqual(['.sig01', '.sigma', '(Intercept)']);
      expect(fit.confint({ method: 'boot', nsim: 200, seed: 3 })).toEqual(boot);
      const prof = fit.confint({ parm: ['(Intercept)'] })[0];
      const b = boot[2];
      expect((b.upper - b.lower) / (prof.upper - prof.lower)).toBeGreaterThan(0.7);
      expect((b.upper - b.lower) / (prof.upper - prof.lower)).toBeLessThan(1.3);
      expect(() => fit.confint({ method: 'wald' as 'Wald' })).toThrow(OptionError);
      expect(() => fit.confint({ level: 1.5 })).toThrow(OptionError);
      expect(() => fit.confint({ parm: ['sigma'] })).toThrow(/unknown parameter 'sigma'/);
      expect(() => fit.confint({ levle: 0.9 } as never)).toThrow(/level/);
    });

    it('a singular fit: the sd interval starts at its bound 0', () => {
      const dye2 = loadCsv('dyestuff2.csv');
      const fit = lmerSync('Yield ~ 1 + (1 | Batch)', dye2, { backend, REML: false });
      const ci = fit.confint({ parm: ['.sig01', '.sigma'] });
      expect(ci[0].lower).toBe(0);
      expect(ci[0].upper).toBeGreaterThan(0);
      expect(ci[1].lower).toBeLessThan(fit.sigma);
      expect(ci[1].upper).toBeGreaterThan(fit.sigma);
    });
  });
}
