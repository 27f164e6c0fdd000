import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/frame/csv';
import { buildModelFrame, checkGroupingFactors, numericColumn } from '../../src/frame/modelframe';
import type { ModelFrame } from '../../src/frame/types';
import {
  DataError,
  FormulaSyntaxError,
  ModelSpecError,
  UnknownColumnError,
} from '../../src/errors';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const csv = (file: string) => parseCsv(readFileSync(join(fixtures, file), 'utf8'));

/** Column j of the column-major X. */
const xcol = (fr: ModelFrame, name: string) => {
  const j = fr.xNames.indexOf(name);
  expect(j).toBeGreaterThanOrEqual(0);
  return Array.from(fr.X.subarray(j * fr.n, (j + 1) * fr.n));
};

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const small = {
  y: [1.5, 2.1, 3.3, 0.7, 2.2, 4.1],
  a: ['p', 'q', 'p', 'q', 'r', 'r'],
  b: ['u', 'u', 'v', 'v', 'u', 'v'],
  x: [1, 2, 3, 4, 5, 6],
  g: [1, 1, 2, 2, 3, 3],
};

describe('sleepstudy', () => {
  it('Reaction ~ Days + (Days | Subject)', () => {
    const fr = buildModelFrame('Reaction ~ Days + (Days | Subject)', csv('sleepstudy.csv'));
    expect(fr.n).toBe(180);
    expect(fr.nDropped).toBe(0);
    expect(fr.xNames).toEqual(['(Intercept)', 'Days']);
    expect(fr.X.length).toBe(360);
    expect(fr.response).toMatchObject({
      name: 'Reaction',
      kind: 'numeric',
      trials: null,
      levels: null,
    });
    expect(fr.response.y[0]).toBe(249.56);
    expect(fr.randomTerms.length).toBe(1);
    const t = fr.randomTerms[0];
    expect(t).toMatchObject({
      group: 'Subject',
      v: 2,
      colNames: ['(Intercept)', 'Days'],
      source: '(Days | Subject)',
    });
    expect(t.levels.length).toBe(18);
    expect(t.levels.slice(0, 3)).toEqual(['308', '309', '310']);
    expect(t.refs[0]).toBe(0);
    expect(t.refs[179]).toBe(17);
    expect(Array.from(t.z.subarray(0, 4))).toEqual([1, 0, 1, 1]);
    expect(fr.offset).toBeNull();
    expect(fr.messages).toEqual([]);
  });

  it('works the same from papaparse rows with dynamic typing', () => {
    const rows = Papa.parse<Record<string, unknown>>(
      readFileSync(join(fixtures, 'sleepstudy.csv'), 'utf8'),
      { header: true, dynamicTyping: true, skipEmptyLines: true },
    ).data;
    const fr = buildModelFrame('Reaction ~ Days + (Days || Subject)', rows);
    expect(fr.n).toBe(180);
    expect(fr.randomTerms.map((t) => t.source)).toEqual(['(1 | Subject)', '(0 + Days | Subject)']);
    expect(fr.randomTerms[0].levels.slice(0, 2)).toEqual(['308', '309']);
  });
});

describe('pastes nested (1 | batch/cask)', () => {
  it('matches lme4 group names and level labels', () => {
    const ref = JSON.parse(readFileSync(join(fixtures, 'fits', 'pastes_nested.json'), 'utf8'));
    const fr = buildModelFrame('strength ~ 1 + (1 | batch/cask)', csv('pastes.csv'));
    expect(fr.n).toBe(60);
    const groups = Object.fromEntries(fr.randomTerms.map((t) => [t.group, t.levels.length]));
    expect(groups).toEqual(ref.ngrps);
    const labels = fr.randomTerms.flatMap((t) => t.levels);
    expect(labels).toEqual(ref.ranef.grp);
    expect(fr.randomTerms[0].source).toBe('(1 | cask:batch)');
    // each row's cask:batch level is "<cask>:<batch>"
    const data = csv('pastes.csv');
    const t = fr.randomTerms[0];
    for (let i = 0; i < fr.n; i++) {
      expect(t.levels[t.refs[i]]).toBe(`${data.cask[i]}:${data.batch[i]}`);
    }
  });
});

describe('fixed-effects model matrix', () => {
  it('a*b with two factors', () => {
    const fr = buildModelFrame('y ~ a*b + (1|g)', small);
    expect(fr.xNames).toEqual(['(Intercept)', 'aq', 'ar', 'bv', 'aq:bv', 'ar:bv']);
    expect(xcol(fr, 'aq:bv')).toEqual([0, 0, 0, 1, 0, 0]);
    expect(xcol(fr, 'ar:bv')).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('factor:numeric with and without the numeric main effect', () => {
    expect(buildModelFrame('y ~ a:x + (1|g)', small).xNames).toEqual([
      '(Intercept)',
      'ap:x',
      'aq:x',
      'ar:x',
    ]);
    const fr = buildModelFrame('y ~ x + a:x + (1|g)', small);
    expect(fr.xNames).toEqual(['(Intercept)', 'x', 'x:aq', 'x:ar']);
    expect(xcol(fr, 'x:aq')).toEqual([0, 2, 0, 4, 0, 0]);
    expect(buildModelFrame('y ~ x*b + (1|g)', small).xNames).toEqual([
      '(Intercept)',
      'x',
      'bv',
      'x:bv',
    ]);
  });

  it('numeric:numeric, I(x^2), log, exp, sqrt, abs', () => {
    const fr = buildModelFrame('y ~ x:y + I(x^2) + log(x) + abs(x - 3) + (1|g)', small);
    expect(fr.xNames).toEqual(['(Intercept)', 'I(x^2)', 'log(x)', 'abs(x - 3)', 'x:y']);
    const fr2 = buildModelFrame('y ~ 0 + exp(-x) + sqrt(x) + (1|g)', small);
    expect(xcol(fr2, 'exp(-x)')[0]).toBeCloseTo(Math.exp(-1), 15);
    expect(xcol(fr2, 'sqrt(x)')[3]).toBe(2);
    expect(xcol(fr, 'I(x^2)')).toEqual([1, 4, 9, 16, 25, 36]);
    expect(xcol(fr, 'log(x)')[1]).toBeCloseTo(Math.log(2), 15);
    expect(xcol(fr, 'abs(x - 3)')).toEqual([2, 1, 0, 1, 2, 3]);
    expect(xcol(fr, 'x:y')[1]).toBeCloseTo(4.2, 12);
  });

  it('-1 and 0 + remove the intercept; the first factor gets full dummy coding', () => {
    expect(buildModelFrame('y ~ -1 + a + b + (1|g)', small).xNames).toEqual([
      'ap',
      'aq',
      'ar',
      'bv',
    ]);
    expect(buildModelFrame('y ~ 0 + x + (1|g)', small).xNames).toEqual(['x']);
    expect(buildModelFrame('y ~ x - 1 + (1|g)', small).xNames).toEqual(['x']);
  });

  it('factor() of a numeric column and options.factors / options.levels', () => {
    const data = { ...small, d: [1, 2, 3, 1, 2, 3] };
    expect(buildModelFrame('y ~ factor(d) + (1|g)', data).xNames).toEqual([
      '(Intercept)',
      'factor(d)2',
      'factor(d)3',
    ]);
    expect(buildModelFrame('y ~ d + (1|g)', data, { factors: ['d'] }).xNames).toEqual([
      '(Intercept)',
      'd2',
      'd3',
    ]);
    expect(
      buildModelFrame('y ~ a + (1|g)', data, { levels: { a: ['r', 'p', 'q'] } }).xNames,
    ).toEqual(['(Intercept)', 'ap', 'aq']);
  });

  it('scale() uses the mean/sd of the full column before other NA rows are dropped', () => {
    const data = { y: [1, 2, null, 4, 5], z: [1, 2, 3, 4, NaN], g: [1, 1, 2, 2, 2] };
    const fr = buildModelFrame('y ~ scale(z) + (1|g)', data);
    // mean(1..4) = 2.5, sd = sqrt(5/3); row 3 (y NA) and row 5 (z NA) dropped
    const sd = Math.sqrt(5 / 3);
    expect(fr.n).toBe(3);
    expect(fr.nDropped).toBe(2);
    expect(Array.from(fr.rowIndex)).toEqual([0, 1, 3]);
    xcol(fr, 'scale(z)').forEach((v, i) =>
      expect(v).toBeCloseTo([-1.5 / sd, -0.5 / sd, 1.5 / sd][i], 14),
    );
  });

  it('drops aliased columns like lme4 with a message', () => {
    const data = { ...small, x2: small.x.map((v) => 2 * v) };
    const fr = buildModelFrame('y ~ x + x2 + (1|g)', data);
    expect(fr.xNames).toEqual(['(Intercept)', 'x']);
    expect(fr.droppedColumns).toEqual(['x2']);
    expect(fr.X.length).toBe(2 * fr.n);
    expect(fr.messages).toContain(
      'fixed-effect model matrix is rank deficient so dropping 1 column / coefficient',
    );
    const fr2 = buildModelFrame('y ~ a:b + (1|g)', small);
    // checked against lme4::lFormula: a:b without margins is full x full dummy coding
    expect(fr2.xNames).toEqual(['(Intercept)', 'ap:bu', 'aq:bu', 'ar:bu', 'ap:bv', 'aq:bv']);
    expect(fr2.droppedColumns).toEqual(['ar:bv']);
    const fr3 = buildModelFrame('y ~ x + I(2 * x) + I(x + 1) + (1|g)', small);
    expect(fr3.droppedColumns).toEqual(['I(2 * x)', 'I(x + 1)']);
    expect(fr3.messages[0]).toContain('dropping 2 columns / coefficients');
  });

  it('random-term model matrices use the same coding', () => {
    const fr = buildModelFrame('y ~ 1 + (1 + x | g) + (0 + a | g) + (a | g)', small);
    expect(fr.randomTerms.map((t) => t.colNames)).toEqual([
      ['(Intercept)', 'x'],
      ['ap', 'aq', 'ar'],
      ['(Intercept)', 'aq', 'ar'],
    ]);
    const t = fr.randomTerms[1];
    expect(Array.from(t.z.subarray(0, 6))).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('offset() terms are summed', () => {
    const fr = buildModelFrame('y ~ x + offset(log(x)) + offset(2 * x) + (1|g)', small);
    expect(fr.xNames).toEqual(['(Intercept)', 'x']);
    fr.offset!.forEach((o, i) => expect(o).toBeCloseTo(Math.log(i + 1) + 2 * (i + 1), 14));
  });

  it('interaction grouping factor a:b has labels <a>:<b>', () => {
    const fr = buildModelFrame('y ~ 1 + (1 | a:b)', small);
    expect(fr.randomTerms[0].group).toBe('a:b');
    expect(fr.randomTerms[0].levels).toEqual(['p:u', 'p:v', 'q:u', 'q:v', 'r:u', 'r:v']);
  });

  it('numeric grouping columns become factors with numerically sorted levels', () => {
    const fr = buildModelFrame('y ~ 1 + (1 | g)', { y: [1, 2, 3, 4], g: [10, 9, 10, 100] });
    expect(fr.randomTerms[0].levels).toEqual(['9', '10', '100']);
    expect(Array.from(fr.randomTerms[0].refs)).toEqual([1, 0, 1, 2]);
  });
});

describe('responses', () => {
  it('cbind(s, f) and cbind(s, n - s) give proportions and trials; zero trials kept', () => {
    const data = { s: [1, 0, 3, 0], n: [4, 2, 3, 0], g: ['a', 'a', 'b', 'b'] };
    const fr = buildModelFrame('cbind(s, n - s) ~ 1 + (1|g)', data);
    expect(fr.response.kind).toBe('cbind');
    expect(fr.response.name).toBe('cbind(s, n - s)');
    expect(Array.from(fr.response.y)).toEqual([0.25, 0, 1, 0]);
    expect(Array.from(fr.response.trials!)).toEqual([4, 2, 3, 0]);
    expect(fr.n).toBe(4);
  });

  it('a two-level factor response', () => {
    const fr = buildModelFrame('a ~ x + (1|g)', {
      ...small,
      a: ['yes', 'no', 'no', 'yes', null, 'no'],
    });
    expect(fr.response).toMatchObject({ kind: 'factor', levels: ['no', 'yes'] });
    expect(Array.from(fr.response.y)).toEqual([1, 0, 0, 1, 0]);
    expect(fr.nDropped).toBe(1);
  });

  it('rejects a categorical response with more than two levels, naming it', () => {
    const e = thrown(() => buildModelFrame('a ~ x + (1|g)', small));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("'a'");
    expect((e as DataError).column).toBe('a');
  });

  it('rejects a categorical column in arithmetic, naming it', () => {
    const e = thrown(() => buildModelFrame('log(a) ~ x + (1|g)', small));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("column 'a'");
    const e2 = thrown(() => buildModelFrame('y ~ I(b^2) + (1|g)', small));
    expect(e2).toBeInstanceOf(DataError);
    expect((e2 as DataError).column).toBe('b');
  });
});

describe('missing values', () => {
  it('drops rows with NA in any used variable (null, undefined, NaN, "", "NA")', () => {
    const data = {
      y: [1, 2, 3, 4, 5, 6, 7, 8],
      x: [1, null, 3, NaN, 5, 6, 7, 8],
      f: ['a', 'b', '', 'a', 'NA', 'b', 'a', 'b'],
      g: ['1', '1', '1', '2', '2', '2', undefined, '3'],
      w: [1, 1, 1, 1, 1, 1, 1, null],
      unused: [null, null, null, null, null, null, null, null],
    };
    const fr = buildModelFrame('y ~ x + f + (1|g)', data);
    expect(fr.n).toBe(3);
    expect(fr.nDropped).toBe(5);
    expect(Array.from(fr.rowIndex)).toEqual([0, 5, 7]);
    const withW = buildModelFrame('y ~ x + f + (1|g)', data, { keepColumns: ['w'] });
    expect(Array.from(withW.rowIndex)).toEqual([0, 5]);
    expect(numericColumn(data, 'w', withW.rowIndex)).toEqual(Float64Array.from([1, 1]));
  });

  it('drops factor levels that only occur in dropped rows', () => {
    const fr = buildModelFrame('y ~ a + (1|g)', { ...small, y: [1, 2, 3, 4, null, null] });
    expect(fr.xNames).toEqual(['(Intercept)', 'aq']);
    expect(fr.randomTerms[0].levels).toEqual(['1', '2']);
  });

  it('all rows missing is a DataError', () => {
    const e = thrown(() =>
      buildModelFrame('y ~ x + (1|g)', { y: [null, null], x: [1, 2], g: [1, 2] }),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("'y'");
  });

  it('accepts row objects with missing keys as NA and typed arrays', () => {
    const rows = [
      { y: 1, x: 1, g: 'a' },
      { y: 2, g: 'a' },
      { y: 3, x: 3, g: 'b' },
      { y: 4, x: 4, g: 'b' },
    ];
    const fr = buildModelFrame('y ~ x + (1|g)', rows);
    expect(Array.from(fr.rowIndex)).toEqual([0, 2, 3]);
    const typed = buildModelFrame('y ~ x + (1|g)', {
      y: Float64Array.from([1, 2, 3]),
      x: Int32Array.from([1, 2, 3]),
      g: Uint8Array.from([1, 1, 2]),
    });
    expect(typed.n).toBe(3);
    expect(typed.randomTerms[0].levels).toEqual(['1', '2']);
  });
});

describe('errors name what is wrong', () => {
  it('unknown column', () => {
    const e = thrown(() => buildModelFrame('y ~ nope + (1|g)', small));
    expect(e).toBeInstanceOf(UnknownColumnError);
    expect(e.message).toContain("'nope'");
    expect(thrown(() => buildModelFrame('y ~ x + (1|nogroup)', small)).message).toContain(
      'nogroup',
    );
  });

  it('mismatched column lengths', () => {
    const e = thrown(() =>
      buildModelFrame('y ~ x + (1|g)', { y: [1, 2, 3], x: [1, 2], g: [1, 1, 2] }),
    );
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).column).toBe('x');
    expect(e.message).toContain("'x'");
  });

  it('non-finite values name the column and the 1-based row', () => {
    const e = thrown(() =>
      buildModelFrame('y ~ x + (1|g)', { y: [1, 2, 3], x: [1, Infinity, 2], g: [1, 1, 2] }),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("'x'");
    expect(e.message).toContain('row 2');
    expect((e as DataError).row).toBe(2);
    const e2 = thrown(() =>
      buildModelFrame('y ~ log(x) + (1|g)', { y: [1, 2, 3], x: [1, 0, 2], g: [1, 1, 2] }),
    );
    expect(e2.message).toContain("'log(x)'");
    expect((e2 as DataError).column).toBe('x');
  });

  it('no random term (unless requireRandom: false)', () => {
    const e = thrown(() => buildModelFrame('y ~ x', small));
    expect(e).toBeInstanceOf(ModelSpecError);
    expect(e.message).toContain('no random effects terms');
    expect((e as ModelSpecError).term).toBe('x');
    expect(buildModelFrame('y ~ x', small, { requireRandom: false }).randomTerms).toEqual([]);
  });

  it('unknown function', () => {
    const e = thrown(() => buildModelFrame('y ~ poly(x) + (1|g)', small));
    expect(e).toBeInstanceOf(ModelSpecError);
    expect(e.message).toContain("unknown function 'poly'");
  });

  it('syntax errors carry the position', () => {
    const e = thrown(() => buildModelFrame('y ~ x + (1 | g', small));
    expect(e).toBeInstanceOf(FormulaSyntaxError);
    expect((e as FormulaSyntaxError).position).toBe(8);
  });

  it('a factor with one level cannot take contrasts', () => {
    const e = thrown(() =>
      buildModelFrame('y ~ f + (1|g)', { ...small, f: ['a', 'a', 'a', 'a', 'a', 'a'] }),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("'f'");
  });

  it('numericColumn errors name the column', () => {
    const e = thrown(() => numericColumn(small, 'a', Int32Array.from([0])));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("'a'");
    expect(thrown(() => numericColumn(small, 'zz', Int32Array.from([0])))).toBeInstanceOf(
      UnknownColumnError,
    );
  });
});

describe('checkGroupingFactors', () => {
  it('one level is an error for both kinds', () => {
    const fr = buildModelFrame('y ~ x + (1|g)', { ...small, g: [1, 1, 1, 1, 1, 1] });
    for (const kind of ['lmm', 'glmm'] as const) {
      const e = thrown(() => checkGroupingFactors(fr, kind));
      expect(e).toBeInstanceOf(ModelSpecError);
      expect(e.message).toContain('g');
    }
  });

  it('nlevels >= n is an error for lmm only', () => {
    const fr = buildModelFrame('y ~ x + (1|obs)', { ...small, obs: [1, 2, 3, 4, 5, 6] });
    const e = thrown(() => checkGroupingFactors(fr, 'lmm'));
    expect(e).toBeInstanceOf(ModelSpecError);
    expect(e.message).toContain(
      'number of levels of each grouping factor must be < number of observations (problems: obs)',
    );
    expect(() => checkGroupingFactors(fr, 'glmm')).not.toThrow();
    expect(() =>
      checkGroupingFactors(buildModelFrame('y ~ x + (1|g)', small), 'lmm'),
    ).not.toThrow();
  });
});

describe('the caller data are not mutated', () => {
  it('column tables and row objects stay as they were', () => {
    const data = {
      y: [1, 2, null, 4, 5, 6],
      a: ['p', 'q', 'p', 'NA', 'r', 'r'],
      x: Float64Array.from([1, 2, 3, 4, NaN, 6]),
      g: [1, 1, 2, 2, 3, 3],
    };
    const copy = structuredClone(data);
    buildModelFrame('y ~ a*x + scale(x) + (x | g)', data);
    expect(data).toEqual(copy);
    const rows = [
      { y: 1, g: 'a' },
      { y: 2, g: 'b', x: 3 },
      { y: 5, g: 'b', x: 1 },
      { y: 3, g: 'a', x: 2 },
    ];
    const rowsCopy = structuredClone(rows);
    buildModelFrame('y ~ x + (1|g)', rows);
    expect(rows).toEqual(rowsCopy);
  });
});
