/**
 * Checking option records the user passes (fitting options, `control`, `predict`, `update`):
 * an unknown key is an OptionError that suggests the nearest valid name, never silently ignored.
 */
import { OptionError } from './errors';

/** Edit distance (insertions, deletions, substitutions, adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The candidate closest to `name` (case-insensitive first), when it is close enough to be a typo. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase !== undefined) return exactCase;
  if (lower.length >= 3) {
    const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(lower, c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearestName(name, candidates);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}

/**
 * Throws OptionError for the first key of `options` that is not in `allowed`. `where` names the
 * record in the message (e.g. `lmer`, `control.pirls`); `hints` gives a specific message for keys
 * that belong elsewhere (e.g. `family` passed to lmer).
 */
export function checkKeys(
  options: object,
  allowed: readonly string[],
  where: string,
  hints: Record<string, string> = {},
): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const prefix = where.includes('.') ? `${where}.` : '';
    // own entries only: a key such as `constructor` must not find Object.prototype's
    if (Object.prototype.hasOwnProperty.call(hints, key)) {
      throw new OptionError(hints[key], `${prefix}${key}`);
    }
    throw new OptionError(
      `unknown option of ${where}${didYouMean(key, allowed)}; valid options: ${allowed.join(', ')}`,
      `${prefix}${key}`,
    );
  }
}

/** A plain object (not null, not an array), or an OptionError naming `name`. */
export function checkRecord(
  value: unknown,
  name: string,
): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OptionError(`must be an object, got ${describe(value)}`, name);
  }
}

export function checkBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new OptionError(`must be true or false, got ${describe(value)}`, name);
  }
}

/** A finite number in [min, max] (`integer` to require an integer). */
export function checkNumber(
  value: unknown,
  name: string,
  range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): void {
  if (value === undefined) return;
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const lo = Number.isFinite(min) ? `${exclusiveMin ? '>' : '≥'} ${min}` : '';
    const hi = Number.isFinite(max) ? `≤ ${max}` : '';
    const bounds = [lo, hi].filter(Boolean).join(' and ');
    throw new OptionError(
      `must be ${kind}${bounds ? ` ${bounds}` : ''}, got ${describe(value)}`,
      name,
    );
  }
}

/** One of the listed strings. */
export function checkChoice(value: unknown, name: string, choices: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !choices.includes(value)) {
    const hint = typeof value === 'string' ? didYouMean(value, choices) : '';
    throw new OptionError(
      `must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}${hint}`,
      name,
    );
  }
}

/** Short description of a value for messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
