/**
 * `fitMany(formula, data, {responses})`: one mixed model fitted to many responses (genes,
 * taxa, voxels, items) on the same design. Each worker builds the model once — the
 * cross-products of X and Z — and every response is a refit that recomputes only the parts
 * that involve y (MerFit.refit). A response with missing values where the model has rows is
 * fitted on its own with those rows dropped, as lme4 would. Results in input order; one
 * response's error is its result and the others go on.
 */
import { DataError, OptionError } from '../errors';
import { makeTable, type RawColumn, type Table } from '../frame/table';
import type { Column, DataInput } from '../frame/types';
import type { BootSummary } from '../inference/bootsummary';
import type { FitSpec } from '../inference/fitspec';
import { checkWorkerCount } from './fitmany-specs';
import { InOrder } from './ordered';
import { runOnPool } from './pool';
import { REFITS_JOB, type RefitItem, type RefitsPayload } from './refits';
import { fromWireError } from './wire-error';

/** One response's result: its estimates (as a bootstrap replicate's) or its error. */
export type ResponseFit =
  | ({ response: string; ok: true } & BootSummary)
  | { response: string; ok: false; error: Error };

export interface ResponsesOptions {
  /** Column names of `data`, or one array per response with a value per data row (NaN = missing). */
  responses: readonly string[] | readonly ArrayLike<number>[];
  /** Worker threads (default 2; at most one per chunk of responses). */
  workers?: number;
  /** Responses per request to a worker (default: a few requests per worker, at most 256). */
  chunkSize?: number;
  onProgress?: (p: { completed: number; total: number }) => void;
  /** Called with each response's result as soon as it and all before it are done. */
  onResult?: (index: number, result: ResponseFit) => void;
  signal?: AbortSignal;
  /** Everything else is an lmer option (or a glmer one when `family` is given). */
  [option: string]: unknown;
}

let designCount = 0;

const OWN = ['responses', 'workers', 'chunkSize', 'onProgress', 'onResult', 'signal'];

/** The data as columns (a shallow copy: the caller's table is not touched). */
function columnTable(data: DataInput, table: Table): Record<string, unknown> {
  if (!Array.isArray(data)) return { ...(data as Record<string, unknown>) };
  return Object.fromEntries(table.names.map((nm) => [nm, table.column(nm).values]));
}

/**
 * A response as numbers per data row (missing → NaN), read as the model frame reads columns
 * (src/frame/table.ts); one that is not numeric is a DataError.
 */
function responseValues(column: RawColumn, name: string, n: number): Float64Array {
  if (column.values.length !== n) {
    throw new DataError(
      `response '${name}' has ${column.values.length} values, the data ${n} rows`,
      name,
    );
  }
  if (column.kind !== 'numeric') {
    const why = column.kind === 'string' && column.mixed ? `: ${column.mixed}` : '';
    throw new DataError(`response '${name}' is not numeric${why}`, name);
  }
  return column.values;
}

/** The formula's right-hand side with `lhs` as its response ("~ x + (1|g)" or "y ~ ..."). */
function withResponse(formula: string, lhs: string): string {
  const at = formula.indexOf('~');
  if (at < 0) throw new OptionError("needs a '~' (e.g. '~ x + (1 | g)')", 'formula');
  return `${lhs} ${formula.slice(at)}`;
}

export async function fitManyResponses(
  formula: string,
  data: DataInput,
  options: ResponsesOptions,
): Promise<ResponseFit[]> {
  if (typeof formula !== 'string') throw new OptionError('must be a string', 'formula');
  if (data === null || typeof data !== 'object') throw new OptionError('must be a table', 'data');
  const { responses } = options;
  if (!Array.isArray(responses) || responses.length === 0) {
    throw new OptionError(
      'must be a non-empty array of column names or of value arrays',
      'responses',
    );
  }
  const workers = checkWorkerCount(options.workers);
  const rows = makeTable(data);
  const table = columnTable(data, rows);
  const n = rows.nRows;
  const names = responses.map((r, i) => (typeof r === 'string' ? r : `response${i + 1}`));
  // a response that is not numbers is its own error; an unknown column is the caller's mistake
  const ys: (Float64Array | Error)[] = responses.map((r, i) => {
    if (typeof r === 'string') {
      if (!rows.has(r)) throw new DataError(`unknown response column '${r}'`, r);
    } else if (
      r === null ||
      typeof r !== 'object' ||
      typeof (r as ArrayLike<number>).length !== 'number'
    ) {
      throw new OptionError(`item ${i + 1} is neither a column name nor an array`, 'responses');
    }
    try {
      const column =
        typeof r === 'string'
          ? rows.column(r)
          : makeTable({ [names[i]]: r as Column }).column(names[i]);
      return responseValues(column, names[i], n);
    } catch (e) {
      return e as Error;
    }
  });
  // the design is built once with a complete response (the first numeric one, missing values
  // filled by its mean): only the design matters, every response is then a refit
  let lhs = '.response';
  while (lhs in table) lhs = `.${lhs}`;
  const first = ys.find((y): y is Float64Array => !(y instanceof Error));
  if (!first) throw ys[0] as Error;
  const base = Float64Array.from(first);
  const finite = base.filter(Number.isFinite);
  if (finite.length === 0)
    throw new DataError(`response '${names[ys.indexOf(first)]}' has no values`);
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  base.forEach((v, i) => (base[i] = Number.isFinite(v) ? v : mean));
  const modelOptions = Object.fromEntries(
    Object.entries(options).filter(([k, v]) => !OWN.includes(k) && typeof v !== 'function'),
  );
  const spec: FitSpec = {
    kind: 'family' in modelOptions ? 'glmer' : 'lmer',
    formula: withResponse(formula, lhs),
    data: { ...table, [lhs]: base } as DataInput,
    options: modelOptions,
  };
  const total = ys.length;
  const chunk = options.chunkSize ?? Math.max(1, Math.min(256, Math.ceil(total / (workers * 4))));
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new OptionError('must be a positive integer', 'chunkSize');
  }
  const out = new InOrder<ResponseFit>(total, options.onResult);
  const fitted: number[] = [];
  ys.forEach((y, index) => {
    if (y instanceof Error) out.put(index, { response: names[index], ok: false, error: y });
    else fitted.push(index);
  });
  const chunks: number[][] = [];
  for (let s = 0; s < fitted.length; s += chunk) chunks.push(fitted.slice(s, s + chunk));
  // the worker keeps the model of the last design key it saw: one build per worker and call
  const key = `fitmany-${++designCount}`;
  const outcomes = await runOnPool(
    chunks.length,
    (c) => {
      const jobs = chunks[c].map((index) => ({
        index,
        y: Float64Array.from(ys[index] as Float64Array),
      }));
      const payload: RefitsPayload = { key, spec, responseColumn: lhs, jobs };
      return {
        // the spec's data are cloned (the caller's table is shared by every task)
        body: { type: 'job', kind: REFITS_JOB, payload },
        transfer: jobs.map((j) => j.y.buffer),
        listeners: {
          onItem: (index: number, item: unknown) => {
            const r = item as RefitItem;
            const response = names[index];
            out.put(
              index,
              r.ok
                ? { response, ok: true, ...r.summary }
                : { response, ok: false, error: fromWireError(r.error) },
            );
            options.onProgress?.({ completed: out.completed, total });
          },
        },
      };
    },
    { workers, signal: options.signal },
  );
  // a chunk whose worker failed as a whole: its responses get that error
  outcomes.forEach((o, c) => {
    if (o.ok) return;
    for (const index of chunks[c]) {
      if (out.items[index] === undefined) {
        out.put(index, { response: names[index], ok: false, error: o.error });
      }
    }
  });
  return out.items;
}
