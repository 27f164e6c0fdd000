import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors';
import { interactFactors, makeFactor, sortLabels, subsetFactor } from '../../src/frame/factor';

describe('factor levels in R order', () => {
  it('sorts numbers numerically with R labels', () => {
    const f = makeFactor(
      { kind: 'numeric', values: Float64Array.from([10, 9, 2, NaN, 2.5, 100000]) },
      'x',
    );
    expect(f.levels).toEqual(['2', '2.5', '9', '10', '1e+05']);
    expect(Array.from(f.codes)).toEqual([3, 2, 0, -1, 1, 4]);
  });

  it('sorts strings by code unit (C locale), numeric-looking strings numerically', () => {
    expect(sortLabels(['b', 'B', 'a', '_z', 'A'])).toEqual(['A', 'B', '_z', 'a', 'b']);
    expect(sortLabels(['1', '10', '2', '15'])).toEqual(['1', '2', '10', '15']);
  });

  it('honours given levels and rejects values outside them', () => {
    const col = { kind: 'string' as const, values: ['lo', 'hi', null, 'mid'] };
    expect(makeFactor(col, 'dose', ['lo', 'mid', 'hi']).codes).toEqual(
      Int32Array.from([0, 2, -1, 1]),
    );
    expect(() => makeFactor(col, 'dose', ['lo', 'hi'])).toThrow(DataError);
    expect(() => makeFactor(col, 'dose', ['lo', 'hi'])).toThrow(/'mid' of column 'dose'/);
  });

  it('drops unused levels when subsetting, keeping order', () => {
    const f = makeFactor({ kind: 'string', values: ['c', 'a', 'b', 'a'] }, 'f');
    const s = subsetFactor(f, Int32Array.from([0, 1, 3]));
    expect(s.levels).toEqual(['a', 'c']);
    expect(Array.from(s.codes)).toEqual([1, 0, 0]);
  });

  it('interactions: first factor slowest, unused combinations dropped (factor(a:b))', () => {
    const a = makeFactor({ kind: 'string', values: ['b', 'a', 'b'] }, 'a');
    const b = makeFactor({ kind: 'string', values: ['X', 'Y', 'Y'] }, 'b');
    const ab = interactFactors([a, b]);
    expect(ab.levels).toEqual(['a:Y', 'b:X', 'b:Y']);
    expect(Array.from(ab.codes)).toEqual([1, 0, 2]);
  });
});
