/** The PQL references (test/fixtures/pql/pql.json) and how the tests fit them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import type { MerFit } from '../../src/results/fit';
import { fixturesDir, loadCsv } from '../helpers/fixtures';

export interface PqlRef {
  data: string;
  formula: string;
  family: string;
  link: string;
  REML: boolean;
  dispersion: 'fixed' | 'estimated';
  weights: string | Record<string, never>;
  sigma: number;
  fixef: Record<string, number>;
  se: Record<string, number>;
  re: Record<string, { terms: string | string[]; cov: number[][] }>;
}

export const pqlRefs = JSON.parse(
  readFileSync(join(fixturesDir, 'pql', 'pql.json'), 'utf8'),
) as Record<string, PqlRef>;

/** |a − b| ≤ rel |b| + abs. */
export function expectClose(a: number, b: number, rel: number, abs: number, what: string): void {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.abs(b) + abs);
}

export function fitRef(ref: PqlRef, backend: 'wasm' | 'js'): MerFit {
  const data = loadCsv(ref.data);
  return glmerSync(ref.formula, data, {
    family: ref.family,
    link: ref.link,
    method: 'PQL',
    dispersion: ref.dispersion,
    REML: ref.REML,
    backend,
    ...(ref.data === 'cbpp.csv' ? { factors: ['period'] } : {}),
    ...(typeof ref.weights === 'string' ? { weights: ref.weights } : {}),
  });
}
