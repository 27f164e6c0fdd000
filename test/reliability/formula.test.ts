/**
 * Catalogue: formula syntax. Unbalanced parentheses, dangling operators, bad bars, extreme
 * nesting and length, unknown functions, offset() misuse: a FormulaSyntaxError at the right
 * position, or a ModelSpecError / DataError naming the term or column.
 */
import { expect } from 'vitest';
import {
  DataError,
  FormulaSyntaxError,
  ModelSpecError,
  UnknownColumnError,
} from '../../src/errors';
import { catalogue, lmm, relDiff, small, smallWith, type Entry } from './catalogue';

const L =
  (formula: unknown, data: unknown = small()) =>
  (backend: 'wasm' | 'js') =>
    lmm(formula, data, {}, backend);

/** A syntax error at `position` with the message `message`. */
function syntax(formula: string, position: number, message: string | RegExp): Entry {
  return {
    input: `formula ${JSON.stringify(formula)}`,
    run: L(formula),
    error: FormulaSyntaxError,
    names: { position },
    message: [message, `at position ${position}`],
  };
}

const deepParens = 'y ~ ' + '('.repeat(1000) + 'x' + ')'.repeat(1000) + ' + (1 | g)';
const manyMinus = 'y ~ ' + '-'.repeat(5000) + 'x + (1 | g)';
const longChain = 'y ~ ' + Array.from({ length: 3000 }, () => 'x').join(' + ') + ' + (1 | g)';
const longValid = 'y ~ ' + Array.from({ length: 1500 }, () => 'x').join(' + ') + ' + (1 | g)';
const longName = 'v'.repeat(100_000);

catalogue('formula syntax', [
  // unbalanced parentheses
  syntax('y ~ x + (1 | g', 8, "unclosed '('"),
  syntax('y ~ x + (1 | g))', 15, "unmatched ')'"),
  syntax('y ~ (((x)) + (1 | g)', 4, "unclosed '('"),
  syntax('y ~ x ) + (1 | g)', 6, "unmatched ')'"),
  syntax('y ~ x + (1 | g)(1 | g)', 15, "unexpected '('"),
  syntax('y ~ I() + (1 | g)', 5, 'I() needs an argument'),
  syntax('y ~ x + f(, x) + (1 | g)', 10, 'empty argument in f()'),
  // dangling operators and tildes
  syntax('y ~ x +', 6, "operator '+' has no right-hand operand"),
  syntax('y ~ + x + (1 | g)', 4, "empty term before '+'"),
  syntax('y ~ x * + (1 | g)', 8, "empty term between '*' and '+'"),
  syntax('y ~ x + * (1 | g)', 8, "operator '+' is followed by '*'"),
  syntax('y ~', 2, "nothing after '~'"),
  syntax('y x + (1 | g)', 0, "formula has no '~'"),
  syntax('', 0, "formula has no '~'"),
  syntax('y ~~ x + (1 | g)', 3, "more than one '~'"),
  syntax('y ~ x + (1 | g),', 15, "unexpected ','"),
  // bad bars
  syntax('y ~ x + (1 | )', 11, "operator '|' has no right-hand operand"),
  syntax('y ~ x + ( | g)', 10, "operator '|' has no left-hand operand"),
  syntax('y ~ x + 1 | g', 10, 'must be enclosed in parentheses'),
  syntax('y ~ x + (1 | g | g)', 11, "'|' is only allowed in a random-effects term"),
  syntax('y ~ x + (1 ||| g)', 13, "operator '||' is followed by '|'"),
  syntax('y ~ x + (x + | g)', 13, "operator '+' is followed by '|'"),
  syntax('y ~ x + (1 | g):x', 8, 'cannot be combined with other operators'),
  syntax('y ~ log(x | g) + (1 | g)', 10, "'|' is only allowed in a random-effects term"),
  {
    input: 'a grouping factor that is a sum: (1 | x + g)',
    run: L('y ~ x + (1 | x + g)'),
    error: ModelSpecError,
    names: { term: '(1 | x + g)' },
    message: ["grouping factor 'x + g' must be a variable"],
  },
  {
    input: 'a random-effects term without columns: (0 | g)',
    run: L('y ~ x + (0 | g)'),
    error: ModelSpecError,
    names: { term: '(0 | g)' },
    message: ['random-effects term has no columns'],
  },
  {
    input: 'no random-effects term at all',
    run: L('y ~ x'),
    error: ModelSpecError,
    names: { term: 'x' },
    message: ['no random effects terms specified in formula'],
  },
  // tokens R would not accept
  syntax('y ~ x + (1 | g) + @', 18, "unexpected character '@'"),
  syntax('y ~ x$1 + (1 | g)', 5, "unexpected character '$'"),
  syntax('y ~ . + (1 | g)', 4, "'.' (all other columns) is not supported"),
  syntax('y ~ x + (1 | g) + `', 18, 'unclosed backtick'),
  syntax('y ~ x^2.5 + (1 | g)', 6, 'must be a positive integer'),
  {
    input: 'the formula is a number, not a string',
    run: L(42),
    error: FormulaSyntaxError,
    names: { position: 0 },
    message: ['formula must be a string'],
  },
  {
    input: 'a number as a term: y ~ x + 3',
    run: L('y ~ x + (1 | g) + 3'),
    error: ModelSpecError,
    names: { term: '3' },
    message: ["invalid model term '3'"],
  },
  {
    input: 'no response: ~ x + (1 | g)',
    run: L('~ x + (1 | g)'),
    error: ModelSpecError,
    names: { term: '~ x + (1 | g)' },
    message: ['the formula has no response'],
  },
  // extreme nesting and length
  {
    input: '1,000 nested parentheses',
    run: L(deepParens),
    error: FormulaSyntaxError,
    names: { position: 104 },
    message: ['the formula nests more than 100 levels deep'],
  },
  {
    input: '5,000 unary minus signs',
    run: L(manyMinus),
    error: FormulaSyntaxError,
    names: { position: 104 },
    message: ['the formula nests more than 100 levels deep'],
  },
  {
    input: '5,000 unary minus signs inside I()',
    run: L('y ~ I(' + '-'.repeat(5000) + 'x) + (1 | g)'),
    error: FormulaSyntaxError,
    names: { position: 105 },
    message: ['nests more than 100 levels deep'],
  },
  {
    input: 'a chain of 3,000 terms',
    run: L(longChain),
    error: FormulaSyntaxError,
    // the 2,000th '+': 'y ~ ' then 'x + ' per term
    names: { position: 4 + 4 * 1999 + 2 },
    message: ['too deeply nested (more than 2000 levels'],
  },
  {
    input: 'a chain of 1,500 copies of one term (valid: one column)',
    run: L(longValid),
    check: (fit) => expect(fit.fixefNames).toEqual(['(Intercept)', 'x']),
  },
  {
    input: 'a formula padded with 100,000 spaces and tabs (valid)',
    run: L(`y ${' \t'.repeat(50_000)}~ x + (1 | g)`),
    check: (fit) => expect(fit.fixefNames).toEqual(['(Intercept)', 'x']),
  },
  {
    input: 'a 100,000-character column name that is not in the data',
    run: L(`y ~ ${longName} + (1 | g)`),
    error: UnknownColumnError,
    names: { column: longName },
    message: ['unknown column', 'the data have: g, x, y'],
  },
  {
    input: 'a column name in another script (größe; valid, as in R)',
    run: L('y ~ größe + (1 | g)', smallWith({ größe: small().x })),
    check: (fit) => expect(fit.fixefNames).toEqual(['(Intercept)', 'größe']),
  },
  // unknown functions and wrong arities
  {
    input: 'an unknown function foo(x)',
    run: L('y ~ foo(x) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'foo(x)' },
    message: ["unknown function 'foo'", 'supported: log, exp'],
  },
  {
    input: 'a misspelt function Log(x)',
    run: L('y ~ Log(x) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'Log(x)' },
    message: ["unknown function 'Log'", "did you mean 'log'?"],
  },
  {
    input: 'scale() with two arguments',
    run: L('y ~ scale(x, 2) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'scale(x, 2)' },
    message: ['scale() takes 1 argument'],
  },
  {
    input: 'cbind() as a model term',
    run: L('y ~ cbind(x, y) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'cbind(x, y)' },
    message: ['has several columns and cannot be a model term'],
  },
  // offset() misuse
  {
    input: 'offset() with two arguments',
    run: L('y ~ offset(x, 2) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'offset(x, 2)' },
    message: ['offset() takes one argument'],
  },
  {
    input: 'offset() inside an interaction',
    run: L('y ~ x:offset(x) + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'offset(x)' },
    message: ['offset() cannot be combined with other terms'],
  },
  {
    input: 'offset() in a random-effects term',
    run: L('y ~ x + (offset(x) | g)'),
    error: ModelSpecError,
    names: { term: 'offset(x)' },
    message: ['offset() is not allowed in the random-effects term (offset(x) | g)'],
  },
  {
    input: 'offset() as the response',
    run: L('offset(y) ~ x + (1 | g)'),
    error: ModelSpecError,
    names: { term: 'offset(y)' },
    message: ['offset() can only be a term of its own'],
  },
  {
    input: 'offset() of a categorical column',
    run: L('y ~ offset(g) + (1 | g)'),
    error: DataError,
    names: { column: 'g' },
    message: ["column 'g' is categorical", "used as a number in 'offset(g)'"],
  },
  {
    input: 'offset() of an unknown column',
    run: L('y ~ x + (1 | g) + offset(zz)'),
    error: UnknownColumnError,
    names: { column: 'zz' },
    message: ["unknown column 'zz'"],
  },
  {
    input: 'offset(log(x)) with x = 0 in row 1',
    run: L('y ~ offset(log(x)) + (1 | g)'),
    error: DataError,
    names: { column: 'x', row: 1 },
    message: ["non-finite value -Inf in 'offset(log(x))' (column 'x') at row 1"],
  },
  {
    input: 'the same offset() twice (valid: counted once, as R)',
    run: L('y ~ offset(x) + offset(x) + (1 | g)'),
    check: (fit, backend) => {
      const once = lmm('y ~ offset(x) + (1 | g)', small(), {}, backend);
      expect(relDiff(fit.logLik, once.logLik)).toBeLessThan(1e-12);
    },
  },
]);
