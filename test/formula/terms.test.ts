import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError, ModelSpecError } from '../../src/errors';
import { parseFormula } from '../../src/formula/parse';
import { expandTerms } from '../../src/formula/terms';

const expand = (f: string) => expandTerms(parseFormula(f));

describe('fixed-term expansion (R terms.formula)', () => {
  it.each([
    ['y ~ a + b', ['a', 'b'], true],
    ['y ~ a*b', ['a', 'b', 'a:b'], true],
    ['y ~ b:a + a', ['a', 'b:a'], true],
    ['y ~ x:a + a + x', ['a', 'x', 'x:a'], true],
    ['y ~ a*b*c', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c'], true],
    ['y ~ (a + b + c)^2', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c'], true],
    ['y ~ (a+b+d)^2 - a:d', ['a', 'b', 'd', 'a:b', 'b:d'], true],
    ['y ~ a/x', ['a', 'a:x'], true],
    ['y ~ a*b - a:b', ['a', 'b'], true],
    ['y ~ -1 + x', ['x'], false],
    ['y ~ 0 + x', ['x'], false],
    ['y ~ x + 0', ['x'], false],
    ['y ~ x - 1', ['x'], false],
    ['y ~ x - 1 + 1', ['x'], true],
    ['y ~ 0 + x + 1', ['x'], true],
    ['y ~ 1', [], true],
    ['y ~ I(x^2) + log(x) + x + log(x)', ['I(x^2)', 'log(x)', 'x'], true],
  ])('%s', (f, labels, intercept) => {
    const t = expand(`${f} + (1 | g)`);
    expect(t.fixed.labels).toEqual(labels);
    expect(t.fixed.intercept).toBe(intercept);
  });

  it('collects offsets and the response', () => {
    const t = expand('cbind(s, n - s) ~ x + offset(log(n)) + offset(z) + (1|g)');
    expect(t.responseName).toBe('cbind(s, n - s)');
    expect(t.offsets.map((o) => o.type)).toEqual(['call', 'name']);
    expect(t.fixed.labels).toEqual(['x']);
  });
});

describe('random-term expansion (lme4 findbars)', () => {
  const summary = (f: string) =>
    expand(f).random.map((r) => ({
      group: r.groupName,
      source: r.source,
      intercept: r.lhs.intercept,
      labels: r.lhs.labels,
    }));

  it('keeps simple terms', () => {
    expect(summary('y ~ x + (1 + x | g) + (0 + x | h) + (x | g)')).toEqual([
      { group: 'g', source: '(1 + x | g)', intercept: true, labels: ['x'] },
      { group: 'h', source: '(0 + x | h)', intercept: false, labels: ['x'] },
      { group: 'g', source: '(x | g)', intercept: true, labels: ['x'] },
    ]);
  });

  it('expands || into an intercept term and one term per column term', () => {
    expect(summary('y ~ (x + z || g)')).toEqual([
      { group: 'g', source: '(1 | g)', intercept: true, labels: [] },
      { group: 'g', source: '(0 + x | g)', intercept: false, labels: ['x'] },
      { group: 'g', source: '(0 + z | g)', intercept: false, labels: ['z'] },
    ]);
    expect(summary('y ~ (0 + x || g)').map((r) => r.source)).toEqual(['(0 + x | g)']);
  });

  it('expands nested a/b as lme4: (1|b:a) + (1|a)', () => {
    expect(summary('strength ~ 1 + (1 | batch/cask)').map((r) => r.group)).toEqual([
      'cask:batch',
      'batch',
    ]);
    expect(summary('y ~ (1 | a/b/c)').map((r) => r.group)).toEqual(['c:(b:a)', 'b:a', 'a']);
    const r = expand('y ~ (1 | a/b/c)').random[0];
    expect(r.groupParts.map((p) => (p as { name: string }).name)).toEqual(['c', 'b', 'a']);
  });

  it('interaction grouping factors', () => {
    const r = expand('y ~ (1 | clinic:trt)').random[0];
    expect(r.groupName).toBe('clinic:trt');
    expect(r.groupParts.length).toBe(2);
  });

  it('rejects a bar outside parentheses with its position', () => {
    try {
      expand('y ~ x + z | g');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaSyntaxError);
      expect((e as FormulaSyntaxError).position).toBe(10);
      expect((e as Error).message).toContain('parentheses');
    }
    expect(() => expand('y ~ x:(1|g)')).toThrow(FormulaSyntaxError);
    expect(() => expand('y ~ I(a | b) + (1|g)')).toThrow(FormulaSyntaxError);
    expect(() => expand('y ~ ((1|g) | h)')).toThrow(FormulaSyntaxError);
  });

  it('rejects grouping expressions that are not variables or interactions', () => {
    try {
      expand('y ~ (1 | log(g))');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelSpecError);
      expect((e as Error).message).toContain("'log(g)'");
      expect((e as ModelSpecError).term).toBe('(1 | log(g))');
    }
    expect(() => expand('y ~ (1 | g + h)')).toThrow(ModelSpecError);
  });

  it('rejects invalid numeric terms and bad powers', () => {
    expect(() => expand('y ~ 2 + (1|g)')).toThrow(/invalid model term '2'/);
    expect(() => expand('y ~ (a+b)^x + (1|g)')).toThrow(FormulaSyntaxError);
  });
});
