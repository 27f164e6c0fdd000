/**
 * Formula string -> abstract syntax tree. Operator precedence follows R (highest first):
 * `^`, unary minus, `:`, `* /`, `+ -`, `| ||`, `~`. Every node keeps its source span.
 */
import { FormulaSyntaxError } from '../errors';
import { tokenize, type Token } from './lexer';

interface Span {
  /** 0-based offset of the first character of the node. */
  start: number;
  /** Offset one past the last character. */
  end: number;
}

export type Node =
  | (Span & { type: 'name'; name: string })
  | (Span & { type: 'number'; value: number; text: string })
  | (Span & { type: 'call'; fn: string; args: Node[] })
  | (Span & { type: 'paren'; expr: Node })
  | (Span & { type: 'unary'; op: '-' | '+'; arg: Node; opPos: number })
  | (Span & { type: 'binary'; op: BinaryOp; left: Node; right: Node; opPos: number });

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | ':' | '|' | '||';

/** A parsed two-sided formula. */
export interface FormulaAst {
  /** The formula text as given. */
  text: string;
  /** Left-hand side (response); null for a one-sided formula `~ x`. */
  lhs: Node | null;
  rhs: Node;
  /** Offset of the `~`. */
  tildePos: number;
}

/** Deepest nesting of parentheses, calls and unary signs (R's own parser stops near here too). */
export const MAX_NESTING = 100;
/** Most terms chained by binary operators (each adds a level to the syntax tree). */
export const MAX_TREE_DEPTH = 2000;

class Parser {
  private i = 0;
  /** Current nesting of parentheses, calls and unary signs. */
  private nesting = 0;
  /** Depth of function-call nesting: unary plus is only an "empty term" outside calls. */
  private callDepth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private fail(message: string, pos: number): never {
    throw new FormulaSyntaxError(message, this.text, pos);
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.type === 'op' && ops.includes(t.text);
  }

  parseFormula(): FormulaAst {
    const tilde = this.tokens.find((t) => t.type === 'op' && t.text === '~');
    if (tilde === undefined) this.fail("formula has no '~'", 0);
    let lhs: Node | null = null;
    if (!this.isOp('~')) lhs = this.parseExpr(`before '~'`);
    if (!this.isOp('~')) this.unexpected(this.peek());
    const tildeTok = this.next();
    if (this.peek().type === 'eof') this.fail("nothing after '~'", tildeTok.pos);
    const rhs = this.parseExpr(`after '~'`);
    const t = this.peek();
    if (t.type !== 'eof') this.unexpected(t);
    return { text: this.text, lhs, rhs, tildePos: tildeTok.pos };
  }

  private unexpected(t: Token): never {
    if (t.type === ')') this.fail("unmatched ')'", t.pos);
    if (t.type === 'op' && t.text === '~') this.fail("more than one '~'", t.pos);
    if (t.type === 'eof') this.fail('unexpected end of formula', t.pos);
    this.fail(`unexpected '${t.text}' (missing operator before it?)`, t.pos);
  }

  /** Lowest precedence inside one side of `~`: `|` and `||`. */
  private parseExpr(where: string): Node {
    let left = this.parseAdd(where);
    while (this.isOp('|', '||')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseAdd(where));
      left = this.bin(op, left, right);
    }
    return left;
  }

  private parseAdd(where: string): Node {
    let left = this.parseMul(where);
    while (this.isOp('+', '-')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseMul(where));
      left = this.bin(op, left, right);
    }
    return left;
  }

  private parseMul(where: string): Node {
    let left = this.parseColon(where);
    while (this.isOp('*', '/')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseColon(where));
      left = this.bin(op, left, right);
    }
    return left;
  }

  private parseColon(where: string): Node {
    let left = this.parseUnary(where);
    while (this.isOp(':')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseUnary(where));
      left = this.bin(op, left, right);
    }
    return left;
  }

  /** Runs `parse` one nesting level deeper; too deep is a syntax error, not a stack overflow. */
  private nested<T>(pos: number, parse: () => T): T {
    if (++this.nesting > MAX_NESTING) {
      this.fail(`the formula nests more than ${MAX_NESTING} levels deep`, pos);
    }
    const out = parse();
    this.nesting--;
    return out;
  }

  private parseUnary(where: string): Node {
    if (this.isOp('-', '+')) {
      return this.nested(this.peek().pos, () => this.parseSigned(where));
    }
    return this.parsePower(where);
  }

  private parseSigned(where: string): Node {
    const op = this.next();
    if (op.text === '+' && this.callDepth === 0) this.fail("empty term before '+'", op.pos);
    const arg = this.parseOperand(op, () => this.parseUnary(where));
    return this.withDepth(op.pos, [arg], {
      type: 'unary',
      op: op.text as '-' | '+',
      arg,
      opPos: op.pos,
      start: op.pos,
      end: arg.end,
    });
  }

  private parsePower(where: string): Node {
    const base = this.parsePrimary(where);
    if (this.isOp('^')) {
      const op = this.next();
      const exp = this.parseOperand(op, () => this.parseUnary(where));
      return this.bin(op, base, exp);
    }
    return base;
  }

  /** Parses the operand after operator `op`, reporting a dangling operator at `op`. */
  private parseOperand(op: Token, parse: () => Node): Node {
    const t = this.peek();
    if (
      t.type === 'eof' ||
      t.type === ')' ||
      t.type === ',' ||
      (t.type === 'op' && t.text === '~')
    ) {
      this.fail(`operator '${op.text}' has no right-hand operand`, op.pos);
    }
    if (t.type === 'op' && t.text !== '-' && !(t.text === '+' && this.callDepth > 0)) {
      if (t.text === '+') this.fail(`empty term between '${op.text}' and '+'`, t.pos);
      this.fail(`operator '${op.text}' is followed by '${t.text}'`, t.pos);
    }
    return parse();
  }

  private bin(op: Token, left: Node, right: Node): Node {
    return this.withDepth(op.pos, [left, right], {
      type: 'binary',
      op: op.text as BinaryOp,
      left,
      right,
      opPos: op.pos,
      start: left.start,
      end: right.end,
    });
  }

  /** Records the depth of a composite node; a tree too deep to walk is a syntax error. */
  private withDepth(pos: number, children: readonly Node[], node: Node): Node {
    const depth = 1 + Math.max(0, ...children.map((c) => depths.get(c) ?? 1));
    if (depth > MAX_TREE_DEPTH) {
      this.fail(
        `the formula is too deeply nested (more than ${MAX_TREE_DEPTH} levels: terms chained by operators count one level each)`,
        pos,
      );
    }
    depths.set(node, depth);
    return node;
  }

  private parsePrimary(where: string): Node {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return { type: 'number', value: t.value as number, text: t.text, start: t.pos, end: t.end };
      case 'name':
        if (this.peek().type !== '(') {
          return { type: 'name', name: t.text, start: t.pos, end: t.end };
        }
        return this.nested(t.pos, () => this.parseCall(t, where));
      case '(':
        return this.nested(t.pos, () => this.parseParen(t, where));
      case 'eof':
        return this.fail(`missing term ${where}`, t.pos);
      case ')':
        return this.fail("unmatched ')'", t.pos);
      case ',':
        return this.fail("unexpected ','", t.pos);
      default:
        if (t.text === '~') this.fail("more than one '~'", t.pos);
        return this.fail(`operator '${t.text}' has no left-hand operand`, t.pos);
    }
  }

  /** `fn(arg, ...)` after its name `t`. */
  private parseCall(t: Token, where: string): Node {
    const open = this.next();
    this.callDepth++;
    const args: Node[] = [];
    if (this.peek().type === ')') this.fail(`${t.text}() needs an argument`, open.pos);
    for (;;) {
      const a = this.peek();
      if (a.type === ',' || a.type === ')') this.fail(`empty argument in ${t.text}()`, a.pos);
      if (a.type === 'eof') this.fail("unclosed '('", open.pos);
      args.push(this.parseExpr(where));
      const sep = this.peek();
      if (sep.type === ',') {
        this.next();
        continue;
      }
      if (sep.type === ')') break;
      if (sep.type === 'eof') this.fail("unclosed '('", open.pos);
      this.unexpected(sep);
    }
    const close = this.next();
    this.callDepth--;
    return this.withDepth(t.pos, args, {
      type: 'call',
      fn: t.text,
      args,
      start: t.pos,
      end: close.end,
    });
  }

  /** `( expr )` after its opening parenthesis `t`. */
  private parseParen(t: Token, where: string): Node {
    if (this.peek().type === ')') this.fail('empty parentheses', t.pos);
    const depth = this.callDepth;
    this.callDepth = 0;
    const expr = this.parseExpr(where);
    this.callDepth = depth;
    const close = this.peek();
    if (close.type === 'eof') this.fail("unclosed '('", t.pos);
    if (close.type !== ')') this.unexpected(close);
    this.next();
    return this.withDepth(t.pos, [expr], { type: 'paren', expr, start: t.pos, end: close.end });
  }
}

/** Depth of each composite node of the tree being parsed (names and numbers have depth 1). */
const depths = new WeakMap<Node, number>();

/** Parses an lme4 formula such as `y ~ x + (1 | g)`; throws FormulaSyntaxError with the position. */
export function parseFormula(formula: string): FormulaAst {
  if (typeof formula !== 'string') {
    throw new FormulaSyntaxError('formula must be a string', String(formula), 0);
  }
  return new Parser(formula, tokenize(formula)).parseFormula();
}

/** Strips redundant parentheses. */
/** Calls `f` on `node` and every node below it (pre-order). */
export function forEachNode(node: Node, f: (n: Node) => void): void {
  f(node);
  if (node.type === 'call') node.args.forEach((a) => forEachNode(a, f));
  else if (node.type === 'paren') forEachNode(node.expr, f);
  else if (node.type === 'unary') forEachNode(node.arg, f);
  else if (node.type === 'binary') {
    forEachNode(node.left, f);
    forEachNode(node.right, f);
  }
}

export function unparen(node: Node): Node {
  while (node.type === 'paren') node = node.expr;
  return node;
}

/** Formats a number as R's deparse / as.character do (15 significant digits, e+XX when shorter). */
export function formatRNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const p = Number(x.toPrecision(15));
  let fixed = String(p);
  if (/e/.test(fixed))
    fixed = p.toFixed(Math.min(100, Math.max(0, 15 - Math.floor(Math.log10(Math.abs(p))))));
  if (fixed.includes('.') && !/e/.test(fixed)) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  const [mant, ex] = p.toExponential().split('e');
  const e = Number(ex);
  const sci = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return fixed.length <= sci.length ? fixed : sci;
}

function quoteName(name: string): string {
  return /^(\p{L}|[.][\p{L}._]|[.]$)[\p{L}\p{N}._]*$/u.test(name) ? name : `\`${name}\``;
}

/** R-style deparse: `I(x^2)`, `log(x + 1)`, `cbind(s, n - s)`, `a:b`. */
export function deparse(node: Node): string {
  switch (node.type) {
    case 'name':
      return quoteName(node.name);
    case 'number':
      return formatRNumber(node.value);
    case 'call':
      return `${node.fn}(${node.args.map(deparse).join(', ')})`;
    case 'paren':
      return `(${deparse(node.expr)})`;
    case 'unary':
      return `${node.op}${deparse(node.arg)}`;
    case 'binary': {
      const l = deparse(node.left);
      const r = deparse(node.right);
      return node.op === '/' || node.op === '^' || node.op === ':'
        ? `${l}${node.op}${r}`
        : `${l} ${node.op} ${r}`;
    }
  }
}
