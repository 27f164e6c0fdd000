/** Parsers for CLI option values; each throws commander's InvalidArgumentError on bad input. */
import { InvalidArgumentError } from 'commander';

/** `a,b,c` -> ['a', 'b', 'c'] (empty items dropped). */
export function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** Accumulates repeated `--levels col=a,b,c` into `{col: ['a', 'b', 'c']}`. */
export function collectLevels(
  value: string,
  previous: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const eq = value.indexOf('=');
  if (eq <= 0)
    throw new InvalidArgumentError('expected COLUMN=LEVEL1,LEVEL2,... (e.g. trt=placebo,drug)');
  const col = value.slice(0, eq).trim();
  const levels = parseList(value.slice(eq + 1));
  return { ...(previous ?? {}), [col]: levels };
}

/** A non-negative integer (e.g. `--nAGQ 25`). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new InvalidArgumentError('expected a non-negative integer');
  }
  return Number(value);
}
