/** Loading test fixtures (CSV data, lme4 reference fits) and the shared case table. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/frame/csv';
import type { DataInput } from '../../src/frame/types';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function loadCsv(file: string): DataInput {
  return parseCsv(readFileSync(join(fixturesDir, file), 'utf8')) as DataInput;
}

/** An lme4 reference fit as written by make-reference.R (jsonlite auto_unbox: length-1 arrays are scalars). */
export interface RefFit {
  name: string;
  formula: string;
  REML: boolean;
  nobs: number;
  ngrps: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  theta: number | number[];
  sigma: number;
  logLik: number;
  df: number;
  AIC: number;
  BIC: number;
  df_resid: number;
  singular: boolean;
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  ranef: {
    grpvar: string[] | string;
    term: string[] | string;
    grp: string[] | string;
    condval: number[] | number;
    condsd: number[] | number;
  };
  fitted_head: number[];
  [key: string]: unknown;
}

export function loadRef(name: string, dir = 'fits'): RefFit {
  return JSON.parse(readFileSync(join(fixturesDir, dir, `${name}.json`), 'utf8')) as RefFit;
}

export const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

export interface Case {
  fit: string;
  /** lme4's nAGQ > 1 logLik omits the saturated log-likelihood; ours includes it. */
  logLikAddsSaturated?: boolean;
  data: string;
  formula: string;
  options: Record<string, unknown>;
  /** Folder of the reference JSON relative to test/fixtures (default 'fits'). */
  refDir?: string;
  /** 'lmm' (lmer) or 'glmm' (glmer); implied by the table for the 'lmm' and 'glmm' keys. */
  kind?: 'lmm' | 'glmm';
  /** Columns computed from others before fitting: name -> [a, '/', b] (e.g. p = k / n). */
  derive?: Record<string, [string, '/', string]>;
}

export function loadCases(kind: 'lmm' | 'glmm' | 'extra' | 'weights'): Case[] {
  const table = JSON.parse(readFileSync(join(fixturesDir, 'cases.json'), 'utf8')) as Record<
    string,
    Case[]
  >;
  return table[kind] ?? [];
}

/** The backends every numerical suite runs on. */
export const backends = ['wasm', 'js'] as const;

/** A case's data: its CSV plus the `derive`d columns (a new column table; the CSV cache is not shared). */
export function loadCaseData(c: Case): DataInput {
  const data = loadCsv(c.data) as Record<string, unknown[]>;
  for (const [name, [a, op, b]] of Object.entries(c.derive ?? {})) {
    if (op !== '/') throw new Error(`derive ${name}: unsupported operator ${op}`);
    const x = Array.from(data[a] as ArrayLike<number>);
    const y = Array.from(data[b] as ArrayLike<number>);
    data[name] = x.map((v, i) => v / y[i]);
  }
  return data as DataInput;
}
