/**
 * `fit.summary({ ddf: 'Satterthwaite' })` against lmerTest's print(summary(m)) for sleepstudy
 * (REML and ML; test/fixtures/inference/ddf/summary_sleepstudy.txt): the title lines and the
 * fixed-effects table with df and Pr(>|t|). Kenward–Roger: the title and df.
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
  it("Kenward-Roger: lmerTest's title, the table with KR df; a misspelt ddf is an OptionError", () => {
    const fit = lmerSync('Reaction ~ Days + (Days | Subject)', data, { backend });
    const ours = fit.summary({ ddf: 'Kenward-Roger' });
    expect(ours).toContain("t-tests use Kenward-Roger's method");
    expect(ours).toContain('Pr(>|t|)');
    // pbkrtest: df 17 for both coefficients of this balanced design (ddf.test.ts checks values)
    for (const row of fit.coefTable({ ddf: 'Kenward-Roger' })) expect(row.df).toBeCloseTo(17, 6);
    expect(() => fit.coefTable({ ddf: 'Satterwaite' as never })).toThrow(OptionError);
  });
});
