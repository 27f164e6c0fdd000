/**
 * The fixed-effects covariance of GLMMs (control.vcov), as lme4's vcov.merMod: the
 * finite-difference Hessian over (θ, β) at any number of observations (lme4 computes it whatever
 * n is; only our convergence checks stop at checks.nobsMax), R_X on request, and R_X with
 * lme4's warning when the Hessian's covariance is not positive definite.
 * Reference: test/fixtures/vcov/make-vcov.R (12,000 rows, lme4 with tight settings: the
 * Hessian's SEs, vcov(m, use.hessian = FALSE)'s, and glmmTMB's exact-Hessian SEs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { OptionError } from '../../src/errors';
import { defaultControl, mergeControl } from '../../src/model/control';
import { HESSIAN_FALLBACK_MESSAGE, hessianCovariance } from '../../src/model/glmm';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface VcovRef {
  nobs: number;
  logLik: number;
  fixef: Record<string, number>;
  se: Record<string, number>;
  vcov: number[][];
  se_RX: Record<string, number>;
  vcov_RX: number[][];
  tmb: { logLik: number; se: Record<string, number> };
}

const ref = JSON.parse(
  readFileSync(join(fixturesDir, 'vcov', 'logistic_12k.json'), 'utf8'),
) as VcovRef;
const big = loadCsv('vcov/logistic_12k.csv');
const BIG = 'y ~ x + z + (x | g)';
const CBPP = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
const cbpp = loadCsv('cbpp.csv');
const cbppOptions = { family: 'binomial', factors: ['period'] };

const rel = (a: number, b: number) => Math.abs(a / b - 1);

/** Every element of V within `tol` of R, relative to sqrt(R_ii R_jj). */
function expectCovariance(v: number[][], r: number[][], tol: number, what: string): void {
  r.forEach((row, i) =>
    row.forEach((rij, j) =>
      expect(
        Math.abs(v[i][j] - rij) / Math.sqrt(r[i][i] * r[j][j]),
        `${what}[${i}][${j}]`,
      ).toBeLessThan(tol),
    ),
  );
}

for (const backend of backends) {
  describe(`GLMM vcov with more than 10^4 observations (${backend})`, () => {
    let fit: MerFit;
    let rx: MerFit;
    beforeAll(() => {
      fit = glmerSync(BIG, big, { family: 'binomial', backend });
      rx = fit.update({ control: { vcov: 'RX' } });
    }, 120_000);

    it('uses the Hessian by default, as lme4 at any n, with lme4 SEs within 0.5%', () => {
      expect(fit.nobs).toBe(ref.nobs);
      expect(fit.nobs).toBeGreaterThan(defaultControl().checks.nobsMax);
      expect(fit.vcovMethod).toBe('hessian');
      expect(fit.optimizer.control.vcov).toBe('hessian');
      expect(fit.messages).toEqual([]);
      expect(rel(fit.logLik, ref.logLik)).toBeLessThan(1e-6);
      expect(fit.logLik).toBeGreaterThan(ref.logLik - 1e-6 * Math.abs(ref.logLik));
      for (const [k, se] of Object.entries(ref.se)) {
        expect(Math.abs(fit.fixef[k] - ref.fixef[k]), `fixef ${k}`).toBeLessThan(0.01 * se);
        expect(rel(fit.se[k], se), `se ${k}`).toBeLessThan(0.005);
        expect(rel(fit.se[k], ref.tmb.se[k]), `glmmTMB se ${k}`).toBeLessThan(0.005);
      }
      expectCovariance(fit.vcov, ref.vcov, 0.005, 'vcov');
      expect(fit.summary()).toContain(
        "Standard errors from the finite-difference Hessian (vcov: 'hessian')\n",
      );
      expect(fit.toJSON().vcovMethod).toBe('hessian');
    });

    it("vcov: 'RX' gives lme4's vcov(m, use.hessian = FALSE), 3-12% below the Hessian's", () => {
      expect(rx.vcovMethod).toBe('RX');
      expect(rx.optimizer.control.vcov).toBe('RX');
      expect(rx.fixef).toEqual(fit.fixef); // the covariance rule does not move the optimum
      for (const [k, se] of Object.entries(ref.se_RX)) {
        expect(rel(rx.se[k], se), `RX se ${k}`).toBeLessThan(0.005);
        expect(fit.se[k] / rx.se[k] - 1, `hessian vs RX ${k}`).toBeGreaterThan(0.02);
      }
      expectCovariance(rx.vcov, ref.vcov_RX, 0.005, 'vcov_RX');
      expect(rx.summary()).toContain(
        "Standard errors from R_X, conditional on theta (vcov: 'RX')\n",
      );
      expect(rx.toJSON().vcovMethod).toBe('RX');
    });
  });

  describe(`GLMM vcov rules on cbpp (${backend})`, () => {
    let rx: MerFit;
    beforeAll(() => {
      rx = glmerSync(CBPP, cbpp, { ...cbppOptions, backend, control: { vcov: 'RX' } });
    }, 60_000);

    it("falls back to R_X with lme4's warning when the Hessian's covariance is not positive definite", () => {
      // a 3-unit finite-difference step makes the Hessian of this model indefinite
      const fit = glmerSync(CBPP, cbpp, {
        ...cbppOptions,
        backend,
        control: { derivativeStep: 3 },
      });
      expect(fit.optimizer.control.vcov).toBe('hessian');
      expect(fit.vcovMethod).toBe('RX');
      expect(fit.messages).toContain(HESSIAN_FALLBACK_MESSAGE);
      for (const k of fit.fixefNames) expect(rel(fit.se[k], rx.se[k]), k).toBeLessThan(1e-8);
      const text = fit.summary();
      expect(text).toContain(
        "Standard errors from R_X: the Hessian's covariance is not positive definite (vcov: 'hessian')\n",
      );
      expect(text).toContain(HESSIAN_FALLBACK_MESSAGE + '\n');
    });

    it("'auto' (the former default) is an alias of 'hessian'", () => {
      const fit = glmerSync(CBPP, cbpp, { ...cbppOptions, backend });
      const auto = glmerSync(CBPP, cbpp, { ...cbppOptions, backend, control: { vcov: 'auto' } });
      expect(auto.optimizer.control.vcov).toBe('hessian');
      expect(auto.vcovMethod).toBe('hessian');
      expect(auto.se).toEqual(fit.se);
      expect(fit.se.period2 / rx.se.period2 - 1).toBeGreaterThan(1e-3);
    });

    it('nAGQ = 0 has no Hessian over β: R_X, without a warning (as lme4)', () => {
      const fit = glmerSync(CBPP, cbpp, { ...cbppOptions, backend, nAGQ: 0 });
      expect(fit.vcovMethod).toBe('RX');
      expect(fit.messages).not.toContain(HESSIAN_FALLBACK_MESSAGE);
      expect(fit.summary()).toContain(
        'Standard errors from R_X (nAGQ = 0 has no Hessian over beta)\n',
      );
    });
  });
}

describe('hessianCovariance (lme4 vcov.merMod: the β block of H⁻¹ + H⁻ᵀ)', () => {
  it('is 2 (H⁻¹)_ββ for a positive-definite H', () => {
    // H over (θ, β1, β2)
    const H = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const v = hessianCovariance(H, 1, 2)!;
    // (H⁻¹)_ββ = (H_ββ - H_βθ H_θθ⁻¹ H_θβ)⁻¹
    const s = [
      [3 - 1 / 4, 0.2 - 0.5 / 4],
      [0.2 - 0.5 / 4, 2 - 0.25 / 4],
    ];
    const det = s[0][0] * s[1][1] - s[0][1] ** 2;
    const expected = [
      [(2 * s[1][1]) / det, (-2 * s[0][1]) / det],
      [(-2 * s[0][1]) / det, (2 * s[0][0]) / det],
    ];
    v.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 12)));
  });
  it('is null (R_X fallback) when H is singular or the β block is not positive definite', () => {
    expect(
      hessianCovariance(
        [
          [1, 1],
          [1, 1],
        ],
        1,
        1,
      ),
    ).toBeNull();
    // indefinite H whose β block of the inverse is negative
    expect(
      hessianCovariance(
        [
          [1, 2],
          [2, 1],
        ],
        1,
        1,
      ),
    ).toBeNull();
    expect(hessianCovariance([[NaN]], 0, 1)).toBeNull();
  });
  it('accepts an indefinite H whose β block is positive definite (lme4 checks only that block)', () => {
    const v = hessianCovariance(
      [
        [-1, 0],
        [0, 2],
      ],
      1,
      1,
    );
    expect(v).toEqual([[1]]);
  });
});

describe('control.vcov', () => {
  it("defaults to 'hessian'; 'auto' is normalised to it", () => {
    expect(defaultControl().vcov).toBe('hessian');
    expect(mergeControl(defaultControl(), { vcov: 'auto' }).vcov).toBe('hessian');
    expect(mergeControl(defaultControl(), { vcov: 'RX' }).vcov).toBe('RX');
  });
  it('rejects other values, naming the two rules', () => {
    expect(() =>
      glmerSync(CBPP, cbpp, { ...cbppOptions, control: { vcov: 'sandwich' as 'RX' } }),
    ).toThrow(OptionError);
    expect(() =>
      glmerSync(CBPP, cbpp, { ...cbppOptions, control: { vcov: 'rx' as 'RX' } }),
    ).toThrow(
      "option 'control.vcov': must be one of 'hessian', 'RX', got \"rx\" (did you mean 'RX'?)",
    );
  });
});
