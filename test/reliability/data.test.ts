/**
 * Catalogue: the shape of the data. Empty tables, ragged columns, rows that are not objects,
 * missing keys, typed arrays, mixed columns, missing values, columns with awkward names.
 */
import { expect } from 'vitest';
import { DataError, UnknownColumnError } from '../../src/errors';
import {
  catalogue,
  lmm,
  relDiff,
  rowsOf,
  small,
  smallSet,
  smallWith,
  type Backend,
} from './catalogue';

const F = 'y ~ x + (1 | g)';
const L =
  (data: unknown, options: unknown = {}) =>
  (backend: Backend) =>
    lmm(F, data, options, backend);

/** The fit on `small()` with the rows `drop` (0-based) removed. */
function fitWithout(drop: number[], backend: Backend) {
  const rows = rowsOf(small()).filter((_, i) => !drop.includes(i));
  return lmm(F, rows, {}, backend);
}

const sixLevels = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'];

catalogue('data shape', [
  {
    input: 'an empty column table {}',
    run: L({}),
    error: DataError,
    names: { column: undefined, row: undefined },
    message: ['the data have no rows'],
  },
  {
    input: 'an empty array of rows',
    run: L([]),
    error: DataError,
    names: { column: undefined },
    message: ['the data have no rows'],
  },
  {
    input: 'columns of length 0',
    run: L({ y: [], x: [], g: [] }),
    error: DataError,
    names: { column: undefined },
    message: ['the data have no rows'],
  },
  {
    input: 'data = null',
    run: L(null),
    error: DataError,
    names: { column: undefined },
    message: ['data must be a column table {name: values} or an array of row objects'],
  },
  {
    input: 'data = a string',
    run: L('y,x,g\n1,2,a'),
    error: DataError,
    names: { column: undefined },
    message: ['data must be a column table'],
  },
  {
    input: 'data = a Map of columns',
    run: L(new Map(Object.entries(small()))),
    error: DataError,
    names: { column: undefined },
    message: ['not a Map', 'Object.fromEntries'],
  },
  {
    input: 'ragged columns (x has 20 values, g has 24)',
    run: L(smallWith({ x: small().x.slice(0, 20) })),
    error: DataError,
    names: { column: 'x' },
    message: ["column 'x' has 20 values but column 'g' has 24"],
  },
  {
    input: 'a ragged column the model does not use',
    run: L(smallWith({ z: [1, 2] })),
    error: DataError,
    names: { column: 'z' },
    message: ["column 'z' has 2 values but column 'g' has 24"],
  },
  {
    input: 'a column that is a number, not an array',
    run: L({ ...small(), x: 5 }),
    error: DataError,
    names: { column: 'x' },
    message: ["column 'x' is not an array"],
  },
  {
    input: 'a column that is a string, not an array',
    run: L({ ...small(), x: '0.1,0.2' }),
    error: DataError,
    names: { column: 'x' },
    message: ["column 'x' is not an array"],
  },
  {
    input: 'rows that are not objects (a number as row 25)',
    run: L([...rowsOf(small()), 5]),
    error: DataError,
    names: { row: 25, column: undefined },
    message: ['row 25 of the data is not an object'],
  },
  {
    input: 'a null row',
    run: L([null, ...rowsOf(small())]),
    error: DataError,
    names: { row: 1 },
    message: ['row 1 of the data is not an object'],
  },
  {
    input: 'rows that are arrays, not objects',
    run: L(rowsOf(small()).map((r) => [r.y, r.x, r.g])),
    error: DataError,
    names: { row: 1, column: undefined },
    message: ['row 1 of the data is an array, not an object'],
  },
  {
    input: 'row objects, one without the key x (valid: dropped as missing)',
    run: L(rowsOf(small()).map((r, i) => (i === 3 ? { y: r.y, g: r.g } : r))),
    check: (fit, backend) => {
      expect(fit.nDropped).toBe(1);
      expect(fit.nobs).toBe(23);
      expect(relDiff(fit.logLik, fitWithout([3], backend).logLik)).toBeLessThan(1e-12);
    },
  },
  {
    input: 'row objects with extra, unused keys of any type (valid)',
    run: L(rowsOf(small()).map((r) => ({ ...r, note: { any: 'thing' }, when: new Date(0) }))),
    check: (fit, backend) =>
      expect(relDiff(fit.logLik, lmm(F, small(), {}, backend).logLik)).toBeLessThan(1e-12),
  },
  {
    input: 'typed-array columns: Float32Array response, Int32Array covariate (valid)',
    run: L({
      y: Float32Array.from(small().y as number[]),
      x: Int32Array.from(small().x as number[], (v) => Math.round(v * 10)),
      g: small().g,
    }),
    check: (fit, backend) => {
      const plain = lmm(
        F,
        {
          y: Array.from(Float32Array.from(small().y as number[])),
          x: (small().x as number[]).map((v) => Math.round(v * 10)),
          g: small().g,
        },
        {},
        backend,
      );
      expect(relDiff(fit.logLik, plain.logLik)).toBeLessThan(1e-12);
      expect(relDiff(fit.fixef.x, plain.fixef.x)).toBeLessThan(1e-10);
    },
  },
  {
    input: 'a grouping factor given as a Uint8Array of codes (valid)',
    run: L({ ...small(), g: Uint8Array.from(small().g as string[], (s) => Number(s.slice(1))) }),
    check: (fit, backend) => {
      expect(fit.ngrps).toEqual({ g: 6 });
      expect(relDiff(fit.logLik, lmm(F, small(), {}, backend).logLik)).toBeLessThan(1e-12);
    },
  },
  {
    input: 'a column of numbers with one stray string (valid: categorical, with a message)',
    run: L(smallSet('x', 5, 'oops')),
    check: (fit) => {
      expect(fit.fixefNames).toContain('xoops');
      expect(fit.messages.join('\n')).toMatch(
        /column 'x' has 23 numbers and 1 non-numeric value \('oops' at row 6\); it is treated as categorical/,
      );
    },
  },
  {
    input: 'a column of numbers with one number written as text (valid: named in a message)',
    run: L(smallSet('x', 5, '0.5')),
    check: (fit) =>
      expect(fit.messages.join('\n')).toContain(
        "column 'x' has 23 numbers and 1 non-numeric value ('0.5' (text) at row 6)",
      ),
  },
  {
    input: 'a column of numbers with many stray strings (valid: the first three named)',
    run: L(smallWith({ x: small().x.map((v, i) => (i % 5 === 0 ? `n/a${i}` : v)) })),
    check: (fit) =>
      expect(fit.messages.join('\n')).toContain(
        "'n/a0' at row 1, 'n/a5' at row 6, 'n/a10' at row 11, and 2 more",
      ),
  },
  {
    input: 'all rows missing in a covariate',
    run: L(smallWith({ x: small().x.map(() => null) })),
    error: DataError,
    names: { column: 'x' },
    message: ["all 24 rows have a missing value in a variable the model uses ('x')"],
  },
  {
    input: 'all rows missing, in two different columns',
    run: L(
      smallWith({
        x: small().x.map((v, i) => (i % 2 ? null : v)),
        y: small().y.map((v, i) => (i % 2 ? v : null)),
      }),
    ),
    error: DataError,
    names: { column: undefined },
    message: ['all 24 rows have a missing value', "'y'", "'x'"],
  },
  {
    input: "NA in the grouping factor (null and 'NA'; valid: rows dropped)",
    run: L(smallWith({ g: small().g.map((v, i) => (i === 2 ? null : i === 7 ? 'NA' : v)) })),
    check: (fit, backend) => {
      expect(fit.nDropped).toBe(2);
      expect(fit.ngrps).toEqual({ g: 6 });
      expect(relDiff(fit.logLik, fitWithout([2, 7], backend).logLik)).toBeLessThan(1e-12);
    },
  },
  {
    input: 'every grouping-factor value missing',
    run: L(smallWith({ g: small().g.map(() => 'NA') })),
    error: DataError,
    names: { column: 'g' },
    message: ["all 24 rows have a missing value in a variable the model uses ('g')"],
  },
  {
    input: 'an object as a cell value',
    run: L(smallSet('x', 4, { value: 1 })),
    error: DataError,
    names: { column: 'x', row: 5 },
    message: ["column 'x' has a value of type object at row 5"],
  },
  {
    input: 'a bigint as a cell value',
    run: L(smallSet('x', 4, 5n)),
    error: DataError,
    names: { column: 'x', row: 5 },
    message: ["column 'x' has a value of type bigint at row 5"],
  },
  {
    input: 'a sparse array column (holes are missing values; valid)',
    run: L(
      smallWith({
        x: (() => {
          const holes = new Array<unknown>(24);
          (small().x as number[]).forEach((v, i) => i % 2 === 0 && (holes[i] = v));
          return holes;
        })(),
      }),
    ),
    check: (fit) => {
      expect(fit.nDropped).toBe(12);
      expect(fit.nobs).toBe(12);
    },
  },
  {
    input: 'a logical covariate (valid: a factor with level TRUE)',
    run: L(smallWith({ x: small().x.map((v) => (v as number) > 0.5) })),
    check: (fit) => expect(fit.fixefNames).toEqual(['(Intercept)', 'xTRUE']),
  },
  {
    input: "a grouping column called 'constructor', with a levels option (valid)",
    run: (backend) =>
      lmm(
        'y ~ x + (1 | constructor)',
        smallWith({ constructor: small().g }),
        { levels: { g: sixLevels } },
        backend,
      ),
    check: (fit) => expect(fit.ngrps).toEqual({ constructor: 6 }),
  },
  {
    input: "a numeric column called 'toString', predicted on new data (valid)",
    run: (backend) =>
      lmm('y ~ toString + (1 | g)', smallWith({ toString: small().x }), {}, backend),
    check: (fit) => {
      const p = fit.predict({ toString: [0.5], g: ['g0'] });
      expect(p).toHaveLength(1);
      expect(Number.isFinite(p[0])).toBe(true);
    },
  },
  {
    input: 'a formula column the data do not have',
    run: (backend) => lmm('y ~ zz + (1 | g)', small(), {}, backend),
    error: UnknownColumnError,
    names: { column: 'zz' },
    message: ["unknown column 'zz' (the data have: g, x, y, b, c, pos)"],
  },
  {
    input: 'a weights column of strings',
    run: L(small(), { weights: 'g' }),
    error: DataError,
    names: { column: 'g' },
    message: ["column 'g' must be numeric"],
  },
  {
    input: 'a weights column the data do not have',
    run: L(small(), { weights: 'ww' }),
    error: UnknownColumnError,
    names: { column: 'ww' },
    message: ["unknown column 'ww'"],
  },
  {
    input: 'a weights array for row data with a dropped row (valid: aligned by row)',
    run: L(
      rowsOf(small()).map((r, i) => (i === 3 ? { ...r, y: null } : r)),
      { weights: small().x.map(() => 2) },
    ),
    check: (fit, backend) => {
      expect(fit.nobs).toBe(23);
      // constant weights 2 leave the fit as it is
      expect(relDiff(fit.logLik, fitWithout([3], backend).logLik)).toBeLessThan(1e-9);
    },
  },
]);
