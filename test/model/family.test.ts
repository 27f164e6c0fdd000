import { readFileSync } from 'node:fs';
import asc from 'assemblyscript/asc';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors';
import {
  DBL_EPSILON,
  bd0,
  dbinom,
  dgamma,
  digamma,
  dnbinomMu,
  dnorm,
  dpois,
  lgamma,
  pnorm,
  qnorm,
  stirlerr,
  trigamma,
} from '../../src/math/distributions';
import {
  type Family,
  FamilyCode,
  devResidRange,
  devResidSum,
  initializeMuEta,
  logDensitySum,
  makeFamily,
  varianceRange,
  workingWeightsResid,
} from '../../src/model/family';
import { LINK_NAMES, LinkCode, linkinvRange, makeLink, muEtaRange } from '../../src/model/links';

function rel(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/** log(n!) by summing logs: an independent reference for moderate n. */
function logFact(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

function logChoose(n: number, k: number): number {
  return logFact(n) - logFact(k) - logFact(n - k);
}

describe('normal distribution', () => {
  it('pnorm matches R', () => {
    expect(rel(pnorm(-1.96), 0.024997895148220435)).toBeLessThan(1e-15);
    expect(rel(pnorm(1), 0.8413447460685429)).toBeLessThan(1e-15);
    expect(pnorm(0)).toBe(0.5);
    expect(rel(pnorm(5, 0, 1, false), 2.866515718791939e-7)).toBeLessThan(1e-14);
    expect(rel(pnorm(-10), 7.61985302416047e-24)).toBeLessThan(1e-13);
    expect(rel(pnorm(-3), 0.0013498980316301)).toBeLessThan(1e-13);
    expect(pnorm(-40)).toBe(0);
    expect(pnorm(40)).toBe(1);
    expect(rel(pnorm(-40, 0, 1, true, true), -804.6084420137538)).toBeLessThan(1e-14);
    expect(rel(pnorm(3, 1, 2), pnorm(1))).toBeLessThan(1e-15);
  });

  it('qnorm matches R and inverts pnorm', () => {
    expect(rel(qnorm(0.975), 1.959963984540054)).toBeLessThan(1e-15);
    expect(rel(qnorm(0.025), -1.959963984540054)).toBeLessThan(1e-15);
    expect(qnorm(0.5)).toBe(0);
    expect(rel(qnorm(1e-10), -6.361340902404056)).toBeLessThan(1e-14);
    expect(rel(qnorm(DBL_EPSILON), -8.125890664701906)).toBeLessThan(1e-14);
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(Number.isNaN(qnorm(1.5))).toBe(true);
    for (let x = -8; x <= 8; x += 0.37) {
      const p = pnorm(x);
      if (x < 1) expect(Math.abs(qnorm(p) - x)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x)));
      // (probabilities near 1 cannot carry the information: lower tail x < 1, upper x > -1)
      if (x > -1)
        expect(Math.abs(qnorm(pnorm(x, 0, 1, false), 0, 1, false) - x)).toBeLessThan(1e-12 * 8);
      expect(Math.abs(qnorm(pnorm(x, 0, 1, true, true), 0, 1, true, true) - x)).toBeLessThan(
        1e-12 * 8,
      );
    }
  });

  it('dnorm matches the closed form, also in the tails', () => {
    expect(rel(dnorm(0), 0.3989422804014327)).toBeLessThan(1e-15);
    for (const x of [-30, -7.3, -1, 0.4, 2, 6.01, 20]) {
      const ref = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      expect(rel(dnorm(x), ref)).toBeLessThan(1e-12);
      expect(rel(dnorm(x, 0, 1, true), -0.5 * x * x - 0.5 * Math.log(2 * Math.PI))).toBeLessThan(
        1e-15,
      );
    }
    expect(rel(dnorm(3, 1, 2), dnorm(1) / 2)).toBeLessThan(1e-15);
  });
});

describe('gamma-function family', () => {
  it('lgamma matches known values and log factorials', () => {
    expect(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    expect(rel(lgamma(100), 359.1342053695754)).toBeLessThan(1e-15);
    expect(rel(lgamma(1e-8), -Math.log(1e-8) - 0.5772156649015329e-8)).toBeLessThan(1e-14);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
    // Gamma(-0.5) = -2 sqrt(pi)
    expect(Math.abs(lgamma(-0.5) - Math.log(2 * Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
    for (let n = 1; n <= 60; n++) {
      expect(Math.abs(lgamma(n + 1) - logFact(n))).toBeLessThan(1e-13 * Math.max(1, logFact(n)));
    }
    // recurrence at non-integers
    for (const x of [0.1, 0.73, 1.5, 3.3, 9.99, 10.5, 42.7]) {
      expect(Math.abs(lgamma(x + 1) - lgamma(x) - Math.log(x))).toBeLessThan(5e-15 * (1 + x));
    }
  });

  it('digamma and trigamma match known values and derivatives of lgamma', () => {
    expect(rel(digamma(1), -0.5772156649015329)).toBeLessThan(1e-15);
    expect(rel(digamma(0.5), -1.9635100260214235)).toBeLessThan(1e-15);
    expect(rel(trigamma(1), (Math.PI * Math.PI) / 6)).toBeLessThan(1e-15);
    expect(rel(trigamma(0.5), (Math.PI * Math.PI) / 2)).toBeLessThan(1e-15);
    for (const x of [0.3, 2.5, 7, 31.4, 1000, -1.5]) {
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(
        1e-14 * (1 + Math.abs(digamma(x))),
      );
      expect(Math.abs(trigamma(x) - trigamma(x + 1) - 1 / (x * x))).toBeLessThan(
        1e-14 * trigamma(Math.abs(x)) + 1e-15,
      );
    }
  });

  it('stirlerr and bd0 are consistent with their definitions', () => {
    for (const n of [0.5, 1, 7.5, 15, 16, 40, 100, 1000]) {
      const ref = lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - 0.5 * Math.log(2 * Math.PI);
      // the reference loses ~1e-16 * lgamma(n + 1) to cancellation
      expect(Math.abs(stirlerr(n) - ref)).toBeLessThan(1e-14 + 4e-16 * lgamma(n + 1));
    }
    expect(rel(bd0(10, 3), 10 * Math.log(10 / 3) + 3 - 10)).toBeLessThan(1e-14);
    // near x = np the series keeps relative accuracy
    const x = 1000;
    const np = 1000.001;
    expect(bd0(x, np)).toBeGreaterThan(0);
    expect(rel(bd0(x, np), (0.001 * 0.001) / (2 * 1000))).toBeLessThan(1e-5);
  });
});

describe('saddle-point densities', () => {
  it('dbinom matches R and the log-choose formula', () => {
    // R: dbinom(3, 10, 0.2) = 0.201326592
    expect(rel(dbinom(3, 10, 0.2), 0.201326592)).toBeLessThan(1e-14);
    expect(rel(dbinom(3, 10, 0.2, true), Math.log(0.201326592))).toBeLessThan(1e-14);
    for (const [x, n, p] of [
      [0, 5, 0.3],
      [5, 5, 0.3],
      [1, 1, 0.9],
      [17, 40, 0.45],
      [2, 200, 0.01],
      [150, 300, 0.51],
    ]) {
      const ref = logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p);
      expect(Math.abs(dbinom(x, n, p, true) - ref)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(ref)),
      );
    }
    expect(dbinom(0, 3, 0, true)).toBe(0);
    expect(dbinom(1, 3, 0, true)).toBe(-Infinity);
    expect(dbinom(1.5, 3, 0.5)).toBe(0);
  });

  it('dpois matches R and the direct formula', () => {
    // R: dpois(3, 2.5) = 0.213763017249735
    expect(rel(dpois(3, 2.5), 0.213763017249735)).toBeLessThan(1e-13);
    for (const [x, lam] of [
      [0, 0.7],
      [1, 3],
      [12, 11.5],
      [50, 20],
      [0, 1e-5],
    ]) {
      const ref = x * Math.log(lam) - lam - logFact(x);
      expect(Math.abs(dpois(x, lam, true) - ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref)));
    }
    expect(dpois(0, 0, true)).toBe(0);
    expect(dpois(-1, 2)).toBe(0);
  });

  it('dgamma matches the closed form', () => {
    for (const [x, shape, scale] of [
      [1.3, 0.5, 2],
      [0.2, 1, 3],
      [4.1, 2.5, 0.7],
      [10, 37.3, 0.25],
      [0.01, 200, 0.001],
    ]) {
      const ref = (shape - 1) * Math.log(x) - x / scale - lgamma(shape) - shape * Math.log(scale);
      expect(Math.abs(dgamma(x, shape, scale, true) - ref)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(ref)),
      );
    }
    expect(dgamma(0, 1, 2, true)).toBeCloseTo(-Math.log(2), 15);
  });

  it('dnbinom (mu parametrisation) matches the lgamma formula', () => {
    for (const [x, size, mu] of [
      [0, 2, 3],
      [4, 2, 3],
      [17, 0.8, 10],
      [100, 50, 60],
    ]) {
      const ref =
        lgamma(x + size) -
        lgamma(size) -
        lgamma(x + 1) +
        size * Math.log(size / (size + mu)) +
        x * Math.log(mu / (size + mu));
      expect(Math.abs(dnbinomMu(x, size, mu, true) - ref)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(ref)),
      );
    }
    // huge size: the Poisson limit (the lgamma formula would cancel catastrophically)
    expect(Math.abs(dnbinomMu(3, 1e12, 2.5, true) - dpois(3, 2.5, true))).toBeLessThan(1e-10);
  });
});

describe('links', () => {
  it('logit as R (including the clamps of family.c)', () => {
    const l = makeLink('logit');
    expect(l.linkinv(0)).toBe(0.5);
    expect(l.linkinv(-31)).toBe(DBL_EPSILON / (1 + DBL_EPSILON));
    expect(l.linkinv(31)).toBe(1 / DBL_EPSILON / (1 + 1 / DBL_EPSILON));
    expect(l.muEta(0)).toBe(0.25);
    expect(l.muEta(31)).toBe(DBL_EPSILON);
    expect(l.linkfun(0.5)).toBe(0);
  });

  it('probit, cloglog, cauchit and log clamp as R', () => {
    expect(makeLink('probit').linkinv(-100)).toBe(pnorm(-8.125890664701906));
    expect(makeLink('probit').muEta(50)).toBe(DBL_EPSILON);
    expect(makeLink('cloglog').linkinv(10)).toBe(1 - DBL_EPSILON);
    expect(makeLink('cloglog').linkinv(-40)).toBe(DBL_EPSILON);
    expect(makeLink('cloglog').muEta(800)).toBe(DBL_EPSILON);
    expect(makeLink('cauchit').linkinv(0)).toBe(0.5);
    expect(makeLink('cauchit').linkinv(-1e300)).toBeGreaterThan(0);
    expect(makeLink('log').linkinv(-800)).toBe(DBL_EPSILON);
    expect(makeLink('log').muEta(-800)).toBe(DBL_EPSILON);
    expect(makeLink('1/mu^2').validEta(-1)).toBe(false);
    expect(makeLink('sqrt').validEta(0)).toBe(false);
    expect(makeLink('inverse').validEta(0)).toBe(false);
    expect(makeLink('identity').validEta(-5)).toBe(true);
  });

  it('linkfun inverts linkinv and muEta is the derivative, for every link', () => {
    const etas: Record<string, number[]> = {
      identity: [-3, 0.2, 5],
      log: [-3, 0.2, 5],
      logit: [-6, -0.3, 0, 2, 8],
      probit: [-5, -0.3, 0.1, 2, 4],
      cloglog: [-5, -0.3, 0.1, 1.5],
      cauchit: [-20, -0.3, 0.1, 2, 15],
      inverse: [-2, 0.3, 4],
      sqrt: [0.3, 2, 7],
      '1/mu^2': [0.3, 2, 7],
    };
    for (const name of LINK_NAMES) {
      const l = makeLink(name);
      expect(l.code).toBe(LinkCode[name]);
      for (const eta of etas[name]) {
        const mu = l.linkinv(eta);
        expect(Math.abs(l.linkfun(mu) - eta)).toBeLessThan(1e-9 * Math.max(1, Math.abs(eta)));
        const h = 1e-6 * Math.max(1, Math.abs(eta));
        const num = (l.linkinv(eta + h) - l.linkinv(eta - h)) / (2 * h);
        expect(Math.abs(l.muEta(eta) - num)).toBeLessThan(1e-6 * Math.max(Math.abs(num), 1e-3));
      }
    }
  });

  it('rejects unknown links', () => {
    expect(() => makeLink('loglog')).toThrow(OptionError);
    expect(() => makeLink('loglog')).toThrow(/unknown link 'loglog'/);
  });
});

describe('families', () => {
  it('names, canonical links and codes as R', () => {
    expect(makeFamily('binomial').link.name).toBe('logit');
    expect(makeFamily('poisson').link.name).toBe('log');
    expect(makeFamily('Gamma').link.name).toBe('inverse');
    expect(makeFamily('inverse.gaussian').link.name).toBe('1/mu^2');
    expect(makeFamily('gaussian').link.name).toBe('identity');
    const nb = makeFamily('negative.binomial', undefined, { theta: 3.2 });
    expect(nb.link.name).toBe('log');
    expect(nb.name).toBe('Negative Binomial(3.2)');
    expect(makeFamily('negative.binomial', 'log', { theta: 1.234567 }).name).toBe(
      'Negative Binomial(1.2346)',
    );
    expect(makeFamily('negative.binomial', 'log', { theta: 12 }).name).toBe(
      'Negative Binomial(12)',
    );
    expect(makeFamily('Gamma', 'log').name).toBe('Gamma');
    expect(makeFamily('binomial', 'probit').code).toBe(FamilyCode.binomial);
    expect(makeFamily('gaussian').hasScale).toBe(true);
    expect(makeFamily('poisson').hasScale).toBe(false);
  });

  it('throws OptionError for unknown families and disallowed links', () => {
    expect(() => makeFamily('tweedie')).toThrow(OptionError);
    expect(() => makeFamily('tweedie')).toThrow(/unknown family 'tweedie'/);
    expect(() => makeFamily('poisson', 'logit')).toThrow(
      /link 'logit' not available for the poisson family/,
    );
    expect(() => makeFamily('binomial', 'identity')).toThrow(OptionError);
    expect(() => makeFamily('Gamma', '1/mu^2')).toThrow(OptionError);
    expect(() => makeFamily('binomial', 'foo')).toThrow(/unknown link 'foo'/);
    expect(() => makeFamily('negative.binomial')).toThrow(/theta/);
    expect(() => makeFamily('negative.binomial', 'log', { theta: -1 })).toThrow(OptionError);
    for (const [fam, links] of [
      ['binomial', ['logit', 'probit', 'cauchit', 'log', 'cloglog']],
      ['poisson', ['log', 'identity', 'sqrt']],
      ['Gamma', ['inverse', 'identity', 'log']],
      ['inverse.gaussian', ['1/mu^2', 'inverse', 'identity', 'log']],
      ['gaussian', ['identity', 'log', 'inverse']],
      ['negative.binomial', ['log', 'sqrt', 'identity']],
    ] as const) {
      for (const l of links) expect(makeFamily(fam, l, { theta: 2 }).link.name).toBe(l);
    }
  });

  it('variance functions', () => {
    expect(makeFamily('binomial').variance(0.3)).toBeCloseTo(0.21, 15);
    expect(makeFamily('poisson').variance(2.5)).toBe(2.5);
    expect(makeFamily('Gamma').variance(3)).toBe(9);
    expect(makeFamily('inverse.gaussian').variance(2)).toBe(8);
    expect(makeFamily('gaussian').variance(7)).toBe(1);
    expect(makeFamily('negative.binomial', 'log', { theta: 2 }).variance(4)).toBe(12);
  });

  it('deviance residuals as R', () => {
    const b = makeFamily('binomial');
    expect(b.devResid(0, 0.3, 1)).toBeCloseTo(-2 * Math.log(0.7), 15);
    expect(b.devResid(1, 0.3, 2)).toBeCloseTo(-4 * Math.log(0.3), 14);
    expect(
      rel(
        b.devResid(0.25, 0.4, 4),
        8 * (0.25 * Math.log(0.25 / 0.4) + 0.75 * Math.log(0.75 / 0.6)),
      ),
    ).toBeLessThan(1e-15);
    const p = makeFamily('poisson');
    expect(p.devResid(0, 2.5, 1)).toBe(5);
    expect(rel(p.devResid(3, 2.5, 2), 4 * (3 * Math.log(3 / 2.5) - 0.5))).toBeLessThan(1e-15);
    const g = makeFamily('Gamma');
    expect(rel(g.devResid(2, 3, 1), -2 * (Math.log(2 / 3) + 1 / 3))).toBeLessThan(1e-15);
    const ig = makeFamily('inverse.gaussian');
    expect(rel(ig.devResid(2, 3, 1), 1 / 18)).toBeLessThan(1e-15);
    expect(makeFamily('gaussian').devResid(2, 3.5, 2)).toBe(4.5);
    const nb = makeFamily('negative.binomial', 'log', { theta: 2 });
    expect(rel(nb.devResid(0, 3, 1), -2 * 2 * Math.log(2 / 5))).toBeLessThan(1e-15);
    expect(rel(nb.devResid(4, 3, 1), 2 * (4 * Math.log(4 / 3) - 6 * Math.log(6 / 5)))).toBeLessThan(
      1e-15,
    );
    // the deviance residual is 0 at mu = y
    for (const f of [p, g, ig, nb, makeFamily('gaussian')])
      expect(Math.abs(f.devResid(2, 2, 1))).toBeLessThan(1e-15);
    expect(b.devResid(0.5, 0.5, 3)).toBe(0);
  });

  // a small data set with weights
  const y = new Float64Array([1, 3, 0, 7, 2, 4]);
  const mu = new Float64Array([1.5, 2.2, 0.4, 6.1, 2.9, 3.3]);
  const wt = new Float64Array([1, 2, 1, 0.5, 1, 1.5]);
  const n1 = new Float64Array(6).fill(1);

  function deviance(f: Family, yy: Float64Array, mm: Float64Array, ww: Float64Array): number {
    return devResidSum(f, yy.length, yy, mm, ww);
  }

  it('aic as R, consistent with the per-observation log-densities', () => {
    const p = makeFamily('poisson');
    let ref = 0;
    for (let i = 0; i < 6; i++) ref += wt[i] * (y[i] * Math.log(mu[i]) - mu[i] - logFact(y[i]));
    expect(rel(p.aic(y, n1, mu, wt, deviance(p, y, mu, wt)), -2 * ref)).toBeLessThan(1e-13);
    expect(rel(logDensitySum(p, 6, y, mu, wt, 1), ref)).toBeLessThan(1e-13);

    const nb = makeFamily('negative.binomial', 'log', { theta: 1.7 });
    const nbAic = nb.aic(y, n1, mu, wt, deviance(nb, y, mu, wt));
    expect(rel(nbAic, -2 * logDensitySum(nb, 6, y, mu, wt, 1))).toBeLessThan(1e-12);

    const yPos = new Float64Array([1.2, 3.1, 0.4, 7.7, 2.05, 4]);
    for (const name of ['Gamma', 'inverse.gaussian', 'gaussian']) {
      const f = makeFamily(name);
      const dev = deviance(f, yPos, mu, wt);
      const disp = name === 'gaussian' ? dev / 6 : dev / 7;
      const ll = logDensitySum(f, 6, yPos, mu, wt, disp);
      expect(rel(f.aic(yPos, n1, mu, wt, dev), -2 * ll + 2)).toBeLessThan(1e-12);
    }
    // gaussian without weights: n (log(2 pi dev/n) + 1) + 2
    const g = makeFamily('gaussian');
    const one = new Float64Array(6).fill(1);
    const dev = deviance(g, yPos, mu, one);
    expect(
      rel(g.aic(yPos, n1, mu, one, dev), 6 * (Math.log((2 * Math.PI * dev) / 6) + 1) + 2),
    ).toBeLessThan(1e-14);
  });

  it('binomial aic with Bernoulli data and with trials as weights', () => {
    const b = makeFamily('binomial');
    const yb = new Float64Array([0, 1, 1, 0]);
    const pb = new Float64Array([0.2, 0.7, 0.5, 0.4]);
    const w1 = new Float64Array(4).fill(1);
    const ref = Math.log(0.8) + Math.log(0.7) + Math.log(0.5) + Math.log(0.6);
    expect(rel(b.aic(yb, w1, pb, w1, 0), -2 * ref)).toBeLessThan(1e-14);
    // cbind(succ, fail): y = proportions, weights = trials = n
    const trials = new Float64Array([10, 4, 7]);
    const prop = new Float64Array([3 / 10, 4 / 4, 0 / 7]);
    const pm = new Float64Array([0.25, 0.8, 0.1]);
    let ref2 = 0;
    for (let i = 0; i < 3; i++) {
      const k = Math.round(trials[i] * prop[i]);
      ref2 += logChoose(trials[i], k) + k * Math.log(pm[i]) + (trials[i] - k) * Math.log1p(-pm[i]);
    }
    expect(rel(b.aic(prop, trials, pm, trials, 0), -2 * ref2)).toBeLessThan(1e-13);
    expect(rel(b.aic(prop, null, pm, trials, 0), -2 * ref2)).toBeLessThan(1e-13);
    expect(rel(logDensitySum(b, 3, prop, pm, trials, 1), ref2)).toBeLessThan(1e-13);
  });

  it('starting values as R initialize', () => {
    expect(makeFamily('binomial').mustart(1, 1)).toBe(0.75);
    expect(makeFamily('binomial').mustart(0.3, 10)).toBe(3.5 / 11);
    expect(makeFamily('poisson').mustart(0, 1)).toBe(0.1);
    expect(makeFamily('Gamma').mustart(2.5, 1)).toBe(2.5);
    expect(makeFamily('negative.binomial', 'log', { theta: 1 }).mustart(0, 1)).toBe(1 / 6);
    const f = makeFamily('poisson');
    const m = new Float64Array(2);
    const e = new Float64Array(2);
    initializeMuEta(f, 2, new Float64Array([0, 4]), new Float64Array([1, 1]), m, e);
    expect(Array.from(m)).toEqual([0.1, 4.1]);
    expect(e[1]).toBe(Math.log(4.1));
  });

  it('validates mu and the response with R messages', () => {
    expect(makeFamily('binomial').validMu(1)).toBe(false);
    expect(makeFamily('binomial').validMu(0.5)).toBe(true);
    expect(makeFamily('poisson').validMu(0)).toBe(false);
    expect(makeFamily('inverse.gaussian').validMu(-1)).toBe(true);
    expect(makeFamily('binomial').validateY(new Float64Array([0, 1, 1.2]))).toEqual({
      message: 'y values must be 0 <= y <= 1',
      row: 2,
    });
    expect(
      makeFamily('binomial').validateY(new Float64Array([0, 2]), new Float64Array([1, 0])),
    ).toBeNull();
    expect(makeFamily('poisson').validateY(new Float64Array([0, -1]))?.message).toBe(
      "negative values not allowed for the 'Poisson' family",
    );
    expect(makeFamily('Gamma').validateY(new Float64Array([1, 0]))?.message).toBe(
      "non-positive values not allowed for the 'Gamma' family",
    );
    expect(makeFamily('inverse.gaussian').validateY(new Float64Array([0]))?.row).toBe(0);
    expect(
      makeFamily('negative.binomial', 'log', { theta: 1 }).validateY(new Float64Array([-2])),
    ).not.toBeNull();
    expect(makeFamily('gaussian', 'log').validateY(new Float64Array([1, 0]))?.message).toMatch(
      /starting values/,
    );
    expect(makeFamily('poisson').validateY(new Float64Array([0, 1, 5]))).toBeNull();
  });

  it('vectorised helpers agree with the scalar functions', () => {
    const f = makeFamily('binomial', 'probit');
    const n = 5;
    const yy = new Float64Array([0, 1, 0.5, 1, 0]);
    const eta = new Float64Array([-1.2, 0.3, 0, 2.2, -0.1]);
    const off = new Float64Array([0.1, 0.1, 0, -0.2, 0]);
    const pw = new Float64Array([1, 1, 2, 1, 3]);
    const m = new Float64Array(n);
    const w = new Float64Array(n);
    const z = new Float64Array(n);
    workingWeightsResid(f, n, yy, eta, off, m, pw, w, z);
    const mu2 = new Float64Array(n);
    const d = new Float64Array(n);
    const v = new Float64Array(n);
    linkinvRange(f.link, n, eta, mu2);
    muEtaRange(f.link, n, eta, d);
    varianceRange(f, n, mu2, v);
    for (let i = 0; i < n; i++) {
      expect(m[i]).toBe(mu2[i]);
      expect(w[i]).toBe((pw[i] * d[i] * d[i]) / v[i]);
      expect(z[i]).toBe(eta[i] - off[i] + (yy[i] - m[i]) / d[i]);
    }
    const dr = new Float64Array(n);
    devResidRange(f, n, yy, m, pw, dr);
    expect(devResidSum(f, n, yy, m, pw)).toBe(dr.reduce((a, b) => a + b, 0));
  });
});

// ---------------------------------------------------------------------------------------------
// AssemblyScript kernels (assembly/glm.ts compiled on the fly) against the TypeScript versions

interface GlmExports {
  memory: WebAssembly.Memory;
  glmLinkinv(link: number, n: number, eta: number, mu: number): void;
  glmLinkfun(link: number, n: number, mu: number, eta: number): void;
  glmMuEta(link: number, n: number, eta: number, out: number): void;
  glmVariance(family: number, n: number, mu: number, out: number, theta: number): void;
  glmWorkingWeightsResid(
    family: number,
    link: number,
    n: number,
    y: number,
    eta: number,
    offset: number,
    mu: number,
    wt: number,
    w: number,
    z: number,
    theta: number,
  ): void;
  glmDevResid(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    out: number,
    theta: number,
  ): void;
  glmDevResidSum(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    theta: number,
  ): number;
  normCdf(x: number): number;
  normQuantile(p: number): number;
  normDensity(x: number): number;
}

describe('assembly/glm.ts kernels', () => {
  let wasm: GlmExports;
  let base = 0;
  const N = 64;

  beforeAll(async () => {
    const read = (file: string) =>
      readFileSync(new URL(`../../assembly/${file}`, import.meta.url), 'utf8');
    const result = await asc.compileString(
      { 'glm.ts': read('glm.ts'), 'codes.ts': read('codes.ts') },
      { runtime: 'minimal', noAssert: true, optimizeLevel: 3 },
    );
    if (result.error || result.binary === null)
      throw new Error(`asc failed: ${result.stderr.toString()}`);
    const { instance } = await WebAssembly.instantiate(new Uint8Array(result.binary), {
      env: {
        abort: () => {
          throw new Error('abort');
        },
      },
    });
    wasm = instance.exports as unknown as GlmExports;
    base = wasm.memory.buffer.byteLength;
    wasm.memory.grow(1);
  }, 60_000);

  /** Byte pointer of the k-th N-double slot. */
  const slot = (k: number): number => base + k * N * 8;
  const view = (k: number): Float64Array => new Float64Array(wasm.memory.buffer, slot(k), N);

  function close(a: number, b: number, tol = 1e-12): boolean {
    if (a === b) return true;
    return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  }

  it('normal cdf / quantile / density agree with the TS versions', () => {
    for (let x = -40; x <= 40; x += 0.173) {
      expect(close(wasm.normCdf(x), pnorm(x))).toBe(true);
      expect(close(wasm.normDensity(x), dnorm(x))).toBe(true);
    }
    for (const p of [1e-300, 1e-20, DBL_EPSILON, 0.01, 0.1, 0.3, 0.5, 0.8, 0.99, 1 - 1e-12]) {
      expect(close(wasm.normQuantile(p), qnorm(p))).toBe(true);
    }
  });

  it('link kernels agree with the TS links for every link code', () => {
    for (const name of LINK_NAMES) {
      const l = makeLink(name);
      const eta = view(0);
      for (let i = 0; i < N; i++) {
        const t = -8 + (16 * i) / (N - 1);
        eta[i] =
          name === 'sqrt' || name === '1/mu^2'
            ? 0.05 + Math.abs(t)
            : name === 'inverse'
              ? t + 0.01
              : t;
      }
      wasm.glmLinkinv(l.code, N, slot(0), slot(1));
      wasm.glmMuEta(l.code, N, slot(0), slot(2));
      wasm.glmLinkfun(l.code, N, slot(1), slot(3));
      const mu = view(1);
      const me = view(2);
      const back = view(3);
      for (let i = 0; i < N; i++) {
        expect(close(mu[i], l.linkinv(eta[i]))).toBe(true);
        expect(close(me[i], l.muEta(eta[i]))).toBe(true);
        expect(close(back[i], l.linkfun(mu[i]))).toBe(true);
      }
    }
  });

  it('family kernels agree with the TS families for every family code', () => {
    const cases: [string, string][] = [
      ['gaussian', 'identity'],
      ['binomial', 'logit'],
      ['binomial', 'cloglog'],
      ['poisson', 'log'],
      ['Gamma', 'inverse'],
      ['inverse.gaussian', '1/mu^2'],
      ['negative.binomial', 'log'],
    ];
    const theta = 2.7;
    for (const [name, link] of cases) {
      const f = makeFamily(name, link, { theta });
      const th = f.kind === 'negative.binomial' ? theta : 0;
      const y = view(0);
      const eta = view(1);
      const off = view(2);
      const wt = view(3);
      for (let i = 0; i < N; i++) {
        const mu0 = f.kind === 'binomial' ? 0.05 + (0.9 * i) / N : 0.2 + i / 8;
        y[i] =
          f.kind === 'binomial'
            ? i % 3 === 0
              ? 0
              : i % 3 === 1
                ? 1
                : 0.4
            : f.kind === 'poisson' || f.kind === 'negative.binomial'
              ? i % 5
              : f.kind === 'gaussian'
                ? mu0 + Math.sin(i)
                : mu0 * (1 + 0.3 * Math.sin(i));
        eta[i] = f.linkfun(mu0);
        off[i] = 0.01 * (i % 4);
        wt[i] = 1 + (i % 3);
      }
      wasm.glmWorkingWeightsResid(
        f.code,
        f.link.code,
        N,
        slot(0),
        slot(1),
        slot(2),
        slot(4),
        slot(3),
        slot(5),
        slot(6),
        th,
      );
      const mu = new Float64Array(N);
      const w = new Float64Array(N);
      const z = new Float64Array(N);
      workingWeightsResid(f, N, y, eta, off, mu, wt, w, z);
      const muW = view(4);
      const wW = view(5);
      const zW = view(6);
      for (let i = 0; i < N; i++) {
        expect(close(muW[i], mu[i])).toBe(true);
        expect(close(wW[i], w[i])).toBe(true);
        expect(close(zW[i], z[i], 1e-11)).toBe(true);
      }
      // without offset (null pointer)
      wasm.glmWorkingWeightsResid(
        f.code,
        f.link.code,
        N,
        slot(0),
        slot(1),
        0,
        slot(4),
        slot(3),
        slot(5),
        slot(6),
        th,
      );
      workingWeightsResid(f, N, y, eta, null, mu, wt, w, z);
      for (let i = 0; i < N; i++) expect(close(view(6)[i], z[i], 1e-11)).toBe(true);

      wasm.glmVariance(f.code, N, slot(4), slot(7), th);
      const v = new Float64Array(N);
      varianceRange(f, N, mu, v);
      for (let i = 0; i < N; i++) expect(close(view(7)[i], v[i])).toBe(true);

      wasm.glmDevResid(f.code, N, slot(0), slot(4), slot(3), slot(7), th);
      const dr = new Float64Array(N);
      devResidRange(f, N, y, mu, wt, dr);
      for (let i = 0; i < N; i++)
        expect(Math.abs(view(7)[i] - dr[i])).toBeLessThan(1e-12 * (1 + Math.abs(dr[i])));
      const dev = wasm.glmDevResidSum(f.code, N, slot(0), slot(4), slot(3), th);
      expect(close(dev, devResidSum(f, N, y, mu, wt), 1e-12)).toBe(true);
    }
  });
});
