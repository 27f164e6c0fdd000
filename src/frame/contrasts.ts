/**
 * Contrast coding of a factor. Only R's default for unordered factors, contr.treatment, plus
 * the full indicator ("dummy") coding R's model.matrix uses where a margin is absent.
 */
import { DataError } from '../errors';
import type { Factor } from './factor';

/** The columns a factor contributes: one per entry, the indicator of level `level[j]`. */
export interface Coding {
  /** Level index indicated by each column. */
  level: number[];
  /** Column-name suffix per column (the level label, as R's contr.treatment names them). */
  names: string[];
}

/** contr.treatment: indicators of levels 2..k (the first level is the reference). */
export function treatmentCoding(f: Factor, variable: string): Coding {
  if (f.levels.length < 2) {
    throw new DataError(
      `contrasts can be applied only to factors with 2 or more levels: '${variable}' has only ${
        f.levels.length === 1 ? `the level '${f.levels[0]}'` : 'no levels'
      } in the rows used`,
      variable,
    );
  }
  const level = f.levels.map((_, k) => k).slice(1);
  return { level, names: level.map((k) => f.levels[k]) };
}

/** Full indicator coding: one column per level. */
export function dummyCoding(f: Factor): Coding {
  return { level: f.levels.map((_, k) => k), names: [...f.levels] };
}

/** Column `j` of a coding evaluated on the factor's rows. */
export function codingColumn(f: Factor, coding: Coding, j: number): Float64Array {
  const target = coding.level[j];
  const out = new Float64Array(f.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = f.codes[i] === target ? 1 : 0;
  return out;
}
