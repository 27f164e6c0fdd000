/**
 * Bad input to lmerSync / glmerSync: an Error subclass (from src/errors.ts) whose message names
 * the column, term, row or position — never a fit full of NaN. Also: the caller's data are not
 * mutated, and every reference case gives finite estimates.
 */
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import type { DataInput } from '../../src/frame/types';
import {
  DataError,
  FitError,
  FormulaSyntaxError,
  GlmmError,
  ModelSpecError,
  OptionError,
  UnknownColumnError,
} from '../../src/errors';
import { backends, loadCaseData, loadCases, loadCsv } from '../helpers/fixtures';
import { small } from '../helpers/small';

type Ctor = abstract new (...args: never[]) => Error;

/** Runs `f`, expecting it to throw an instance of `cls` whose message matches every pattern. */
function expectThrows(f: () => unknown, cls: Ctor, ...patterns: (string | RegExp)[]): Error {
  let err: unknown;
  try {
    const result = f();
    err = undefined;
    expect.fail(
      `expected ${cls.name}, got a result: ${JSON.stringify(result && (result as { fixef?: unknown }).fixef)}`,
    );
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  expect(err).toBeInstanceOf(GlmmError);
  const msg = (err as Error).message;
  for (const p of patterns) {
    if (typeof p === 'string') expect(msg, msg).toContain(p);
    else expect(msg, msg).toMatch(p);
  }
  return err as Error;
}

const lmm = (formula: string, data: unknown, opts: Record<string, unknown> = {}) =>
  lmerSync(formula, data as DataInput, { backend: 'js', ...opts });
const glmm = (formula: string, data: unknown, opts: Record<string, unknown> = {}) =>
  glmerSync(formula, data as DataInput, { backend: 'js', ...opts });

describe('bad data and formulas give named errors (lmer and glmer)', () => {
  it('unknown column', () => {
    const e = expectThrows(() => lmm('y ~ zz + (1 | g)', small()), UnknownColumnError, "'zz'");
    expect((e as DataError).column).toBe('zz');
    expectThrows(
      () => glmm('b ~ x + (1 | gg)', small(), { family: 'binomial' }),
      UnknownColumnError,
      "'gg'",
    );
    expectThrows(() => lmm('yy ~ x + (1 | g)', small()), UnknownColumnError, "'yy'");
  });

  it('non-numeric response', () => {
    const d = small();
    d.y = d.y.map((v, i) => (i % 2 ? 'a' : 'b'));
    expectThrows(() => lmm('y ~ x + (1 | g)', d), DataError, "'y'");
    d.s = d.y.map((_, i) => ['lo', 'mid', 'hi'][i % 3]);
    // a three-level factor is not a binomial response
    expectThrows(() => glmm('s ~ x + (1 | g)', d, { family: 'binomial' }), DataError, "'s'");
  });

  it('mismatched column lengths', () => {
    const d = small();
    d.x = d.x.slice(0, 20);
    expectThrows(() => lmm('y ~ x + (1 | g)', d), DataError, "'x'");
    expectThrows(() => glmm('c ~ x + (1 | g)', d, { family: 'poisson' }), DataError, "'x'");
  });

  it('all rows dropped as missing', () => {
    const d = small();
    d.x = d.x.map(() => null);
    expectThrows(() => lmm('y ~ x + (1 | g)', d), DataError, /missing|no (complete )?rows|NA/i);
    expectThrows(
      () => glmm('c ~ x + (1 | g)', d, { family: 'poisson' }),
      DataError,
      /missing|no (complete )?rows|NA/i,
    );
  });

  it('non-finite values in a used column name the column and row', () => {
    const d = small();
    d.x[6] = Infinity;
    const e = expectThrows(() => lmm('y ~ x + (1 | g)', d), DataError, "'x'", /\b7\b/);
    expect((e as DataError).column).toBe('x');
    expect((e as DataError).row).toBe(7);
    const d2 = small();
    d2.c[3] = -Infinity;
    const e2 = expectThrows(
      () => glmm('c ~ x + (1 | g)', d2, { family: 'poisson' }),
      DataError,
      "'c'",
      /\b4\b/,
    );
    expect((e2 as DataError).row).toBe(4);
    const d3 = small();
    d3.y[10] = NaN;
    // NaN in a number column is not "missing" silently turned into a fit full of NaN
    let ok: { fixef: Record<string, number> } | undefined;
    try {
      ok = lmm('y ~ x + (1 | g)', d3);
    } catch (err) {
      expect(err).toBeInstanceOf(GlmmError);
    }
    if (ok) for (const v of Object.values(ok.fixef)) expect(Number.isFinite(v)).toBe(true);
  });

  it('a grouping factor with one level', () => {
    const d = small();
    d.one = d.g.map(() => 'only');
    expectThrows(() => lmm('y ~ x + (1 | one)', d), ModelSpecError, 'one');
    expectThrows(() => glmm('c ~ x + (1 | one)', d, { family: 'poisson' }), ModelSpecError, 'one');
  });

  it('a grouping factor with as many levels as observations: lmer refuses, glmer allows', () => {
    const d = small();
    d.obs = d.g.map((_, i) => `o${String(i).padStart(2, '0')}`);
    expectThrows(() => lmm('y ~ x + (1 | obs)', d), ModelSpecError, 'obs');
    const fit = glmm('c ~ x + (1 | g) + (1 | obs)', d, { family: 'poisson' });
    expect(fit.ngrps.obs).toBe(24);
    expect(Number.isFinite(fit.logLik)).toBe(true);
  });

  it('a formula with no random term', () => {
    expectThrows(() => lmm('y ~ x', small()), ModelSpecError, /random/i);
    expectThrows(() => glmm('c ~ x', small(), { family: 'poisson' }), ModelSpecError, /random/i);
  });

  it('a syntax error reports its position', () => {
    // the unclosed parenthesis is reported where it opens
    const e = expectThrows(
      () => lmm('y ~ x + (1 | g', small()),
      FormulaSyntaxError,
      'position 8',
      /unclosed|\(/,
    );
    expect((e as FormulaSyntaxError).position).toBe(8);
    expect((e as FormulaSyntaxError).formula).toBe('y ~ x + (1 | g');
    const e2 = expectThrows(
      () => glmm('c ~ x + * (1 | g)', small(), { family: 'poisson' }),
      FormulaSyntaxError,
    );
    expect((e2 as FormulaSyntaxError).position).toBe(8);
    const e3 = expectThrows(() => lmm('y ~ x ) + (1 | g)', small()), FormulaSyntaxError);
    expect((e3 as FormulaSyntaxError).position).toBe(6);
  });

  it('unknown family, unknown link, link not allowed for the family', () => {
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'zebra' }),
      OptionError,
      "'family'",
      'zebra',
    );
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', link: 'wibble' }),
      OptionError,
      "'link'",
      'wibble',
    );
    expectThrows(
      () => glmm('b ~ x + (1 | g)', small(), { family: 'binomial', link: 'inverse' }),
      OptionError,
      "'link'",
      'inverse',
    );
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', link: 'logit' }),
      OptionError,
      "'link'",
      'logit',
    );
  });

  it('binomial responses outside [0, 1] and negative counts', () => {
    const d = small();
    d.b[5] = 2;
    expectThrows(() => glmm('b ~ x + (1 | g)', d, { family: 'binomial' }), DataError, "'b'");
    const d2 = small();
    d2.k = d2.c.map((v) => v);
    d2.k[2] = -1;
    d2.n = d2.c.map(() => 5);
    expectThrows(
      () => glmm('cbind(k, n - k) ~ x + (1 | g)', d2, { family: 'binomial' }),
      DataError,
      /k/,
    );
    const d3 = small();
    d3.k = d3.c.map(() => 6);
    d3.n = d3.c.map(() => 5);
    // successes > trials: negative failures
    expectThrows(
      () => glmm('cbind(k, n - k) ~ x + (1 | g)', d3, { family: 'binomial' }),
      DataError,
      /n - k|negative|k/,
    );
  });

  it('Poisson and negative binomial with negative counts', () => {
    const d = small();
    d.c[7] = -2;
    expectThrows(() => glmm('c ~ x + (1 | g)', d, { family: 'poisson' }), DataError, "'c'");
    expectThrows(() => glmm('c ~ x + (1 | g)', d, { family: 'negbin' }), DataError, "'c'");
    expectThrows(
      () => glmm('c ~ x + (1 | g)', d, { family: 'negbin', theta: 2 }),
      DataError,
      "'c'",
    );
  });

  it('non-integer Poisson counts give a warning in fit.messages, not an error', () => {
    const d = small();
    d.c = d.c.map((v) => (v as number) + 0.5);
    const fit = glmm('c ~ x + (1 | g)', d, { family: 'poisson' });
    expect(
      fit.messages.some((m) => /non-integer/.test(m) && m.includes("'c'")),
      JSON.stringify(fit.messages),
    ).toBe(true);
    for (const [name, v] of Object.entries(fit.fixef)) {
      expect(Number.isFinite(v), `fixef ${name}`).toBe(true);
      expect(Number.isFinite(fit.se[name]), `se ${name}`).toBe(true);
    }
    // As in R (dpois of a non-integer is 0), the log-likelihood is -Inf, never NaN.
    expect(fit.logLik).toBe(-Infinity);
    expect(Number.isFinite(fit.deviance) || fit.deviance === Infinity).toBe(true);
  });

  it('Gamma (and inverse Gaussian) with y <= 0', () => {
    const d = small();
    d.pos[9] = 0;
    expectThrows(() => glmm('pos ~ x + (1 | g)', d, { family: 'Gamma' }), DataError, "'pos'");
    d.pos[9] = -1;
    expectThrows(
      () => glmm('pos ~ x + (1 | g)', d, { family: 'Gamma', link: 'log' }),
      DataError,
      "'pos'",
    );
    expectThrows(
      () => glmm('pos ~ x + (1 | g)', d, { family: 'inverse.gaussian' }),
      DataError,
      "'pos'",
    );
  });

  it('nAGQ > 1 with two random terms or a vector term', () => {
    const d = small();
    d.h = d.g.map((_, i) => `h${i % 3}`);
    expectThrows(
      () => glmm('c ~ x + (1 | g) + (1 | h)', d, { family: 'poisson', nAGQ: 5 }),
      ModelSpecError,
      'nAGQ',
    );
    const dv = small();
    // a vector term on one factor with two grouping factors in the model
    dv.h = dv.g.map((_, i) => `h${i % 3}`);
    expectThrows(
      () => glmm('c ~ x + (x | g) + (1 | h)', dv, { family: 'poisson', nAGQ: 3 }),
      ModelSpecError,
      'nAGQ',
    );
  });

  it('nAGQ out of range', () => {
    for (const nAGQ of [-1, 101, 2.5, Number.NaN]) {
      expectThrows(
        () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', nAGQ }),
        OptionError,
        "'nAGQ'",
      );
    }
  });

  it('bad backend option', () => {
    expectThrows(
      () => lmm('y ~ x + (1 | g)', small(), { backend: 'gpu' }),
      OptionError,
      "'backend'",
      'gpu',
    );
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', backend: 'cuda' }),
      OptionError,
      "'backend'",
    );
  });

  it('weights with a negative value', () => {
    const d = small();
    d.w = d.c.map(() => 1);
    d.w[4] = -1;
    expectThrows(
      () => glmm('c ~ x + (1 | g)', d, { family: 'poisson', weights: 'w' }),
      GlmmError,
      /weights|'w'/,
    );
    const arr = d.c.map(() => 1);
    arr[0] = -0.5;
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', weights: arr }),
      GlmmError,
      /weights/,
    );
  });

  it('weights and offset arrays of the wrong length', () => {
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', weights: [1, 2, 3] }),
      DataError,
      'weights',
      '3',
    );
    expectThrows(
      () => glmm('c ~ x + (1 | g)', small(), { family: 'poisson', offset: new Float64Array(30) }),
      DataError,
      'offset',
      '30',
    );
  });
});

describe('the caller’s data are not mutated', () => {
  const withNa = () => {
    const d = small();
    d.x[3] = null;
    d.c[8] = null;
    return d;
  };
  it('column tables', () => {
    const d = withNa();
    const before = structuredClone(d);
    lmm('y ~ x + (1 | g)', d);
    glmm('c ~ x + (1 | g)', d, { family: 'poisson', weights: 'pos', offset: 'x' });
    glmm('cbind(c, 5 - c) ~ x + (1 | g)', d, { family: 'binomial', nAGQ: 5 });
    expect(d).toEqual(before);
  });
  it('typed-array columns and weights/offset arrays', () => {
    const s = small();
    const d = {
      g: s.g,
      x: Float64Array.from(s.x as number[]),
      y: Float64Array.from(s.y as number[]),
      c: Float64Array.from(s.c as number[]),
    };
    const w = Float64Array.from(s.pos as number[]);
    const off = (s.x as number[]).map((v) => v / 10);
    const before = structuredClone({ d, w, off });
    lmm('y ~ x + (1 | g)', d);
    glmm('c ~ x + (1 | g)', d, { family: 'poisson', weights: w, offset: off });
    glmm('c ~ x + (1 | g)', d, { family: 'negbin' });
    expect({ d, w, off }).toEqual(before);
  });
  it('arrays of row objects', () => {
    const s = withNa();
    const rows = s.g.map((_, i) =>
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v[i]])),
    );
    const before = structuredClone(rows);
    lmm('y ~ x + (1 | g)', rows);
    glmm('c ~ x + (1 | g)', rows, { family: 'poisson' });
    expect(rows).toEqual(before);
  });
  it('reference data sets', () => {
    for (const c of loadCases('glmm').slice(0, 3)) {
      const data = loadCsv(c.data);
      const before = structuredClone(data);
      glmerSync(c.formula, data, { ...c.options, backend: 'wasm' });
      expect(data).toEqual(before);
    }
  });
});

describe('every reference case gives finite estimates', () => {
  const all = [
    ...loadCases('lmm').map((c) => ({ ...c, kind: 'lmm' as const })),
    ...loadCases('glmm').map((c) => ({ ...c, kind: 'glmm' as const })),
    ...loadCases('extra'),
  ];
  for (const backend of backends) {
    for (const c of all) {
      it(`${c.fit} (${backend})`, () => {
        const data = loadCaseData(c);
        const fit =
          c.kind === 'lmm'
            ? lmerSync(c.formula, data, { ...c.options, backend })
            : glmerSync(c.formula, data, { ...c.options, backend });
        expect(Number.isFinite(fit.logLik), 'logLik').toBe(true);
        for (const [name, v] of Object.entries(fit.fixef)) {
          expect(Number.isFinite(v), `fixef ${name}`).toBe(true);
          expect(Number.isFinite(fit.se[name]) && fit.se[name] > 0, `se ${name}`).toBe(true);
        }
        for (const r of fit.varCorr) expect(Number.isFinite(r.sd), `sd ${r.group}`).toBe(true);
        expect(fit.fitted.every((f) => Number.isFinite(f))).toBe(true);
      });
    }
  }
});

describe('a PIRLS failure is a FitError that suggests a way out', () => {
  // Poisson with an identity link: the first least-squares step drives some means negative.
  const x = Array.from({ length: 40 }, (_, i) => i % 10);
  const data = { y: x.map((v) => (v < 5 ? 0 : 30)), x, g: x.map((_, i) => `g${i % 4}`) };
  for (const backend of backends) {
    it(backend, () => {
      const fit = () =>
        glmerSync('y ~ x + (1 | g)', data, { family: 'poisson', link: 'identity', backend });
      expect(fit).toThrow(FitError);
      expect(fit).toThrow(/nAGQ: 0 or rescaling the predictors/);
    });
  }
});
