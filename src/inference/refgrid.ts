/**
 * The reference grid of a fit, as emmeans' ref_grid for merMod fits: every combination of the
 * levels of the factors in the fixed-effects terms and of the covariate values (numeric
 * covariates at their means over the rows used, unless `at` fixes them), with the model-matrix
 * row of each combination rebuilt through the frame schema (training factor levels and
 * contrasts, `scale()` centres, interactions, the kept columns) — so `log(x)`, `I(x^2)` and
 * `scale(x)` are evaluated at the covariate's value, as emmeans does.
 */
import { ModelSpecError, OptionError } from '../errors';
import { parseFormula, unparen, type Node } from '../formula/parse';
import { expandTerms } from '../formula/terms';
import { columnsOf, ownEntry } from '../frame/eval';
import { newdataMatrices } from '../frame/newdata';
import type { FrameSchema } from '../frame/schema';

/** A value `at` may fix: one value or several (a covariate at several values, a subset of levels). */
export type AtValue = number | string | readonly (number | string)[];

/** One predictor (data column) of the grid. */
export interface GridPredictor {
  /** The data column, e.g. `period` (also for `factor(x)` and `scale(x)` terms: `x`). */
  name: string;
  kind: 'factor' | 'covariate';
  /** Its values in the grid: the level labels of a factor, the covariate's value(s). */
  labels: string[];
  /** The values written into the grid's data column (numbers for numeric columns). */
  values: (string | number)[];
}

export interface RefGrid {
  predictors: GridPredictor[];
  /** Number of grid rows: the product of the predictors' value counts (first predictor fastest). */
  n: number;
  /** Per predictor, the index of its value in each grid row. */
  index: Int32Array[];
  /** Column-major n×p model matrix of the grid (the fit's kept columns). */
  X: Float64Array;
  /** The formula's offset() terms at the grid, or null. */
  offset: Float64Array | null;
}

/** The predictors of the fixed-effects terms, in order of first appearance (as all.vars). */
export function collectPredictors(schema: FrameSchema): GridPredictor[] {
  const terms = expandTerms(parseFormula(schema.formula));
  const means = schema.covariateMeans;
  if (means === undefined) {
    throw new ModelSpecError(
      'this fit has no covariate means in its schema (made by an older version)',
    );
  }
  const out: GridPredictor[] = [];
  const seen = new Set<string>();
  const add = (p: GridPredictor): void => {
    if (seen.has(p.name)) return;
    seen.add(p.name);
    out.push(p);
  };
  const covariate = (col: string): void => {
    const m = ownEntry(means, col);
    if (m === undefined) return; // not a numeric data column
    add({ name: col, kind: 'covariate', labels: [formatValue(m)], values: [m] });
  };
  const factorFirst: GridPredictor[] = [];
  for (const v of terms.fixed.variables) {
    const levels = ownEntry(schema.factorLevels, v.name);
    if (levels === undefined) continue;
    const node = unparen(v.node);
    let col: string | null = null;
    if (node.type === 'name') col = node.name;
    else if (node.type === 'call' && (node.fn === 'factor' || node.fn === 'as.factor')) {
      const arg = node.args.length === 1 ? unparen(node.args[0]) : null;
      if (arg !== null && arg.type === 'name') col = arg.name;
    }
    if (col === null) {
      throw new ModelSpecError(
        `marginal means need factors that are data columns or factor(column); '${v.name}' is neither`,
        v.name,
      );
    }
    const numeric = ownEntry(means, col) !== undefined;
    factorFirst.push({
      name: col,
      kind: 'factor',
      labels: [...levels],
      values: levels.map((l) => (numeric ? Number(l) : l)),
    });
  }
  const factorNames = new Set(factorFirst.map((p) => p.name));
  for (const v of terms.fixed.variables) {
    if (ownEntry(schema.factorLevels, v.name) !== undefined) {
      add(factorFirst.find((p) => p.name === columnOfFactor(v.node, v.name))!);
      continue;
    }
    for (const col of columnsOf(v.node)) if (!factorNames.has(col)) covariate(col);
  }
  for (const o of terms.offsets) for (const col of columnsOf(o)) covariate(col);
  return out;
}

function columnOfFactor(node: Node, name: string): string {
  const n = unparen(node);
  if (n.type === 'name') return n.name;
  if (n.type === 'call') {
    const arg = unparen(n.args[0]);
    if (arg.type === 'name') return arg.name;
  }
  return name;
}

function formatValue(x: number): string {
  return String(Number(x.toPrecision(7)));
}

/** The reference grid, with `at` fixing predictors (a factor's levels subset, covariate values). */
export function referenceGrid(
  schema: FrameSchema,
  at: Readonly<Record<string, AtValue>> = {},
): RefGrid {
  const predictors = collectPredictors(schema);
  for (const [key, value] of Object.entries(at)) {
    const p = predictors.find((q) => q.name === key);
    if (p === undefined) {
      throw new OptionError(
        `'${key}' is not a predictor of the fixed effects (they are: ${predictors.map((q) => q.name).join(', ') || 'none'})`,
        'at',
      );
    }
    const given = Array.isArray(value) ? value : [value as number | string];
    if (given.length === 0) throw new OptionError(`at.${key} has no values`, 'at');
    if (p.kind === 'factor') {
      const idx = given.map((g) => {
        const k = p.labels.indexOf(String(g));
        if (k < 0) {
          throw new OptionError(
            `at.${key}: '${String(g)}' is not a level of '${key}' (levels: ${p.labels.join(', ')})`,
            'at',
          );
        }
        return k;
      });
      p.values = idx.map((k) => p.values[k]);
      p.labels = idx.map((k) => p.labels[k]);
    } else {
      const nums = given.map((g) => {
        if (typeof g !== 'number' || !Number.isFinite(g)) {
          throw new OptionError(`at.${key} must be finite numbers, got ${JSON.stringify(g)}`, 'at');
        }
        return g;
      });
      p.values = nums;
      p.labels = nums.map(formatValue);
    }
  }
  let n = 1;
  for (const p of predictors) n *= p.values.length;
  const index = predictors.map(() => new Int32Array(n));
  const table: Record<string, (string | number)[]> = {};
  for (const p of predictors) table[p.name] = new Array<string | number>(n);
  for (let r = 0; r < n; r++) {
    let rest = r;
    predictors.forEach((p, k) => {
      const i = rest % p.values.length;
      rest = Math.floor(rest / p.values.length);
      index[k][r] = i;
      table[p.name][r] = p.values[i];
    });
  }
  if (predictors.length === 0) table['(Intercept)'] = [1]; // newdata needs one column
  const nd = newdataMatrices(schema, table as Record<string, string[] | number[]>, false);
  return { predictors, n, index, X: nd.X, offset: nd.offset };
}
