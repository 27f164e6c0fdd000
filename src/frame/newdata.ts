/**
 * Model matrices for new data from a fitted frame's schema, as R's predict does with the terms
 * of the fit: the training factor levels and contrasts (a level not seen in training is an
 * error naming the column and row), the training centre and scale of `scale()`, the columns the
 * rank check kept, and grouping-factor levels matched by label (new levels marked -1).
 */
import { DataError, ModelSpecError } from '../errors';
import { parseFormula, deparse } from '../formula/parse';
import { expandTerms, type TermSet } from '../formula/terms';
import {
  evaluate,
  evaluateNumeric,
  evaluateTermVariable,
  makeEvalContext,
  type EvalContext,
} from './eval';
import { interactFactors, makeFactor } from './factor';
import { modelMatrix, type FrameValue } from './modelmatrix';
import type { FrameSchema } from './schema';
import { makeTable } from './table';
import type { DataInput } from './types';

/** One random-effects term evaluated on the new rows. */
export interface NewRandomTerm {
  group: string;
  /** Index into the training levels of the grouping factor per row; -1 for a new level. */
  refs: Int32Array;
  /** Labels of the new levels met (in order of first appearance). */
  newLevels: string[];
  /** Row-major n×v values of the term's columns. */
  z: Float64Array;
  v: number;
}

export interface NewdataMatrices {
  n: number;
  /** Column-major n×p fixed-effects matrix (the training frame's kept columns). */
  X: Float64Array;
  /** Sum of the formula's `offset()` terms, or null. */
  offset: Float64Array | null;
  /** Random-effects terms in formula order (empty when not requested; only those asked for). */
  random: NewRandomTerm[];
}

/** Evaluates a term set on every new row; a missing value is an error naming row and variable. */
function termValues(set: TermSet, ctx: EvalContext, n: number): FrameValue[] {
  return set.variables.map((v) => {
    const value = evaluateTermVariable(v.node, v.name, ctx);
    for (let i = 0; i < n; i++) {
      const missing =
        value.kind === 'numeric' ? !Number.isFinite(value.values[i]) : value.factor.codes[i] < 0;
      if (missing) throw missingError(v.name, i);
    }
    return value.kind === 'numeric'
      ? { kind: 'numeric', values: value.values }
      : { kind: 'factor', factor: value.factor };
  });
}

function missingError(name: string, row: number): DataError {
  return new DataError(
    `newdata row ${row + 1}: '${name}' is missing or not finite (every variable of the model is needed to predict)`,
    name,
    row + 1,
  );
}

export function newdataMatrices(
  schema: FrameSchema,
  data: DataInput,
  /** true: every random-effects term; an array: only the terms of these grouping factors. */
  withRandom: boolean | readonly string[],
): NewdataMatrices {
  const terms = expandTerms(parseFormula(schema.formula));
  const table = makeTable(data);
  const n = table.nRows;
  if (n === 0) throw new DataError('newdata has no rows');
  const ctx = makeEvalContext(table, schema.options, {
    factorLevels: schema.factorLevels,
    scalings: schema.scalings,
  });
  const mm = modelMatrix(terms.fixed, termValues(terms.fixed, ctx, n), n);
  if (mm.names.join('\u0000') !== schema.allColumns.join('\u0000')) {
    throw new ModelSpecError(
      `newdata gives the fixed-effects columns ${mm.names.join(', ')}, not the model's ${schema.allColumns.join(', ')}`,
    );
  }
  const X = new Float64Array(n * schema.kept.length);
  schema.kept.forEach((j, k) => X.set(mm.columns[j], k * n));

  let offset: Float64Array | null = null;
  for (const o of terms.offsets) {
    const values = evaluateNumeric(o, ctx, `offset(${deparse(o)})`);
    offset ??= new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(values[i])) throw missingError(`offset(${deparse(o)})`, i);
      offset[i] += values[i];
    }
  }

  const random: NewRandomTerm[] = [];
  if (withRandom !== false) {
    // Grouping factors take the new data's own labels, matched to the training levels below.
    const groupCtx = makeEvalContext(table, schema.options);
    terms.random.forEach((def, t) => {
      const trained = schema.random[t];
      if (Array.isArray(withRandom) && !withRandom.includes(trained.group)) return;
      const zm = modelMatrix(def.lhs, termValues(def.lhs, ctx, n), n);
      const v = zm.columns.length;
      const z = new Float64Array(n * v);
      for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) z[i * v + c] = zm.columns[c][i];
      const parts = def.groupParts.map((g) => {
        const value = evaluate(g, groupCtx);
        if (value.kind === 'factor') return value.factor;
        if (value.kind === 'numeric') return makeFactor(value, deparse(g));
        throw new ModelSpecError(`grouping factor '${deparse(g)}' must be a single column`);
      });
      const index = new Map(trained.levels.map((l, k) => [l, k]));
      const refs = new Int32Array(n);
      const newLevels: string[] = [];
      // the grouping factor as training built it (R's a:b labels), matched by label
      const g = interactFactors(parts);
      const toTrained = g.levels.map((label) => index.get(label) ?? -1);
      for (let i = 0; i < n; i++) {
        const c = g.codes[i];
        if (c < 0) throw missingError(def.groupName, i);
        refs[i] = toTrained[c];
        if (refs[i] < 0 && !newLevels.includes(g.levels[c])) newLevels.push(g.levels[c]);
      }
      random.push({ group: trained.group, refs, newLevels, z, v });
    });
  }
  return { n, X, offset, random };
}
