/**
 * The catalogue of bad and awkward inputs: each entry is one input, run on both backends. A
 * rejected input must throw the named GlmmError subclass whose fields name the culprit (column,
 * row, term, option or formula position) and whose message matches; an accepted (awkward but
 * valid) input must give a fit with finite estimates that passes the entry's own check.
 */
import { describe, expect, it } from 'vitest';
import { glmerSync, type GlmerOptions } from '../../src/api/glmer';
import { lmerSync, type LmerOptions } from '../../src/api/lmer';
import { GlmmError } from '../../src/errors';
import type { DataInput } from '../../src/frame/types';
import type { MerFit } from '../../src/results/fit';
import { backends } from '../helpers/fixtures';

export type Backend = (typeof backends)[number];

type Ctor = abstract new (...args: never[]) => Error;

/** The fields an error names; each one given is compared with the error's own (undefined: absent). */
export interface Culprit {
  column?: string;
  row?: number;
  term?: string;
  option?: string;
  position?: number;
}

/** An input that must be refused. */
export interface Rejected {
  /** The input, in a few words (the test's name). */
  input: string;
  run: (backend: Backend) => unknown;
  error: Ctor;
  names: Culprit;
  message: (string | RegExp)[];
}

/** An awkward input that must be accepted. */
export interface Accepted {
  input: string;
  run: (backend: Backend) => MerFit;
  check: (fit: MerFit, backend: Backend) => void;
}

/**
 * A numerically hard input: either a GlmmError (a FitError that says what failed) or a fit with
 * finite estimates that passes `fitCheck` — never NaN estimates, never a TypeError.
 */
export interface Hard {
  input: string;
  run: (backend: Backend) => MerFit;
  fitCheck: (fit: MerFit, backend: Backend) => void;
}

export type Entry = Rejected | Accepted | Hard;

/** A message that leaks an internal value instead of naming the problem. */
const LEAK = /\[object \w+\]|\bundefined\b|native code/;

/** Runs `f`, which must throw `error` naming `names`, with a message matching every pattern. */
export function expectRejected(
  f: () => unknown,
  error: Ctor,
  names: Culprit,
  message: readonly (string | RegExp)[],
): GlmmError {
  let thrown: unknown;
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) {
    const fixef = (result as { fixef?: unknown } | undefined)?.fixef;
    expect.fail(`expected ${error.name}, got a result${fixef ? `: ${JSON.stringify(fixef)}` : ''}`);
  }
  const msg = thrown instanceof Error ? thrown.message : String(thrown);
  expect(thrown, msg).toBeInstanceOf(error);
  expect(thrown, msg).toBeInstanceOf(GlmmError);
  const err = thrown as GlmmError & Culprit;
  for (const key of Object.keys(names) as (keyof Culprit)[]) {
    expect(err[key], `${key} of: ${msg}`).toEqual(names[key]);
  }
  for (const p of message) {
    if (typeof p === 'string') expect(msg).toContain(p);
    else expect(msg).toMatch(p);
  }
  expect(msg).not.toMatch(LEAK);
  return err;
}

/** Finite estimates everywhere a fit reports them (logLik may be ±Inf, never NaN). */
export function expectFinite(fit: MerFit): void {
  expect(Number.isNaN(fit.logLik), 'logLik is NaN').toBe(false);
  for (const name of fit.fixefNames) {
    expect(Number.isFinite(fit.fixef[name]), `fixef ${name} = ${fit.fixef[name]}`).toBe(true);
    expect(Number.isFinite(fit.se[name]), `se ${name} = ${fit.se[name]}`).toBe(true);
  }
  fit.theta.forEach((t, i) => expect(Number.isFinite(t), `theta ${i} = ${t}`).toBe(true));
  expect(Number.isFinite(fit.sigma), `sigma = ${fit.sigma}`).toBe(true);
  expect(
    fit.fitted.every((v) => Number.isFinite(v)),
    'fitted',
  ).toBe(true);
}

/** One `describe` per file section; one `it` per entry and backend. */
export function catalogue(title: string, entries: readonly Entry[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.input)) throw new Error(`duplicate catalogue entry '${e.input}'`);
    seen.add(e.input);
  }
  describe(title, () => {
    for (const entry of entries) {
      for (const backend of backends) {
        it(`${entry.input} (${backend})`, () => {
          if ('error' in entry) {
            expectRejected(() => entry.run(backend), entry.error, entry.names, entry.message);
          } else if ('fitCheck' in entry) {
            let fit: MerFit;
            try {
              fit = entry.run(backend);
            } catch (e) {
              expect(e, String(e)).toBeInstanceOf(GlmmError);
              expect((e as Error).message).not.toMatch(LEAK);
              return;
            }
            expectFinite(fit);
            entry.fitCheck(fit, backend);
          } else {
            const fit = entry.run(backend);
            expectFinite(fit);
            entry.check(fit, backend);
          }
        });
      }
    }
  });
}

export { small } from '../helpers/small';
import { small } from '../helpers/small';

/** `small()` with some columns replaced. */
export function smallWith(changes: Record<string, unknown[]>): Record<string, unknown[]> {
  return { ...small(), ...changes };
}

/** `small()` with one value of one column replaced (0-based index). */
export function smallSet(column: string, index: number, value: unknown): Record<string, unknown[]> {
  const d: Record<string, unknown[]> = small();
  d[column] = [...(d[column] ?? d.x.map(() => null))];
  d[column][index] = value;
  return d;
}

/** The rows of a column table, as an array of row objects. */
export function rowsOf(table: Record<string, readonly unknown[]>): Record<string, unknown>[] {
  const names = Object.keys(table);
  const n = table[names[0]].length;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(names.map((k) => [k, table[k][i]])),
  );
}

/** lmerSync with deliberately untyped data and options (bad input must reach the checks). */
export const lmm = (formula: unknown, data: unknown, options: unknown, backend: Backend): MerFit =>
  lmerSync(formula as string, data as DataInput, withBackend(options, backend) as LmerOptions);

export const glmm = (formula: unknown, data: unknown, options: unknown, backend: Backend): MerFit =>
  glmerSync(formula as string, data as DataInput, withBackend(options, backend) as GlmerOptions);

function withBackend(options: unknown, backend: Backend): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  return { backend, ...options };
}

/** Relative difference, against max(|a|, |b|, floor). */
export function relDiff(a: number, b: number, floor = 0): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}
