import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/frame/csv';
import { buildModelFrame } from '../../src/frame/modelframe';

/** Every lme4 reference fit: nobs, fixed-effect names and grouping factors (names, sizes, level order). */
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const fits = readdirSync(join(fixtures, 'fits'))
  .map((f) => JSON.parse(readFileSync(join(fixtures, 'fits', f), 'utf8')))
  .filter(
    (r) =>
      typeof r.engine === 'string' && r.engine.startsWith('lme4') && typeof r.formula === 'string',
  )
  .filter((r) => existsSync(join(fixtures, `${r.data}.csv`)));

const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Frame options (`factors`, `levels`) per fit from the shared case table (cbpp's period is numeric in the CSV). */
const cases = JSON.parse(readFileSync(join(fixtures, 'cases.json'), 'utf8')) as Record<
  string,
  { fit: string; options?: { factors?: string[]; levels?: Record<string, string[]> } }[]
>;
function frameOptions(fit: string): { factors?: string[]; levels?: Record<string, string[]> } {
  for (const list of Object.values(cases)) {
    if (!Array.isArray(list)) continue;
    const c = list.find((x) => x.fit === fit);
    if (c?.options) {
      const { factors, levels } = c.options;
      return { ...(factors ? { factors } : {}), ...(levels ? { levels } : {}) };
    }
  }
  return {};
}

describe('frames for the lme4 reference fits', () => {
  for (const ref of fits) {
    it(`${ref.name}: ${ref.formula}`, () => {
      const data = parseCsv(readFileSync(join(fixtures, `${ref.data}.csv`), 'utf8'));
      const fr = buildModelFrame(ref.formula, data, frameOptions(ref.name));
      expect(fr.n).toBe(ref.nobs);
      expect(fr.xNames).toEqual(Object.keys(ref.fixef));
      const ngrps: Record<string, number> = {};
      for (const t of fr.randomTerms) ngrps[t.group] = t.levels.length;
      expect(ngrps).toEqual(ref.ngrps);
      // ranef level labels, per grouping factor, in lme4's order
      const grpvar = asArray<string>(ref.ranef.grpvar);
      const grp = asArray<string>(ref.ranef.grp);
      const term = asArray<string>(ref.ranef.term);
      for (const t of fr.randomTerms) {
        const c = t.colNames[0];
        const expected = grp.filter((_, i) => grpvar[i] === t.group && term[i] === c);
        expect(t.levels).toEqual(expected);
      }
    });
  }
});
