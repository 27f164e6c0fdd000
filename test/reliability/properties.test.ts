/**
 * Properties every fit must have, on both backends: invariance to the order of the rows, to
 * shifting and rescaling the response and the covariates (the estimates transformed as the
 * algebra says), agreement of the wasm and js backends, and the caller's data never mutated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync, type GlmerOptions } from '../../src/api/glmer';
import { lmerSync, type LmerOptions } from '../../src/api/lmer';
import type { DataInput } from '../../src/frame/types';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';
import { relDiff, rowsOf, small } from './catalogue';

type Table = Record<string, unknown[]>;

/** A deterministic permutation of 0..n-1 (Fisher–Yates with an LCG). */
function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function permuteTable(t: Table, p: readonly number[]): Table {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, p.map((i) => v[i])]));
}

/** |a - b| ≤ tol · max(1, |b|). */
function expectClose(a: number, b: number, tol: number, what: string): void {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(
    tol * Math.max(1, Math.abs(b)),
  );
}

function expectRel(a: number, b: number, tol: number, what: string): void {
  expect(relDiff(a, b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
}

function expectClean(fit: MerFit): void {
  expect(fit.converged, 'converged').toBe(true);
  expect(fit.singular, 'singular').toBe(false);
  expect(fit.messages, 'messages').toEqual([]);
}

const table = (file: string) => loadCsv(file) as Table;
const sleep = () => table('sleepstudy.csv');
const SLOPE = 'Reaction ~ Days + (Days | Subject)';

/**
 * θ of a (1 + Days | Subject) term after Days' = c·Days + a: the random effects become
 * A (b0, b1) with A = [[1, -a/c], [0, 1/c]], so Λ'Λ'ᵀ = A ΛΛᵀ Aᵀ (the last element from the
 * determinant, without cancellation).
 */
function transformedTheta([t0, t1, t2]: number[], c: number, a: number): number[] {
  const s00 = t0 * t0;
  const s10 = t0 * t1;
  const s11 = t1 * t1 + t2 * t2;
  const k = -a / c;
  const u00 = s00 + 2 * k * s10 + k * k * s11;
  const u10 = (s10 + k * s11) / c;
  const l00 = Math.sqrt(u00);
  return [l00, u10 / l00, (t0 * t2) / (Math.abs(c) * l00)];
}

for (const backend of backends) {
  describe(`row order does not matter (${backend})`, () => {
    const cases: [string, string, () => Table, LmerOptions & GlmerOptions, 'lmm' | 'glmm'][] = [
      ['sleepstudy REML', SLOPE, sleep, {}, 'lmm'],
      ['sleepstudy ML', SLOPE, sleep, { REML: false }, 'lmm'],
      [
        'Penicillin crossed',
        'diameter ~ 1 + (1 | plate) + (1 | sample)',
        () => table('penicillin.csv'),
        {},
        'lmm',
      ],
      [
        'cbpp binomial',
        'cbind(incidence, size - incidence) ~ period + (1 | herd)',
        () => table('cbpp.csv'),
        { family: 'binomial', factors: ['period'] },
        'glmm',
      ],
      [
        'RCBD Poisson',
        'count ~ trt + (1 | block)',
        () => table('rcbd_counts.csv'),
        { family: 'poisson' },
        'glmm',
      ],
    ];
    for (const [name, formula, data, options, kind] of cases) {
      it(name, () => {
        const fit = (d: Table) =>
          kind === 'lmm'
            ? lmerSync(formula, d as DataInput, { ...options, backend })
            : glmerSync(formula, d as DataInput, { ...options, backend });
        const base = fit(data());
        for (const seed of [1, 2, 3]) {
          const d = data();
          const shuffled = fit(permuteTable(d, permutation(d[Object.keys(d)[0]].length, seed)));
          expectRel(shuffled.logLik, base.logLik, 1e-9, `logLik, seed ${seed}`);
          for (const n of base.fixefNames) {
            expectClose(shuffled.fixef[n], base.fixef[n], 1e-6, `fixef ${n}`);
          }
          expect(shuffled.ngrps).toEqual(base.ngrps);
        }
      });
    }

    it('weights and an offset given as arrays travel with their rows', () => {
      const d = sleep();
      const w = d.Days.map((x, i) => 0.5 + ((i * 7) % 5) / 2);
      const off = d.Days.map((x) => 2 * (x as number));
      const base = lmerSync(SLOPE, d as DataInput, { backend, weights: w, offset: off });
      const p = permutation(w.length, 9);
      const shuffled = lmerSync(SLOPE, permuteTable(d, p) as DataInput, {
        backend,
        weights: p.map((i) => w[i]),
        offset: p.map((i) => off[i]),
      });
      expectRel(shuffled.logLik, base.logLik, 1e-9, 'logLik');
      expectClose(shuffled.fixef.Days, base.fixef.Days, 1e-6, 'Days');
    });
  });

  describe(`shift and scale invariance, sleepstudy ${SLOPE} by ML (${backend})`, () => {
    const base = () => lmerSync(SLOPE, sleep() as DataInput, { backend, REML: false });
    const n = 180;

    for (const [label, c, a] of [
      ['Reaction + 1e9', 1, 1e9],
      ['Reaction + 1e7', 1, 1e7],
      ['Reaction * 1e8', 1e8, 0],
      ['Reaction * 1e-8', 1e-8, 0],
    ] as const) {
      it(label, () => {
        const b = base();
        const d = sleep();
        d.Reaction = d.Reaction.map((r) => (r as number) * c + a);
        const fit = lmerSync(SLOPE, d as DataInput, { backend, REML: false });
        expectClean(fit);
        // y' = c y + a: logLik shifts by -n log c, θ is unchanged, β scales by c
        expectRel(fit.logLik, b.logLik - n * Math.log(c), 1e-8, 'logLik');
        fit.theta.forEach((t, i) => expectRel(t, b.theta[i], 1e-6, `theta ${i}`));
        expectClose((fit.fixef['(Intercept)'] - a) / c, b.fixef['(Intercept)'], 1e-8, 'intercept');
        expectClose(fit.fixef.Days / c, b.fixef.Days, 1e-8, 'Days');
        expectRel(fit.sigma / c, b.sigma, 1e-7, 'sigma');
      });
    }

    for (const [label, c, a] of [
      ['Days * 1e8', 1e8, 0],
      ['Days * 1e4', 1e4, 0],
      ['Days * 1e-8', 1e-8, 0],
      ['Days + 1e3', 1, 1e3],
    ] as const) {
      it(label, () => {
        const b = base();
        const d = sleep();
        d.Days = d.Days.map((x) => (x as number) * c + a);
        const fit = lmerSync(SLOPE, d as DataInput, { backend, REML: false });
        expectClean(fit);
        expectRel(fit.logLik, b.logLik, 1e-8, 'logLik');
        // Days' = c Days + a: β1' = β1 / c, β0' = β0 - a β1 / c
        expectRel(fit.fixef.Days, b.fixef.Days / c, 1e-8, 'Days');
        expectClose(
          fit.fixef['(Intercept)'],
          b.fixef['(Intercept)'] - (a * b.fixef.Days) / c,
          1e-8,
          'intercept',
        );
        const expected = transformedTheta(b.theta, c, a);
        fit.theta.forEach((t, i) => expectRel(t, expected[i], 1e-6, `theta ${i}`));
        expectRel(fit.sigma, b.sigma, 1e-7, 'sigma');
      });
    }

    it('a fixed-only covariate shifted by 1e9: y ~ I(Days + 1e9) + (1 | Subject)', () => {
      const f0 = lmerSync('Reaction ~ Days + (1 | Subject)', sleep() as DataInput, {
        backend,
        REML: false,
      });
      const f1 = lmerSync('Reaction ~ I(Days + 1e9) + (1 | Subject)', sleep() as DataInput, {
        backend,
        REML: false,
      });
      expectClean(f1);
      // the column is kept (R's QR would alias it with the intercept)
      expect(f1.fixefNames).toEqual(['(Intercept)', 'I(Days + 1e+09)']);
      expectRel(f1.logLik, f0.logLik, 1e-9, 'logLik');
      expectRel(f1.fixef['I(Days + 1e+09)'], f0.fixef.Days, 1e-8, 'slope');
      expectRel(f1.theta[0], f0.theta[0], 1e-6, 'theta');
    });

    it('REML with a rescaled fixed-only covariate shifts logLik by -log(c), as lme4', () => {
      // lme4's values: test/fixtures/weights/fits/edge_cases.json (see NOTES.md there)
      const edge = JSON.parse(
        readFileSync(join(fixturesDir, 'weights', 'fits', 'edge_cases.json'), 'utf8'),
      ) as { case: string; result?: { logLik: number } }[];
      const lme4 = (name: string) =>
        (edge.find((e) => e.case === name)?.result as { logLik: number }).logLik;
      const fit = (f: string) => lmerSync(f, sleep() as DataInput, { backend });
      const f0 = fit('Reaction ~ Days + (1 | Subject)');
      for (const [term, c, ref] of [
        ['I(Days * 1e8)', 1e8, 'lmer_scaled_fixed_1e8'],
        ['I(Days * 1e-8)', 1e-8, 'lmer_scaled_fixed_1e-8'],
      ] as const) {
        const f1 = fit(`Reaction ~ ${term} + (1 | Subject)`);
        expectClean(f1);
        expect(f1.logLik - f0.logLik, term).toBeCloseTo(-Math.log(c), 9);
        expectRel(f1.logLik, lme4(ref), 1e-9, `${term} vs lme4`);
        expectRel(f1.theta[0], f0.theta[0], 1e-6, `${term} theta`);
        expectRel(f1.sigma, f0.sigma, 1e-7, `${term} sigma`);
      }
      expectRel(f0.logLik, lme4('lmer_unscaled_fixed'), 1e-9, 'unscaled vs lme4');
    });

    it('a GLMM: cbpp with size scaled by 1e8 or shifted by 1e6', () => {
      const G = (term: string) =>
        glmerSync(
          `cbind(incidence, size - incidence) ~ period + ${term} + (1 | herd)`,
          table('cbpp.csv') as DataInput,
          {
            family: 'binomial',
            factors: ['period'],
            backend,
          },
        );
      const g0 = G('size');
      expectClean(g0);
      for (const [term, c, a] of [
        ['I(size * 1e8)', 1e8, 0],
        ['I(size + 1e6)', 1, 1e6],
      ] as const) {
        const g = G(term);
        expectClean(g);
        const slope = g.fixefNames[g.fixefNames.length - 1];
        expect(slope).toBe(term.replace('1e8', '1e+08').replace('1e6', '1e+06'));
        expectRel(g.logLik, g0.logLik, 1e-8, `${term} logLik`);
        expectRel(g.theta[0], g0.theta[0], 1e-6, `${term} theta`);
        expectRel(g.fixef[slope], g0.fixef.size / c, 1e-5, `${term} slope`);
        expectClose(
          g.fixef['(Intercept)'],
          g0.fixef['(Intercept)'] - (a * g0.fixef.size) / c,
          1e-5,
          `${term} intercept`,
        );
      }
    });
  });
}

describe('the wasm and js backends agree to 1e-8 (relative)', () => {
  // [name, data, formula, options, kind, tolerance for θ]
  const cases: [string, string, string, LmerOptions & GlmerOptions, 'lmm' | 'glmm', number?][] = [
    ['sleepstudy REML', 'sleepstudy.csv', SLOPE, {}, 'lmm'],
    [
      'sleepstudy || ML',
      'sleepstudy.csv',
      'Reaction ~ Days + (Days || Subject)',
      { REML: false },
      'lmm',
    ],
    ['Dyestuff ML', 'dyestuff.csv', 'Yield ~ 1 + (1 | Batch)', { REML: false }, 'lmm'],
    [
      'Penicillin crossed',
      'penicillin.csv',
      'diameter ~ 1 + (1 | plate) + (1 | sample)',
      {},
      'lmm',
    ],
    // The REML criterion is flat to 1e-13 over θ differing by 3e-8 here, which is all the
    // criterion can resolve; the backends stop by different tests (rhoend, ftolAbs) within it.
    ['Pastes nested', 'pastes.csv', 'strength ~ 1 + (1 | batch/cask)', {}, 'lmm', 1e-7],
    [
      'cbpp Laplace',
      'cbpp.csv',
      'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      { family: 'binomial', factors: ['period'] },
      'glmm',
    ],
    [
      'cbpp nAGQ 25',
      'cbpp.csv',
      'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      { family: 'binomial', factors: ['period'], nAGQ: 25 },
      'glmm',
    ],
    ['RCBD Poisson', 'rcbd_counts.csv', 'count ~ trt + (1 | block)', { family: 'poisson' }, 'glmm'],
    [
      'clinics probit',
      'clinics.csv',
      'cbind(fav, n - fav) ~ trt + (1 | clinic)',
      { family: 'binomial', link: 'probit' },
      'glmm',
    ],
  ];
  for (const [name, file, formula, options, kind, thetaTol = 1e-8] of cases) {
    it(name, () => {
      const [w, j] = backends.map((backend) =>
        kind === 'lmm'
          ? lmerSync(formula, loadCsv(file), { ...options, backend })
          : glmerSync(formula, loadCsv(file), { ...options, backend }),
      );
      expect(w.backend).toMatch(/^wasm/);
      expect(j.backend).toBe('js');
      expectRel(w.logLik, j.logLik, 1e-8, 'logLik');
      for (const n of w.fixefNames) expectRel(w.fixef[n], j.fixef[n], 1e-8, `fixef ${n}`);
      w.theta.forEach((t, i) => expectRel(t, j.theta[i], thetaTol, `theta ${i}`));
    });
  }
});

/** Freezes plain arrays and objects all the way down (typed arrays cannot be frozen). */
function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !ArrayBuffer.isView(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

for (const backend of backends) {
  describe(`the caller's data are never mutated (${backend})`, () => {
    /** small() with missing values, so that rows are dropped. */
    const withNa = (): Table => {
      const d = small();
      d.x[3] = null;
      d.c[8] = NaN;
      d.g[5] = 'NA';
      return d;
    };

    it('column tables, with weights and offset arrays, predict and refit inputs', () => {
      const d = deepFreeze(withNa());
      const w = deepFreeze(d.x.map((_, i) => 1 + (i % 3)));
      const off = deepFreeze(d.x.map((_, i) => i / 100));
      const before = structuredClone({ d, w, off });
      const f1 = lmerSync('y ~ x + (1 | g)', d as DataInput, { backend, weights: w, offset: off });
      const f2 = glmerSync('c ~ x + (1 | g)', d as DataInput, {
        backend,
        family: 'poisson',
        weights: 'pos',
      });
      glmerSync('cbind(c, 5 - c) ~ scale(x) + (1 | g)', d as DataInput, {
        backend,
        family: 'binomial',
        nAGQ: 5,
      });
      const newdata = deepFreeze({ x: [0.1, 0.2], g: ['g1', 'new'] });
      const y = deepFreeze(f1.fitted.map((v, i) => v + (i % 2)));
      const yBefore = structuredClone({ newdata, y });
      f1.predict(newdata, { allowNewLevels: true, offset: [0, 0] });
      f2.predict({ newdata, type: 'response', allowNewLevels: true });
      f1.refit(y);
      expect({ d, w, off }).toEqual(before);
      expect({ newdata, y }).toEqual(yBefore);
    });

    it('typed-array columns, weights and refit input', () => {
      const s = small();
      const d = {
        g: deepFreeze(s.g),
        x: Float64Array.from(s.x as number[]),
        y: Float32Array.from(s.y as number[]),
        c: Int32Array.from(s.c as number[]),
      };
      const w = Float64Array.from(s.pos as number[]);
      const before = structuredClone({ d, w });
      const fit = lmerSync('y ~ x + (1 | g)', d as DataInput, { backend, weights: w });
      glmerSync('c ~ x + (1 | g)', d as DataInput, { backend, family: 'negbin' });
      const y = Float64Array.from(fit.fitted, (v, i) => v + (i % 3));
      const yBefore = y.slice();
      fit.refit(y);
      fit.predict({ x: Float64Array.of(0.5), g: ['g2'] });
      expect({ d, w }).toEqual(before);
      expect(y).toEqual(yBefore);
    });

    it('arrays of row objects, and the training rows as newdata', () => {
      const rows = deepFreeze(rowsOf(withNa()));
      const before = structuredClone(rows);
      const fit = lmerSync('y ~ x + (1 | g)', rows, {
        backend,
        levels: { g: ['g5', 'g4', 'g3', 'g2', 'g1', 'g0'] },
      });
      glmerSync('b ~ x + (1 | g)', rows, { backend, family: 'binomial' });
      fit.predict(rows.filter((r) => r.x !== null && r.g !== 'NA'));
      fit.update({ REML: false });
      expect(rows).toEqual(before);
    });

    it('the options records (control, levels, factors, start)', () => {
      const options = deepFreeze({
        backend,
        factors: ['c'],
        levels: { g: ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'] },
        start: [0.5],
        control: { optimizer: { rhoend: 1e-7 }, checks: { gradTol: 0.002 } },
      });
      const before = structuredClone(options);
      const fit = lmerSync('y ~ x + c + (1 | g)', small() as DataInput, options);
      fit.update({ control: options.control, start: options.start });
      expect(options).toEqual(before);
    });
  });
}
