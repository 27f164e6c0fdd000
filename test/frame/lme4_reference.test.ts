import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/frame/csv';
import { buildModelFrame } from '../../src/frame/modelframe';

/** X, Z, levels and responses from lme4::lFormula (fixtures/mm_ref.R) on fixtures/mm_data.csv. */
interface Ref {
  formula: string[];
  n: number[];
  xnames: string[];
  X: number[];
  dropped: string[];
  groups: string[];
  cnms: string[][];
  levels: string[][];
  Zt: Record<string, number[]>;
  offset?: number[];
  resp: number[];
  rows: number[];
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const data = parseCsv(readFileSync(join(dir, 'mm_data.csv'), 'utf8'));
const refs = JSON.parse(readFileSync(join(dir, 'mm_ref.json'), 'utf8')) as Ref[];

describe('model frames agree with lme4::lFormula', () => {
  for (const ref of refs) {
    const formula = ref.formula[0];
    it(formula, () => {
      const fr = buildModelFrame(formula, data);
      const n = ref.n[0];
      expect(fr.n).toBe(n);
      expect(Array.from(fr.rowIndex, (r) => r + 1)).toEqual(ref.rows);
      expect(fr.xNames).toEqual(ref.xnames);
      expect(fr.droppedColumns).toEqual(ref.dropped);
      expect(Array.from(fr.X).length).toBe(ref.X.length);
      fr.X.forEach((v, i) => expect(v).toBeCloseTo(ref.X[i], 10));
      // lme4 sorts the terms by decreasing number of levels (rev(order(nl)) when any increase).
      let terms = fr.randomTerms;
      const nl = terms.map((t) => t.levels.length);
      if (nl.some((l, i) => i > 0 && l > nl[i - 1])) {
        const order = nl.map((l, i) => ({ l, i })).sort((a, b) => a.l - b.l || a.i - b.i);
        terms = order.reverse().map((o) => terms[o.i]);
      }
      expect(terms.map((t) => t.group)).toEqual(ref.groups);
      expect(terms.map((t) => t.colNames)).toEqual(ref.cnms);
      expect(terms.map((t) => t.levels)).toEqual(ref.levels);
      const zts = Object.values(ref.Zt);
      terms.forEach((t, k) => {
        // Zt is (levels*v) x n, column-major; row index = level*v + c.
        const q = t.levels.length * t.v;
        const zt = zts[k];
        expect(zt.length).toBe(q * n);
        for (let i = 0; i < n; i++) {
          for (let r = 0; r < q; r++) {
            const level = Math.floor(r / t.v);
            const c = r % t.v;
            const mine = t.refs[i] === level ? t.z[i * t.v + c] : 0;
            expect(mine).toBeCloseTo(zt[i * q + r], 10);
          }
        }
      });
      if (Array.isArray(ref.offset)) {
        expect(fr.offset).not.toBeNull();
        fr.offset!.forEach((v, i) => expect(v).toBeCloseTo(ref.offset![i], 10));
      } else expect(fr.offset).toBeNull();
      if (fr.response.kind === 'cbind') {
        const s = ref.resp.slice(0, n);
        const f = ref.resp.slice(n);
        fr.response.trials!.forEach((t, i) => expect(t).toBeCloseTo(s[i] + f[i], 10));
        fr.response.y.forEach((y, i) => expect(y).toBeCloseTo(s[i] / (s[i] + f[i]), 10));
      } else {
        // a factor response comes back from R as 1-based codes
        const shift = fr.response.kind === 'factor' ? 1 : 0;
        fr.response.y.forEach((y, i) => expect(y + shift).toBeCloseTo(ref.resp[i], 10));
      }
    });
  }
});
