/**
 * Evaluates formula expressions (`x`, `I(x^2)`, `log(x)`, `scale(x)`, `factor(x)`,
 * `cbind(s, n - s)`) over ALL rows of the data, as R's model.frame does before it drops rows with
 * missing values. NaN marks a missing number, code -1 a missing factor level.
 */
import { DataError, ModelSpecError } from '../errors';
import { didYouMean } from '../options';
import { makeFactor, type Factor } from './factor';
import type { Table } from './table';
import type { FrameOptions } from './types';
import { deparse, forEachNode, formatRNumber, unparen, type Node } from '../formula/parse';

/** The value of an expression over all rows. */
export type Value =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'factor'; factor: Factor }
  | { kind: 'matrix'; columns: Float64Array[]; names: string[] };

/** The centre and scale `scale(x)` used, by deparsed call (e.g. `scale(x)`). */
export type Scalings = Record<string, { center: number; scale: number }>;

/**
 * What an evaluation against new data takes from the training frame (src/frame/schema.ts):
 * factor levels by deparsed expression, and the centres and scales of `scale()`.
 */
export interface TrainedValues {
  factorLevels: Record<string, string[]>;
  scalings: Scalings;
}

/** What the evaluator needs: the data, the options, and a place to put warnings. */
export interface EvalContext {
  table: Table;
  options: FrameOptions;
  /** Warnings such as "NaNs produced in log(x)", for ModelFrame.messages. */
  warnings: string[];
  /** Cache by deparsed expression. */
  cache: Map<string, Value>;
  /** The centres and scales of every `scale()` evaluated (recorded for the schema). */
  scalings: Scalings;
  /** When evaluating new data: the training frame's levels and scalings. */
  trained?: TrainedValues;
}

const MATH: Record<string, (x: number) => number> = {
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  log10: Math.log10,
  log2: Math.log2,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
};

/** Names of the functions a formula may call. */
export const KNOWN_FUNCTIONS: readonly string[] = [
  ...Object.keys(MATH),
  'I',
  'scale',
  'factor',
  'as.factor',
  'as.numeric',
  'cbind',
  'offset',
];

/**
 * `record[key]` when the record has its own entry `key`: a column called `constructor` or
 * `toString` must not pick up Object.prototype's members as its levels.
 */
export function ownEntry<T>(
  record: Readonly<Record<string, T>> | undefined,
  key: string,
): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

export function makeEvalContext(
  table: Table,
  options: FrameOptions = {},
  trained?: TrainedValues,
): EvalContext {
  return {
    table,
    options,
    warnings: [],
    cache: new Map(),
    scalings: {},
    ...(trained && { trained }),
  };
}

/**
 * Value of a column by name: categorical for strings, logicals, options.factors and
 * options.levels; with training values, categorical exactly when it was in training, with the
 * training levels.
 */
function columnValue(name: string, ctx: EvalContext): Value {
  const col = ctx.table.column(name);
  if (ctx.trained) {
    const levels = ownEntry(ctx.trained.factorLevels, name);
    if (levels !== undefined) return { kind: 'factor', factor: makeFactor(col, name, levels) };
    if (col.kind !== 'numeric') {
      throw new DataError(
        `column '${name}' must be numeric, as in the data the model was fitted to`,
        name,
      );
    }
    return { kind: 'numeric', values: col.values };
  }
  const given = ownEntry(ctx.options.levels, name);
  if (col.kind === 'numeric' && !ctx.options.factors?.includes(name) && given === undefined) {
    return { kind: 'numeric', values: col.values };
  }
  if (col.kind === 'string' && col.mixed !== undefined) ctx.warnings.push(col.mixed);
  return { kind: 'factor', factor: makeFactor(col, name, given) };
}

/** The column names an expression refers to (for error messages). */
export function columnsOf(node: Node): string[] {
  const out = new Set<string>();
  forEachNode(node, (n) => n.type === 'name' && out.add(n.name));
  return [...out];
}

/** Evaluates `node` as a number vector; categorical values are an error naming the column. */
export function evaluateNumeric(node: Node, ctx: EvalContext, within?: string): Float64Array {
  const v = evaluate(node, ctx);
  if (v.kind === 'numeric') return v.values;
  const what = deparse(node);
  const inner = unparen(node);
  const column = inner.type === 'name' ? inner.name : undefined;
  const where = within !== undefined && within !== what ? ` in '${within}'` : '';
  if (v.kind === 'factor') {
    throw new DataError(
      `${column !== undefined ? `column '${column}'` : `'${what}'`} is categorical (levels ${v.factor.levels
        .slice(0, 5)
        .join(', ')}${v.factor.levels.length > 5 ? ', ...' : ''}) but is used as a number${where}`,
      column,
    );
  }
  throw new ModelSpecError(
    `'${what}' has several columns and cannot be used as a number${where}`,
    what,
  );
}

function mapNumeric(
  x: Float64Array,
  f: (v: number) => number,
  name: string,
  ctx: EvalContext,
): Float64Array {
  const out = new Float64Array(x.length);
  let nanMade = false;
  for (let i = 0; i < x.length; i++) {
    out[i] = f(x[i]);
    if (Number.isNaN(out[i]) && !Number.isNaN(x[i])) nanMade = true;
  }
  if (nanMade) ctx.warnings.push(`NaNs produced in ${name}; those rows are treated as missing`);
  return out;
}

/**
 * R's scale(): centre by the mean, divide by the sd, both over the non-missing values, recorded
 * in `ctx.scalings` under `key`; for new data, the training centre and scale (as R's
 * makepredictcall does for scale()).
 */
function scaleColumn(x: Float64Array, key: string, ctx: EvalContext): Float64Array {
  const trained = ownEntry(ctx.trained?.scalings, key);
  const { center, scale } = trained ?? centerAndScale(x, key);
  ctx.scalings[key] = { center, scale };
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - center) / scale;
  return out;
}

function centerAndScale(x: Float64Array, key: string): { center: number; scale: number } {
  let sum = 0;
  let m = 0;
  for (const v of x) {
    if (!Number.isNaN(v)) {
      sum += v;
      m++;
    }
  }
  const mean = sum / m;
  let ss = 0;
  for (const v of x) if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  const sd = Math.sqrt(ss / Math.max(1, m - 1));
  if (m === 0) {
    throw new ModelSpecError(`every value of the argument of ${key} is missing`, key);
  }
  if (!(sd > 0)) {
    throw new ModelSpecError(
      `${key} divides by the standard deviation, which is 0: the argument is constant (${formatRNumber(mean)})`,
      key,
    );
  }
  return { center: mean, scale: sd };
}

/** Evaluates an expression over all rows. */
export function evaluate(node: Node, ctx: EvalContext): Value {
  const key = deparse(node);
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit;
  const v = evaluateUncached(node, ctx, key);
  ctx.cache.set(key, v);
  return v;
}

function evaluateUncached(node: Node, ctx: EvalContext, name: string): Value {
  const n = ctx.table.nRows;
  switch (node.type) {
    case 'name':
      return columnValue(node.name, ctx);
    case 'number':
      return { kind: 'numeric', values: new Float64Array(n).fill(node.value) };
    case 'paren':
      return evaluate(node.expr, ctx);
    case 'unary': {
      const x = evaluateNumeric(node.arg, ctx, name);
      return { kind: 'numeric', values: node.op === '-' ? x.map((v) => -v) : x };
    }
    case 'binary': {
      if (node.op === ':' || node.op === '|' || node.op === '||') {
        throw new ModelSpecError(
          `operator '${node.op}' cannot be used in an arithmetic expression`,
          name,
        );
      }
      const a = evaluateNumeric(node.left, ctx, name);
      const b = evaluateNumeric(node.right, ctx, name);
      const out = new Float64Array(n);
      switch (node.op) {
        case '+':
          for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
          break;
        case '-':
          for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
          break;
        case '*':
          for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
          break;
        case '/':
          for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
          break;
        case '^':
          for (let i = 0; i < n; i++) out[i] = a[i] === 1 || b[i] === 0 ? 1 : Math.pow(a[i], b[i]);
          break;
      }
      return { kind: 'numeric', values: out };
    }
    case 'call':
      return evaluateCall(node, ctx, name);
  }
}

function evaluateCall(node: Node & { type: 'call' }, ctx: EvalContext, name: string): Value {
  const { fn, args } = node;
  const arity = (k: number): void => {
    if (args.length !== k) {
      throw new ModelSpecError(`${fn}() takes ${k} argument${k === 1 ? '' : 's'} here`, name);
    }
  };
  const math = MATH[fn];
  if (math !== undefined) {
    if (fn === 'log' && args.length === 2) {
      const base = evaluateNumeric(args[1], ctx, name);
      const x = evaluateNumeric(args[0], ctx, name);
      return {
        kind: 'numeric',
        values: mapNumeric(
          x.map((v, i) => Math.log(v) / Math.log(base[i])),
          (v) => v,
          name,
          ctx,
        ),
      };
    }
    arity(1);
    return {
      kind: 'numeric',
      values: mapNumeric(evaluateNumeric(args[0], ctx, name), math, name, ctx),
    };
  }
  switch (fn) {
    case 'I':
      arity(1);
      return evaluate(args[0], ctx);
    case 'as.numeric':
      arity(1);
      return { kind: 'numeric', values: evaluateNumeric(args[0], ctx, name) };
    case 'scale':
      arity(1);
      return {
        kind: 'numeric',
        values: scaleColumn(evaluateNumeric(args[0], ctx, name), name, ctx),
      };
    case 'factor':
    case 'as.factor': {
      arity(1);
      const v = evaluate(args[0], ctx);
      if (v.kind === 'factor') return v;
      if (v.kind === 'matrix')
        throw new ModelSpecError(`${fn}() of a matrix is not supported`, name);
      const given = ownEntry(ctx.trained ? ctx.trained.factorLevels : ctx.options.levels, name);
      return {
        kind: 'factor',
        factor: makeFactor({ kind: 'numeric', values: v.values }, name, given),
      };
    }
    case 'cbind': {
      if (args.length < 2) throw new ModelSpecError('cbind() needs at least two columns', name);
      return {
        kind: 'matrix',
        columns: args.map((a) => evaluateNumeric(a, ctx, name)),
        names: args.map((a) => deparse(a)),
      };
    }
    case 'offset':
      throw new ModelSpecError('offset() can only be a term of its own in the formula', name);
    default:
      throw new ModelSpecError(
        `unknown function '${fn}' in the formula${didYouMean(fn, KNOWN_FUNCTIONS)} (supported: ${KNOWN_FUNCTIONS.join(', ')})`,
        name,
      );
  }
}

/** A variable of a model term: one column (numeric or factor), never a matrix such as cbind(). */
export function evaluateTermVariable(
  node: Node,
  name: string,
  ctx: EvalContext,
): Exclude<Value, { kind: 'matrix' }> {
  const value = evaluate(node, ctx);
  if (value.kind === 'matrix') {
    throw new ModelSpecError(`'${name}' has several columns and cannot be a model term`, name);
  }
  return value;
}
