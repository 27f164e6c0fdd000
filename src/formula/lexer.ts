/**
 * Tokenizer for lme4 model formulas. Every token keeps its 0-based character offset so that
 * syntax errors can point at the exact place in the formula.
 */
import { FormulaSyntaxError } from '../errors';

export type TokenType = 'name' | 'number' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  type: TokenType;
  /** Source text (for names: the name without backticks). */
  text: string;
  /** 0-based offset of the first character. */
  pos: number;
  /** Offset one past the last character. */
  end: number;
  /** Numeric value of a number token. */
  value?: number;
}

const OPS = ['||', '**', '~', '+', '-', '*', '/', '^', ':', '|'];

// Letters in any script, as R's parser in a UTF-8 locale (a column called `größe`).
function isNameStart(c: string): boolean {
  return /[\p{L}._]/u.test(c);
}

function isNameChar(c: string): boolean {
  return /[\p{L}\p{N}._]/u.test(c);
}

/** Splits a formula into tokens; throws FormulaSyntaxError on a character R would not accept. */
export function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = formula.length;
  while (i < n) {
    const c = formula[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?L?/.exec(formula.slice(i));
    if (num && (/\d/.test(c) || (c === '.' && /\d/.test(formula[i + 1] ?? '')))) {
      const text = num[0];
      tokens.push({
        type: 'number',
        text,
        pos: i,
        end: i + text.length,
        value: Number(text.replace(/L$/, '')),
      });
      i += text.length;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNameChar(formula[j])) j++;
      const text = formula.slice(i, j);
      if (text === '.') {
        throw new FormulaSyntaxError(
          "'.' (all other columns) is not supported; name the columns",
          formula,
          i,
        );
      }
      if (c === '_') throw new FormulaSyntaxError(`unexpected character '_'`, formula, i);
      tokens.push({ type: 'name', text, pos: i, end: j });
      i = j;
      continue;
    }
    if (c === '`') {
      const j = formula.indexOf('`', i + 1);
      if (j < 0) throw new FormulaSyntaxError('unclosed backtick', formula, i);
      if (j === i + 1) throw new FormulaSyntaxError('empty backquoted name', formula, i);
      tokens.push({ type: 'name', text: formula.slice(i + 1, j), pos: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => formula.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ type: 'op', text: op === '**' ? '^' : op, pos: i, end: i + op.length });
      i += op.length;
      continue;
    }
    throw new FormulaSyntaxError(`unexpected character '${c}'`, formula, i);
  }
  tokens.push({ type: 'eof', text: '', pos: n, end: n });
  return tokens;
}
