/**
 * Term expansion as R's terms.formula does it: `a*b` -> a + b + a:b, `a/b` -> a + a:b,
 * `(a+b)^2`, `-` removes terms, `0`/`-1` remove the intercept and `1` restores it. Random-effect
 * bars are split off and expanded as lme4 does (expandDoubleVerts, then expandSlash).
 */
import { FormulaSyntaxError, ModelSpecError } from '../errors';
import { deparse, forEachNode, unparen, type FormulaAst, type Node } from './parse';

/** One variable of a term set: an expression such as `x`, `log(x)` or `factor(g)`. */
export interface TermVariable {
  /** R-deparsed expression, used as the variable's name in column names. */
  name: string;
  node: Node;
}

/** The expanded right-hand side of a (sub-)formula, as R's terms object describes it. */
export interface TermSet {
  /** Variables in order of first appearance (R's `variables` attribute without the response). */
  variables: TermVariable[];
  /** Whether the model has an intercept. */
  intercept: boolean;
  /** Each term as sorted variable indices; terms sorted by order (main effects first), stable. */
  terms: number[][];
  /** R term labels, e.g. `a:b` (variables in variable order). */
  labels: string[];
}

/** One random-effects term after expansion of `||` and `/`. */
export interface RandomTermDef {
  /** The term set of the left-hand side of the bar (its own variable order, as lme4's `~lhs`). */
  lhs: TermSet;
  /** The atomic factors whose interaction is the grouping factor, in name order. */
  groupParts: Node[];
  /** Grouping factor name as lme4 deparses it: `Subject`, `cask:batch`. */
  groupName: string;
  /** Term text such as `(Days | Subject)` or `(0 + Days | Subject)`. */
  source: string;
}

/** Everything the formula says, before any data are looked at. */
export interface ModelTerms {
  formula: string;
  response: Node | null;
  /** Deparsed response, e.g. `cbind(incidence, size - incidence)`. */
  responseName: string | null;
  fixed: TermSet;
  /** Arguments of `offset()` terms. */
  offsets: Node[];
  random: RandomTermDef[];
}

type Sign = '+' | '-';

class Encoder {
  readonly variables: TermVariable[] = [];
  private readonly index = new Map<string, number>();
  intercept = true;
  readonly offsets: Node[] = [];
  readonly bars: Node[] = [];

  constructor(
    private readonly formula: string,
    private readonly allowRandom: boolean,
    private readonly context: string,
  ) {}

  private syntax(message: string, pos: number): never {
    throw new FormulaSyntaxError(message, this.formula, pos);
  }

  private variable(node: Node): number {
    const name = deparse(node);
    let k = this.index.get(name);
    if (k === undefined) {
      k = this.variables.length;
      this.variables.push({ name, node });
      this.index.set(name, k);
    }
    return k;
  }

  /** Encodes `node` into a list of terms (each a sorted list of variable indices). */
  encode(node: Node, top: boolean): number[][] {
    switch (node.type) {
      case 'paren': {
        const inner = unparen(node);
        if (inner.type === 'binary' && (inner.op === '|' || inner.op === '||')) {
          if (!this.allowRandom) {
            this.syntax(`random-effects term not allowed ${this.context}`, node.start);
          }
          if (!top) {
            this.syntax(
              `random-effects term ${deparse(node)} cannot be combined with other operators`,
              node.start,
            );
          }
          this.bars.push(inner);
          return [];
        }
        return this.chain(inner, top);
      }
      case 'unary':
        return this.chain(node, top);
      case 'binary':
        switch (node.op) {
          case '+':
          case '-':
            return this.chain(node, top);
          case '|':
          case '||':
            return this.syntax(
              `random-effects term '${deparse(node)}' must be enclosed in parentheses`,
              node.opPos,
            );
          case ':': {
            const a = this.encode(node.left, false);
            const b = this.encode(node.right, false);
            return products(a, b);
          }
          case '*': {
            const a = this.encode(node.left, false);
            const b = this.encode(node.right, false);
            return unique([...a, ...b, ...products(a, b)]);
          }
          case '/': {
            const a = this.encode(node.left, false);
            const b = this.encode(node.right, false);
            const all = [...new Set(a.flat())].sort((x, y) => x - y);
            return unique([...a, ...products([all], b)]);
          }
          case '^': {
            const a = this.encode(node.left, false);
            const r = unparen(node.right);
            if (r.type !== 'number' || !Number.isInteger(r.value) || r.value < 1) {
              this.syntax(
                "the power in a formula term '(...)^k' must be a positive integer",
                r.start,
              );
            }
            let result = a;
            for (let k = 2; k <= r.value; k++) result = unique([...result, ...products(result, a)]);
            return result;
          }
        }
        break;
      case 'number':
        throw new ModelSpecError(`invalid model term '${node.text}' ${this.context}`, node.text);
      case 'call':
        if (node.fn === 'offset') {
          if (!top) {
            throw new ModelSpecError('offset() cannot be combined with other terms', deparse(node));
          }
          if (node.args.length !== 1) {
            throw new ModelSpecError('offset() takes one argument', deparse(node));
          }
          // R's terms keep each variable once: offset(x) + offset(x) adds x once, as lme4
          const text = deparse(node.args[0]);
          if (!this.offsets.some((o) => deparse(o) === text)) this.offsets.push(node.args[0]);
          return [];
        }
        checkNoBars(node, this.formula);
        return [[this.variable(node)]];
      case 'name':
        return [[this.variable(node)]];
    }
    return [];
  }

  /** Left-to-right `+`/`-` chain, so that `- x` removes terms added before it. */
  chain(node: Node, top: boolean): number[][] {
    const acc: number[][] = [];
    const walk = (n: Node, sign: Sign): void => {
      if (n.type === 'binary' && (n.op === '+' || n.op === '-')) {
        walk(n.left, sign);
        walk(n.right, n.op === '-' ? flip(sign) : sign);
      } else if (n.type === 'unary') {
        walk(n.arg, n.op === '-' ? flip(sign) : sign);
      } else if (n.type === 'paren' && !isBar(unparen(n))) {
        walk(n.expr, sign);
      } else if (n.type === 'number' && (n.value === 0 || n.value === 1)) {
        this.intercept = (n.value === 1) === (sign === '+');
      } else if (sign === '+') {
        for (const t of this.encode(n, top)) acc.push(t);
      } else {
        const drop = new Set(this.encode(n, top).map(key));
        for (let i = acc.length - 1; i >= 0; i--) if (drop.has(key(acc[i]))) acc.splice(i, 1);
      }
    };
    walk(node, '+');
    return unique(acc);
  }

  finish(terms: number[][]): TermSet {
    const sorted = unique(terms)
      .map((t, i) => ({ t, i }))
      .sort((a, b) => a.t.length - b.t.length || a.i - b.i)
      .map((x) => x.t);
    return {
      variables: this.variables,
      intercept: this.intercept,
      terms: sorted,
      labels: sorted.map((t) => t.map((v) => this.variables[v].name).join(':')),
    };
  }
}

function isBar(n: Node): boolean {
  return n.type === 'binary' && (n.op === '|' || n.op === '||');
}

function flip(s: Sign): Sign {
  return s === '+' ? '-' : '+';
}

function key(t: number[]): string {
  return t.join(',');
}

function unique(terms: number[][]): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const t of terms) {
    const k = key(t);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

function products(a: number[][], b: number[][]): number[][] {
  const out: number[][] = [];
  for (const x of a) {
    for (const y of b) out.push([...new Set([...x, ...y])].sort((p, q) => p - q));
  }
  return unique(out);
}

/** Throws if a bar appears anywhere inside `node` (e.g. inside a function call). */
function checkNoBars(node: Node, formula: string): void {
  forEachNode(node, (n) => {
    if (n.type === 'binary' && (n.op === '|' || n.op === '||')) {
      throw new FormulaSyntaxError(
        `'${n.op}' is only allowed in a random-effects term '(expr | group)'`,
        formula,
        n.opPos,
      );
    }
  });
}

/** Expands the right-hand side of a formula (or of a bar) into a term set. */
function encodeTermSet(node: Node, formula: string, context: string): TermSet {
  const enc = new Encoder(formula, false, context);
  const terms = enc.chain(node, true);
  if (enc.offsets.length > 0) {
    throw new ModelSpecError(
      `offset() is not allowed ${context}`,
      `offset(${deparse(enc.offsets[0])})`,
    );
  }
  return enc.finish(terms);
}

/** lme4's expandSlash: `a/b` -> [`b:a`, `a`]; returns each grouping expression. */
function expandSlash(group: Node): Node[] {
  type Nested = Node | Nested[];
  const hasSlash = (n: Node): boolean => {
    n = unparen(n);
    return n.type === 'binary' && (n.op === '/' || hasSlash(n.left) || hasSlash(n.right));
  };
  const slashTerms = (x: Node): Nested => {
    const u = unparen(x);
    if (!hasSlash(u)) return u;
    if (u.type !== 'binary' || u.op !== '/') {
      throw new ModelSpecError('unparseable formula for grouping factor', deparse(x));
    }
    return [slashTerms(u.left), slashTerms(u.right)];
  };
  const interaction = (foo: Node, bar: Node): Node => {
    const right: Node =
      bar.type === 'binary' ? { type: 'paren', expr: bar, start: bar.start, end: bar.end } : bar;
    return {
      type: 'binary',
      op: ':',
      left: foo,
      right,
      opPos: foo.end,
      start: foo.start,
      end: bar.end,
    };
  };
  const makeInteraction = (x: Nested): Nested => {
    if (!Array.isArray(x)) return x;
    const trm1 = makeInteraction(x[0]);
    const trm11 = Array.isArray(trm1) ? trm1[0] : trm1;
    return [interaction(x[1] as Node, trm11 as Node), trm1];
  };
  const flat = (x: Nested): Node[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);
  return flat(makeInteraction(slashTerms(group)));
}

/** Splits a grouping expression `a:b` into its atomic factors, checking each is a variable. */
function groupingParts(group: Node, source: string): Node[] {
  const parts: Node[] = [];
  const visit = (n: Node): void => {
    n = unparen(n);
    if (n.type === 'binary' && n.op === ':') {
      visit(n.left);
      visit(n.right);
    } else if (n.type === 'name') {
      parts.push(n);
    } else if (
      n.type === 'call' &&
      (n.fn === 'factor' || n.fn === 'as.factor') &&
      n.args.length === 1 &&
      unparen(n.args[0]).type === 'name'
    ) {
      parts.push(n);
    } else {
      throw new ModelSpecError(
        `grouping factor '${deparse(n)}' must be a variable or an interaction of variables (a:b)`,
        source,
      );
    }
  };
  visit(group);
  return parts;
}

/** Expands one bar `lhs | g` or `lhs || g` into random terms, lme4 style. */
function expandBar(bar: Node & { type: 'binary' }, formula: string): RandomTermDef[] {
  const written = `(${deparse(bar)})`;
  checkNoBars(bar.left, formula);
  checkNoBars(bar.right, formula);
  const lhs = encodeTermSet(bar.left, formula, `in the random-effects term ${written}`);
  const lhsList: { set: TermSet; text: string }[] = [];
  if (bar.op === '|') {
    lhsList.push({ set: lhs, text: deparse(bar.left) });
  } else {
    if (lhs.intercept) lhsList.push({ set: { ...lhs, terms: [], labels: [] }, text: '1' });
    lhs.terms.forEach((t, i) =>
      lhsList.push({
        set: { variables: lhs.variables, intercept: false, terms: [t], labels: [lhs.labels[i]] },
        text: `0 + ${lhs.labels[i]}`,
      }),
    );
  }
  const out: RandomTermDef[] = [];
  for (const { set, text } of lhsList) {
    if (!set.intercept && set.terms.length === 0) {
      throw new ModelSpecError('random-effects term has no columns', written);
    }
    for (const g of expandSlash(bar.right)) {
      const groupName = deparse(g);
      const source = `(${text} | ${groupName})`;
      out.push({ lhs: set, groupParts: groupingParts(g, source), groupName, source });
    }
  }
  return out;
}

/** Expands a parsed formula into fixed terms, offsets and random terms. */
export function expandTerms(ast: FormulaAst): ModelTerms {
  if (ast.lhs !== null) checkNoBars(ast.lhs, ast.text);
  const enc = new Encoder(ast.text, true, 'here');
  const terms = enc.chain(ast.rhs, true);
  const fixed = enc.finish(terms);
  const random = enc.bars.flatMap((b) => expandBar(b as Node & { type: 'binary' }, ast.text));
  return {
    formula: ast.text,
    response: ast.lhs,
    responseName: ast.lhs === null ? null : deparse(ast.lhs),
    fixed,
    offsets: enc.offsets,
    random,
  };
}

export { encodeTermSet };
