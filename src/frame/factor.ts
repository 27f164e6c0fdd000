/**
 * Categorical variables: level order as R's factor() gives it (numbers sorted numerically,
 * strings sorted by code unit, i.e. the C locale), interactions as R's `a:b`, and dropping of
 * unused levels after rows are removed.
 */
import { DataError } from '../errors';
import { formatRNumber } from '../formula/parse';
import type { RawColumn } from './table';

/** A factor: 0-based level codes, -1 for a missing value. */
export interface Factor {
  codes: Int32Array;
  levels: string[];
}

const NUMERIC_RE = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Compares strings by UTF-16 code unit (R's sort in the C locale). */
export function compareC(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Level order of the distinct labels of a string column. Labels that all look like numbers are
 * sorted numerically (R's read.csv would have read such a column as numbers, whose factor
 * levels are in numeric order: herd 1, 2, ..., 10, not 1, 10, 2).
 */
export function sortLabels(labels: string[]): string[] {
  if (labels.length > 0 && labels.every((s) => NUMERIC_RE.test(s))) {
    return [...labels].sort((a, b) => Number(a) - Number(b) || compareC(a, b));
  }
  return [...labels].sort(compareC);
}

/** Builds a factor from a column; `given` fixes the level order (first = reference level). */
export function makeFactor(col: RawColumn, name: string, given?: readonly string[]): Factor {
  const n = col.values.length;
  const labels: (string | null)[] = new Array(n);
  if (col.kind === 'numeric') {
    const label = new Map<number, string>(); // R's formatting, once per distinct value
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      if (Number.isNaN(v)) {
        labels[i] = null;
        continue;
      }
      let l = label.get(v);
      if (l === undefined) label.set(v, (l = formatRNumber(v)));
      labels[i] = l;
    }
  } else if (col.kind === 'logical') {
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      labels[i] = v === null ? null : v ? 'TRUE' : 'FALSE';
    }
  } else {
    for (let i = 0; i < n; i++) labels[i] = col.values[i];
  }
  let levels: string[];
  if (given !== undefined) {
    levels = [...given].map(String);
    if (new Set(levels).size !== levels.length) {
      throw new DataError(`the levels given for '${name}' contain duplicates`, name);
    }
  } else if (col.kind === 'numeric') {
    const distinct = [...new Set(col.values.filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    levels = distinct.map(formatRNumber);
  } else {
    const distinct = new Set<string>();
    for (const l of labels) if (l !== null) distinct.add(l);
    levels = col.kind === 'logical' ? [...distinct].sort(compareC) : sortLabels([...distinct]);
  }
  const index = new Map(levels.map((l, k) => [l, k]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === null) {
      codes[i] = -1;
      continue;
    }
    const k = index.get(l);
    if (k === undefined) {
      throw new DataError(
        `value '${l}' of column '${name}' (row ${i + 1}) is not among the levels given for it: ${levels.join(', ')}`,
        name,
        i + 1,
      );
    }
    codes[i] = k;
  }
  return { codes, levels };
}

/** The factor restricted to `rows`, with levels that no longer occur dropped (order kept). */
export function subsetFactor(f: Factor, rows: Int32Array): Factor {
  const used = new Uint8Array(f.levels.length);
  for (let i = 0; i < rows.length; i++) {
    const c = f.codes[rows[i]];
    if (c >= 0) used[c] = 1;
  }
  const map = new Int32Array(f.levels.length).fill(-1);
  const levels: string[] = [];
  for (let k = 0; k < f.levels.length; k++) {
    if (used[k]) {
      map[k] = levels.length;
      levels.push(f.levels[k]);
    }
  }
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const c = f.codes[rows[i]];
    codes[i] = c < 0 ? -1 : map[c];
  }
  return { codes, levels };
}

/**
 * R's `f1:f2:...` followed by factor(): levels `<l1>:<l2>` in lexicographic order with the first
 * factor varying slowest, only combinations that occur. Missing if any part is missing.
 */
export function interactFactors(parts: Factor[]): Factor {
  if (parts.length === 1) return parts[0];
  const n = parts[0].codes.length;
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let code = 0;
    for (const p of parts) {
      const c = p.codes[i];
      if (c < 0) {
        code = -1;
        break;
      }
      code = code * p.levels.length + c;
    }
    combined[i] = code;
  }
  const used = [...new Set(combined.filter((c) => c >= 0))].sort((a, b) => a - b);
  const index = new Map(used.map((c, k) => [c, k]));
  const levels = used.map((c) => {
    const labels: string[] = [];
    for (let j = parts.length - 1; j >= 0; j--) {
      const L = parts[j].levels.length;
      labels.unshift(parts[j].levels[c % L]);
      c = Math.floor(c / L);
    }
    return labels.join(':');
  });
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = combined[i] < 0 ? -1 : (index.get(combined[i]) as number);
  return { codes, levels };
}
