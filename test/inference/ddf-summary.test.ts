/**
 * `fit.summary({ ddf: 'Satterthwaite' })` against lmerTest's print(summary(m)) for sleepstudy
 * (REML and ML; test/fixtures/inference/ddf/summary_sleepstudy.txt): the title lines and the
 * fixed-effects table with df and Pr(>|t|). Kenward–Roger gives a clear error until implemented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { OptionError } from '../../src/errors';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

const text = readFileSync(join(fixturesDir, 'inference', 'ddf', 'summary_sleepstudy.txt'), 'utf8');
const [reml, ml] = text.split(/(?=Linear mixed model fit by maximum likelihood)/);
const section = (s: string): string => {
  const a = s.indexOf('Fixed effects:');
  return s.slice(a, s.indexOf('\nCorrelation of Fixed Effects:', a));
};
const title = (s: string): string => s.slice(0, s.indexOf('Formula:'));

describe.each(backends)('summary with ddf (%s)', (backend) => {
  const data = loadCsv('sleepstudy.csv');
  for (const [REML, ref] of [
    [true, reml],
    [false, ml],
  ] as const) {
    it(REML ? 'REML' : 'ML', () => {
      const fit = lmerSync('Reaction ~ Days + (Days | Subject)', data, { REML, backend });
      const ours = fit.summary({ ddf: 'Satterthwaite' });
      expect(title(ours)).toBe(title(ref));
      // layout character for character; every number within 1e-3 relative (lmerTest's default
      // fit and ours differ in the optimizer's last digits: df 17.000 vs 17.001)
      const mask = (t: string): { masked: string; nums: number[] } => {
        const nums: number[] = [];
        const masked = t.replace(/\d+(?:\.\d+)?(?:e-?\d+)?/g, (d: string) => {
          nums.push(Number(d));
          return 'x'.repeat(d.length);
        });
        return { masked, nums };
      };
      const a = mask(section(ours));
      const b = mask(section(ref));
      expect(a.masked).toBe(b.masked);
      a.nums.forEach((v, i) =>
        expect(Math.abs(v - b.nums[i])).toBeLessThanOrEqual(1e-3 * Math.abs(b.nums[i]) + 1e-12),
      );
      expect(fit.summary()).not.toContain('Pr(>|t|)');
    });
  }
  it('Kenward-Roger is a clear OptionError for now', () => {
    const fit = lmerSync('Reaction ~ Days + (Days | Subject)', data, { backend });
    expect(() => fit.coefTable({ ddf: 'Kenward-Roger' })).toThrow(OptionError);
    expect(() => fit.coefTable({ ddf: 'Kenward-Roger' })).toThrow(/not implemented/);
    expect(() => fit.coefTable({ ddf: 'Satterwaite' as never })).toThrow(OptionError);
  });
});
