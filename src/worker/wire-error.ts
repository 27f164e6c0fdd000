/**
 * Errors across a worker boundary. Structured clone keeps only an Error's message (and, in some
 * engines, not even its class), so an error crosses as its name, message, stack and own fields
 * (`position`, `term`, `column`, `row`, `option`, ...) and is revived on the main side as the same
 * class from src/errors.ts, with the same message, without re-running its constructor (which
 * would format the message again).
 */
import * as errors from '../errors';

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own enumerable fields with cloneable values (e.g. `{ column: 'x', row: 3 }`). */
  fields: Record<string, string | number | boolean | null>;
}

/** An error thrown in a worker, as a cloneable record. */
export function toWireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  const fields: WireError['fields'] = {};
  for (const [key, value] of Object.entries(e)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    const t = typeof value;
    if (value === null || t === 'string' || t === 'number' || t === 'boolean') {
      fields[key] = value as string | number | boolean | null;
    }
  }
  return { name: e.name, message: e.message, stack: e.stack, fields };
}

/** The error classes a worker's error can come back as, by name. */
const CLASSES: Record<string, new (...args: never[]) => Error> = {
  GlmmError: errors.GlmmError,
  FormulaSyntaxError: errors.FormulaSyntaxError,
  ModelSpecError: errors.ModelSpecError,
  DataError: errors.DataError,
  UnknownColumnError: errors.UnknownColumnError,
  OptionError: errors.OptionError,
  FitError: errors.FitError,
  TypeError,
  RangeError,
  SyntaxError,
  Error,
};

/** The error to throw on the main side: same class (Error for unknown names), message and fields. */
export function fromWireError(w: WireError): Error {
  const Class = CLASSES[w.name] ?? Error;
  const e = Object.create(Class.prototype) as Error;
  Object.defineProperty(e, 'message', { value: w.message, writable: true, configurable: true });
  // GlmmError keeps its name as an own field; the built-in classes have it on the prototype
  if (Class.prototype.name !== w.name || w.name in errors) {
    Object.defineProperty(e, 'name', {
      value: w.name,
      writable: true,
      enumerable: w.name in errors,
      configurable: true,
    });
  }
  Object.assign(e, w.fields);
  const here = new Error().stack?.split('\n').slice(1).join('\n') ?? '';
  const there = w.stack ?? `${w.name}: ${w.message}`;
  Object.defineProperty(e, 'stack', {
    value: `${there}\n    --- rethrown from a worker ---\n${here}`,
    writable: true,
    configurable: true,
  });
  return e;
}
