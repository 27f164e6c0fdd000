import { describe, expect, it } from 'vitest';
import {
  abbreviate,
  catFill,
  formatNumber,
  formatNumbers,
  formatPval,
  printMatrix,
  printNamedVector,
  quantile7,
  roundR,
  signifR,
  strwrap,
  zapsmall,
} from '../../src/results/format';

// Expected values are what R 4.x prints for the same calls.
describe('formatNumbers (R format())', () => {
  it('common decimals so every element keeps `digits` significant digits', () => {
    expect(formatNumbers([612.100158024769, 35.0717144509388, 654.940008259961], 4)).toEqual([
      '612.10',
      ' 35.07',
      '654.94',
    ]);
    expect(formatNumbers([24.7406579949841, 5.92213765889808, 25.5917957216753], 4)).toEqual([
      '24.741',
      ' 5.922',
      '25.592',
    ]);
    expect(formatNumbers([1.03232, 0.03483], 4)).toEqual(['1.03232', '0.03483']);
    expect(formatNumbers([0, 13.8063096275862], 4)).toEqual([' 0.00', '13.81']);
  });
  it('signs, integers and default digits', () => {
    expect(formatNumbers([-1, 10])).toEqual(['-1', '10']);
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(123456789)).toBe('123456789');
    expect(formatNumber(1743.6)).toBe('1743.6');
    expect(formatNumber(-876)).toBe('-876');
  });
  it('switches to scientific notation when fixed would be wider', () => {
    expect(formatNumber(1e-10, 4)).toBe('1e-10');
    expect(formatNumbers([1.5e-10, 2e-10])).toEqual(['1.5e-10', '2.0e-10']);
    expect(formatNumber(1.23456e20, 3)).toBe('1.23e+20');
    expect(formatNumber(1e-100)).toBe('1e-100');
  });
  it('nsmall and non-finite values', () => {
    expect(formatNumbers([1, 0.07, 0.07, 1], 7, 2)).toEqual(['1.00', '0.07', '0.07', '1.00']);
    expect(formatNumbers([1, -0.138], 7, 3)).toEqual([' 1.000', '-0.138']);
    expect(formatNumbers([NaN, 1.5, Infinity, -Infinity])).toEqual([
      ' NaN',
      ' 1.5',
      ' Inf',
      '-Inf',
    ]);
  });
});

describe('round, signif, zapsmall, quantile', () => {
  it('round and signif', () => {
    expect(roundR(251.405104848485, 3)).toBe(251.405);
    expect(roundR(-0.0001, 2)).toBe(0);
    expect(roundR(1234.5678, -2)).toBe(1200);
    expect(signifR(0.000123456, 3)).toBe(0.000123);
  });
  it('zapsmall rounds relative to the largest value', () => {
    expect(zapsmall([1e-20, 1], 7)).toEqual([0, 1]);
    expect(zapsmall([-3.95361234, 0.02312345, 5.17931234], 5)).toEqual([-3.9536, 0.0231, 5.1793]);
  });
  it('type-7 quantiles', () => {
    const x = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantile7(x, [0, 0.25, 0.5, 0.75, 1])).toEqual([1, 3.25, 5.5, 7.75, 10]);
    expect(quantile7([3, 1, 2], [0.5])).toEqual([2]);
    expect(quantile7([], [0.5])[0]).toBeNaN();
  });
});

describe('format.pval', () => {
  it('fixed for p >= 1e-4, scientific below, <eps for tiny', () => {
    expect(formatPval([1.4665e-9, 0.00106805, 0.000474, 0.000182], 3)).toEqual([
      '1.47e-09',
      '0.001068',
      '0.000474',
      '0.000182',
    ]);
    expect(formatPval([0.4023, 0.0192], 3)).toEqual(['0.4023', '0.0192']);
    expect(formatPval([1e-20, 1e-30], 3)).toEqual(['<2e-16', '<2e-16']);
    expect(formatPval([1e-20, 0.5], 3)).toEqual(['<2e-16', '0.5']);
  });
});

describe('abbreviate', () => {
  it('drops lower-case vowels, then lower-case letters, from the end', () => {
    expect(abbreviate(['(Intercept)', 'Days'], 6)).toEqual(['(Intr)', 'Days']);
    expect(abbreviate(['(Intercept)', 'period2', 'period3', 'period4'], 6)).toEqual([
      '(Intr)',
      'perid2',
      'perid3',
      'perid4',
    ]);
    expect(abbreviate(['(Intercept)'], 11)).toEqual(['(Intercept)']);
    expect(abbreviate(['trtdrug'], 6)).toEqual(['trtdrg']);
  });
  it('lengthens abbreviations until they are unique', () => {
    const a = abbreviate(['treatmentA', 'treatmentB'], 4);
    expect(new Set(a).size).toBe(2);
  });
});

describe('printing helpers', () => {
  it('named vector: common right-justified width, trailing space', () => {
    expect(printNamedVector(['a', 'bbb'], ['1', '22'])).toBe('  a bbb \n  1  22 \n');
  });
  it('matrix: left-justified by default, right on request, wraps at width', () => {
    expect(printMatrix([['x', 'yy']], ['r'], ['A', 'B'])).toBe('  A B \nr x yy\n');
    expect(printMatrix([['x', 'yy']], ['r'], ['A', 'B'], { right: true })).toBe('  A  B\nr x yy\n');
    const cells = [Array.from({ length: 12 }, () => '0.123456')];
    const cols = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const out = printMatrix(cells, ['row'], cols, { width: 40 });
    expect(out.split('\n').every((l) => l.length < 40)).toBe(true);
    expect(out.split('\n').filter((l) => l.startsWith('row')).length).toBe(3);
  });
  it('strwrap and cat(fill = TRUE)', () => {
    expect(strwrap('aaa bbb ccc', 8, 2)).toEqual(['aaa bbb', '  ccc']);
    expect(catFill(['a', 'b'])).toBe('a b\n');
    expect(catFill(['x'.repeat(70), 'y'.repeat(20)])).toBe(
      'x'.repeat(70) + '\n' + 'y'.repeat(20) + '\n',
    );
  });
});
