/**
 * Formula string + data -> ModelFrame: the numbers the model builders need, with rows that have
 * a missing value in any variable the model uses removed (R's model.frame + na.omit), factor
 * levels unused in the kept rows dropped, X built and rank-checked as lme4 does.
 */
import { DataError, ModelSpecError, OptionError } from '../errors';
import { didYouMean } from '../options';
import {
  columnsOf,
  evaluate,
  evaluateNumeric,
  evaluateTermVariable,
  makeEvalContext,
  ownEntry,
  type EvalContext,
  type Value,
} from './eval';
import { deparse, forEachNode, parseFormula, unparen, type Node } from '../formula/parse';
import { expandTerms, type ModelTerms, type TermSet } from '../formula/terms';
import { interactFactors, makeFactor, subsetFactor, type Factor } from './factor';
import { modelMatrix, rankKeep, type FrameValue } from './modelmatrix';
import { makeTable, type RawColumn, type Table } from './table';
import type { FrameSchema } from './schema';
import { covariateMeans } from './covariates';
import type { DataInput, FrameOptions, ModelFrame, RandomTermSpec, ResponseSpec } from './types';

/** Options of buildModelFrame. */
export interface BuildFrameOptions extends FrameOptions {
  /** Throw ModelSpecError when the formula has no random-effects term (default true). */
  requireRandom?: boolean;
  /** Further columns (e.g. weights, offset) whose missing values also drop rows. */
  keepColumns?: readonly string[];
  /** Accepted for compatibility and ignored; use keepColumns + numericColumn. */
  extraColumns?: Record<string, string>;
}

/** A variable evaluated over all rows, with what to call it in messages. */
interface Evaluated {
  label: string;
  /** Column to name in DataError (the column itself, or the only column of an expression). */
  column: string | undefined;
  value: Value | RawColumn;
}

function columnOfNode(node: Node): string | undefined {
  const u = unparen(node);
  if (u.type === 'name') return u.name;
  const cols = columnsOf(node);
  return cols.length === 1 ? cols[0] : undefined;
}

function markMissing(e: Evaluated, missing: Uint8Array): number {
  let count = 0;
  const mark = (i: number): void => {
    if (!missing[i]) count++;
    missing[i] = 1;
  };
  const v = e.value;
  if (v.kind === 'numeric') {
    v.values.forEach((x, i) => Number.isNaN(x) && mark(i));
  } else if (v.kind === 'factor') {
    v.factor.codes.forEach((c, i) => c < 0 && mark(i));
  } else if (v.kind === 'matrix') {
    for (const col of v.columns) col.forEach((x, i) => Number.isNaN(x) && mark(i));
  } else {
    v.values.forEach((x, i) => x === null && mark(i));
  }
  return count;
}

function checkFinite(e: Evaluated, rows: Int32Array): void {
  const v = e.value;
  const cols = v.kind === 'numeric' ? [v.values] : v.kind === 'matrix' ? v.columns : [];
  for (const col of cols) {
    for (let i = 0; i < rows.length; i++) {
      const x = col[rows[i]];
      if (!Number.isFinite(x)) {
        const where =
          e.column !== undefined && e.column !== e.label ? ` (column '${e.column}')` : '';
        throw new DataError(
          `non-finite value ${x > 0 ? 'Inf' : '-Inf'} in '${e.label}'${where} at row ${rows[i] + 1}`,
          e.column ?? e.label,
          rows[i] + 1,
        );
      }
    }
  }
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

function frameValue(v: Value, label: string, rows: Int32Array): FrameValue {
  if (v.kind === 'numeric') return { kind: 'numeric', values: pick(v.values, rows) };
  if (v.kind === 'factor') return { kind: 'factor', factor: subsetFactor(v.factor, rows) };
  throw new ModelSpecError(`'${label}' has several columns and cannot be a model term`, label);
}

function groupingFactor(node: Node, ctx: EvalContext): Factor {
  const v = evaluate(node, ctx);
  const name = deparse(node);
  if (v.kind === 'factor') return v.factor;
  if (v.kind === 'numeric') {
    return makeFactor(
      { kind: 'numeric', values: v.values },
      name,
      ownEntry(ctx.options.levels, name),
    );
  }
  throw new ModelSpecError(`grouping factor '${name}' must be a single column`, name);
}

function buildResponse(terms: ModelTerms, v: Value, rows: Int32Array): ResponseSpec {
  const name = terms.responseName as string;
  const column = columnOfNode(terms.response as Node);
  const n = rows.length;
  if (v.kind === 'numeric') {
    return { name, y: pick(v.values, rows), trials: null, kind: 'numeric', levels: null };
  }
  if (v.kind === 'factor') {
    const f = subsetFactor(v.factor, rows);
    if (f.levels.length > 2) {
      throw new DataError(
        `response '${name}' is categorical with ${f.levels.length} levels (${f.levels
          .slice(0, 5)
          .join(
            ', ',
          )}${f.levels.length > 5 ? ', ...' : ''}); it must be numeric or have two levels`,
        column ?? name,
      );
    }
    return { name, y: Float64Array.from(f.codes), trials: null, kind: 'factor', levels: f.levels };
  }
  if (v.columns.length !== 2) {
    throw new ModelSpecError(
      `a cbind() response needs exactly two columns (successes, failures); got ${v.columns.length}`,
      name,
    );
  }
  const s = pick(v.columns[0], rows);
  const f = pick(v.columns[1], rows);
  const y = new Float64Array(n);
  const trials = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (s[i] < 0 || f[i] < 0) {
      throw new DataError(
        `negative count in response '${name}' at row ${rows[i] + 1} (${v.names[s[i] < 0 ? 0 : 1]} = ${
          s[i] < 0 ? s[i] : f[i]
        })`,
        column ?? name,
        rows[i] + 1,
      );
    }
    trials[i] = s[i] + f[i];
    y[i] = trials[i] === 0 ? 0 : s[i] / trials[i];
  }
  return { name, y, trials, kind: 'cbind', levels: null };
}

function columnMajor(columns: Float64Array[], n: number): Float64Array {
  const X = new Float64Array(n * columns.length);
  columns.forEach((c, j) => X.set(c, j * n));
  return X;
}

function evaluateTermSet(set: TermSet, ctx: EvalContext, sink: Evaluated[]): Value[] {
  return set.variables.map((v) => {
    const value = evaluateTermVariable(v.node, v.name, ctx);
    sink.push({ label: v.name, column: columnOfNode(v.node), value });
    return value;
  });
}

/**
 * Evaluates an lme4 formula on the data. Throws FormulaSyntaxError, ModelSpecError,
 * UnknownColumnError or DataError naming the position / term / column at fault.
 */
export function buildModelFrame(
  formula: string,
  data: DataInput,
  options: BuildFrameOptions = {},
): ModelFrame {
  const ast = parseFormula(formula);
  const terms = expandTerms(ast);
  if (terms.response === null) {
    throw new ModelSpecError('the formula has no response (left-hand side of ~)', formula);
  }
  if ((options.requireRandom ?? true) && terms.random.length === 0) {
    throw new ModelSpecError('no random effects terms specified in formula', deparse(ast.rhs));
  }
  const table = makeTable(data);
  // before any column is looked up: "unknown column 'y' (the data have: )" would hide this
  if (table.nRows === 0) throw new DataError('the data have no rows');
  checkFrameOptions(table, options, factorCalls(ast));
  const ctx = makeEvalContext(table, options);
  const used: Evaluated[] = [];

  const responseValue = evaluate(terms.response, ctx);
  used.push({
    label: terms.responseName as string,
    column: columnOfNode(terms.response),
    value: responseValue,
  });
  const fixedValues = evaluateTermSet(terms.fixed, ctx, used);
  const offsetValues = terms.offsets.map((o) => {
    const values = evaluateNumeric(o, ctx, `offset(${deparse(o)})`);
    used.push({
      label: `offset(${deparse(o)})`,
      column: columnOfNode(o),
      value: { kind: 'numeric', values },
    });
    return values;
  });
  const randomValues = terms.random.map((def) => ({
    lhs: evaluateTermSet(def.lhs, ctx, used),
    groups: def.groupParts.map((g) => {
      const f = groupingFactor(g, ctx);
      used.push({
        label: deparse(g),
        column: columnOfNode(g),
        value: { kind: 'factor', factor: f },
      });
      return f;
    }),
  }));
  for (const name of options.keepColumns ?? []) {
    used.push({ label: name, column: name, value: table.column(name) });
  }

  // Rows with a missing value in any used variable are dropped (na.omit).
  const missing = new Uint8Array(table.nRows);
  const naCounts = used.map((e) => ({ label: e.label, count: markMissing(e, missing) }));
  const kept: number[] = [];
  for (let i = 0; i < table.nRows; i++) if (!missing[i]) kept.push(i);
  const rows = Int32Array.from(kept);
  const n = rows.length;
  if (n === 0) {
    const culprits = naCounts.filter((c) => c.count > 0).map((c) => `'${c.label}'`);
    throw new DataError(
      table.nRows === 0
        ? 'the data have no rows'
        : `all ${table.nRows} rows have a missing value in a variable the model uses (${culprits.join(', ')})`,
      culprits.length === 1 ? culprits[0].slice(1, -1) : undefined,
    );
  }
  for (const e of used) checkFinite(e, rows);

  const response = buildResponse(terms, responseValue, rows);

  const fixedFrame = fixedValues.map((v, k) => frameValue(v, terms.fixed.variables[k].name, rows));
  const factorLevels: Record<string, string[]> = {};
  const contrasts: Record<string, 'contr.treatment'> = {};
  fixedFrame.forEach((v, k) => {
    if (v.kind !== 'factor') return;
    const name = terms.fixed.variables[k].name;
    factorLevels[name] = [...v.factor.levels];
    contrasts[name] = 'contr.treatment';
  });
  const mm = modelMatrix(terms.fixed, fixedFrame, n);
  const { keep, drop } = rankKeep(mm.columns);
  const messages = [...new Set(ctx.warnings)];
  if (drop.length > 0) {
    messages.push(
      `fixed-effect model matrix is rank deficient so dropping ${drop.length} ${
        drop.length === 1 ? 'column / coefficient' : 'columns / coefficients'
      }`,
    );
  }

  let offset: Float64Array | null = null;
  if (offsetValues.length > 0) {
    offset = new Float64Array(n);
    for (const o of offsetValues) for (let i = 0; i < n; i++) offset[i] += o[rows[i]];
  }

  const randomTerms: RandomTermSpec[] = terms.random.map((def, t) => {
    const g = interactFactors(randomValues[t].groups.map((f) => subsetFactor(f, rows)));
    const lhs = randomValues[t].lhs.map((v, k) => frameValue(v, def.lhs.variables[k].name, rows));
    lhs.forEach((v, k) => {
      if (v.kind === 'factor') factorLevels[def.lhs.variables[k].name] = [...v.factor.levels];
    });
    const zm = modelMatrix(def.lhs, lhs, n);
    const v = zm.columns.length;
    const z = new Float64Array(n * v);
    for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) z[i * v + c] = zm.columns[c][i];
    return {
      group: def.groupName,
      levels: g.levels,
      refs: g.codes,
      colNames: zm.names,
      v,
      z,
      source: def.source,
    };
  });

  const schema: FrameSchema = {
    formula,
    options: {
      ...(options.factors ? { factors: [...options.factors] } : {}),
      ...(options.levels ? { levels: { ...options.levels } } : {}),
    },
    factorLevels,
    contrasts,
    scalings: { ...ctx.scalings },
    allColumns: [...mm.names],
    kept: [...keep],
    assign: keep.map((j) => mm.assign[j]),
    termLabels: [...terms.fixed.labels],
    random: randomTerms.map((t) => ({
      group: t.group,
      levels: [...t.levels],
      colNames: [...t.colNames],
      source: t.source,
    })),
    covariateMeans: covariateMeans(
      table,
      [...terms.fixed.variables.map((v) => v.node), ...terms.offsets],
      rows,
    ),
  };

  return {
    formula,
    schema,
    n,
    nDropped: table.nRows - n,
    rowIndex: rows,
    response,
    X: columnMajor(
      keep.map((j) => mm.columns[j]),
      n,
    ),
    xNames: keep.map((j) => mm.names[j]),
    droppedColumns: drop.map((j) => mm.names[j]),
    offset,
    randomTerms,
    messages,
  };
}

/**
 * A numeric column (e.g. weights) for the kept rows of a frame (`frame.rowIndex`); pass the same
 * name in `keepColumns` so that its missing values were dropped with the rest.
 */
export function numericColumn(data: DataInput, name: string, rowIndex: Int32Array): Float64Array {
  const col = makeTable(data).column(name);
  if (col.kind !== 'numeric') {
    throw new DataError(`column '${name}' must be numeric`, name);
  }
  const out = new Float64Array(rowIndex.length);
  for (let i = 0; i < rowIndex.length; i++) {
    const r = rowIndex[i];
    if (r < 0 || r >= col.values.length) {
      throw new DataError(
        `row ${r + 1} is outside column '${name}' (${col.values.length} rows)`,
        name,
      );
    }
    const x = col.values[r];
    if (Number.isNaN(x))
      throw new DataError(`column '${name}' has a missing value at row ${r + 1}`, name, r + 1);
    if (!Number.isFinite(x)) {
      throw new DataError(
        `non-finite value ${x > 0 ? 'Inf' : '-Inf'} in column '${name}' at row ${r + 1}`,
        name,
        r + 1,
      );
    }
    out[i] = x;
  }
  return out;
}

/**
 * lme4's grouping-factor checks. Both kinds: each grouping factor needs at least 2 levels.
 * 'lmm' also: fewer levels than observations, and fewer random effects per term than
 * observations (lmer's check.nobs.vs.nlev / check.nobs.vs.nRE defaults); glmer allows nlevels == n.
 */
export function checkGroupingFactors(frame: ModelFrame, kind: 'lmm' | 'glmm'): void {
  const groups = new Map<string, number>();
  for (const t of frame.randomTerms) groups.set(t.group, t.levels.length);
  const single = [...groups].filter(([, L]) => L < 2).map(([g]) => g);
  if (single.length > 0) {
    throw new ModelSpecError(
      `grouping factors must have > 1 sampled level (problems: ${single.join(', ')})`,
      single.join(', '),
    );
  }
  if (kind === 'lmm') {
    const many = [...groups].filter(([, L]) => L >= frame.n).map(([g]) => g);
    if (many.length > 0) {
      throw new ModelSpecError(
        `number of levels of each grouping factor must be < number of observations (problems: ${many.join(', ')})`,
        many.join(', '),
      );
    }
    for (const t of frame.randomTerms) {
      const q = t.levels.length * t.v;
      if (q >= frame.n) {
        throw new ModelSpecError(
          `number of observations (=${frame.n}) <= number of random effects (=${q}) for term ${t.source}; the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable`,
          t.source,
        );
      }
    }
  }
}

/** The `factor(...)` / `as.factor(...)` calls of a formula, deparsed (the keys `levels` may use). */
function factorCalls(ast: { lhs: Node | null; rhs: Node }): string[] {
  const out = new Set<string>();
  const collect = (n: Node): void => {
    if (n.type === 'call' && (n.fn === 'factor' || n.fn === 'as.factor')) out.add(deparse(n));
  };
  if (ast.lhs) forEachNode(ast.lhs, collect);
  forEachNode(ast.rhs, collect);
  return [...out];
}

/**
 * `factors` and `levels` must name columns of the data; `levels` may also name a factor() call
 * of the formula (a misspelt one would be ignored without a word).
 */
function checkFrameOptions(table: Table, options: FrameOptions, calls: readonly string[]): void {
  if (options.factors !== undefined) {
    if (!Array.isArray(options.factors) || options.factors.some((f) => typeof f !== 'string')) {
      throw new OptionError('must be an array of column names', 'factors');
    }
    for (const name of options.factors) {
      if (!table.has(name)) {
        throw new OptionError(
          `names no column of the data: '${name}'${didYouMean(name, table.names)}`,
          'factors',
        );
      }
    }
  }
  if (options.levels !== undefined) {
    if (
      options.levels === null ||
      typeof options.levels !== 'object' ||
      Array.isArray(options.levels)
    ) {
      throw new OptionError('must be an object { column: [levels...] }', 'levels');
    }
    for (const [name, levels] of Object.entries(options.levels)) {
      if (
        !Array.isArray(levels) ||
        levels.some((l) => typeof l !== 'string' && typeof l !== 'number')
      ) {
        throw new OptionError(`levels of '${name}' must be an array of labels`, 'levels');
      }
      if (name.includes('(') ? !calls.includes(name) : !table.has(name)) {
        const what = name.includes('(') ? 'factor() call of the formula' : 'column of the data';
        throw new OptionError(
          `names no ${what}: '${name}'${didYouMean(name, name.includes('(') ? calls : table.names)}`,
          'levels',
        );
      }
    }
  }
}
