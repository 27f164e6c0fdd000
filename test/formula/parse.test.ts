import { describe, expect, it } from 'vitest';
import { FormulaSyntaxError } from '../../src/errors';
import { deparse, formatRNumber, parseFormula } from '../../src/formula/parse';

function syntaxError(formula: string): FormulaSyntaxError {
  try {
    parseFormula(formula);
  } catch (e) {
    expect(e).toBeInstanceOf(FormulaSyntaxError);
    return e as FormulaSyntaxError;
  }
  throw new Error(`no error for ${formula}`);
}

describe('parseFormula', () => {
  it('builds an AST with source spans and R precedence', () => {
    const ast = parseFormula('y ~ 1 + x | g');
    expect(ast.lhs).toMatchObject({ type: 'name', name: 'y', start: 0, end: 1 });
    expect(ast.tildePos).toBe(2);
    // `|` binds more loosely than `+`
    expect(ast.rhs).toMatchObject({
      type: 'binary',
      op: '|',
      opPos: 10,
      left: { type: 'binary', op: '+', left: { type: 'number', value: 1 }, right: { name: 'x' } },
      right: { type: 'name', name: 'g', start: 12, end: 13 },
    });
  });

  it('parses unary minus below ^ and above :', () => {
    const ast = parseFormula('y ~ I(-x^2) + a:b*c');
    expect(deparse(ast.rhs)).toBe('I(-x^2) + a:b * c');
    const call = (ast.rhs as { left: unknown }).left;
    expect(call).toMatchObject({
      type: 'call',
      fn: 'I',
      args: [{ type: 'unary', op: '-', arg: { type: 'binary', op: '^' } }],
    });
    expect((ast.rhs as { right: unknown }).right).toMatchObject({
      op: '*',
      left: { op: ':' },
      right: { name: 'c' },
    });
  });

  it('parses calls, cbind responses, || and nested parentheses', () => {
    const ast = parseFormula('cbind(s, n - s) ~ log(x) + ((0 + x || g))');
    expect(ast.lhs).toMatchObject({
      type: 'call',
      fn: 'cbind',
      args: [{ name: 's' }, { op: '-' }],
    });
    expect(deparse(ast.lhs!)).toBe('cbind(s, n - s)');
    expect(deparse(ast.rhs)).toBe('log(x) + ((0 + x || g))');
  });

  it('deparses like R', () => {
    expect(deparse(parseFormula('y~I(x ^ 2*3-  -x/2)').rhs)).toBe('I(x^2 * 3 - -x/2)');
    expect(deparse(parseFormula('y~log(x+1e6+0.0001+123456+1.5e5)').rhs)).toBe(
      'log(x + 1e+06 + 1e-04 + 123456 + 150000)',
    );
    expect(deparse(parseFormula('y ~ `my var` + x.1').rhs)).toBe('`my var` + x.1');
  });

  it('formats numbers as R', () => {
    expect([100000, 123456, 0.1 + 0.2, 1 / 3, 1e-20, 308, 2.5, -4].map(formatRNumber)).toEqual([
      '1e+05',
      '123456',
      '0.3',
      '0.333333333333333',
      '1e-20',
      '308',
      '2.5',
      '-4',
    ]);
  });

  it.each([
    ['y + x', 0, "no '~'"],
    ['y ~ (1 | g', 4, "unclosed '('"],
    ['y ~ x)', 5, "unmatched ')'"],
    ['y ~ x +', 6, "'+' has no right-hand operand"],
    ['y ~ a + + b', 8, 'empty term'],
    ['y ~ x $ z', 6, "unexpected character '$'"],
    ['y ~ ', 2, "nothing after '~'"],
    ['y ~ x ~ z', 6, "more than one '~'"],
    ['y ~ x + ()', 8, 'empty parentheses'],
    ['y ~ log() + x', 7, 'log() needs an argument'],
    ['y ~ x z', 6, "unexpected 'z'"],
    ['y ~ * x', 4, "'*' has no left-hand operand"],
    ['y ~ x + .', 8, "'.'"],
    ['y ~ cbind(a, )', 13, 'empty argument'],
  ])('%s: error at position %i', (formula, pos, text) => {
    const e = syntaxError(formula);
    expect(e.position).toBe(pos);
    expect(e.message).toContain(text);
    expect(e.message).toContain(`at position ${pos}`);
    expect(e.formula).toBe(formula);
  });
});
