/**
 * Kenward–Roger against pbkrtest 0.5.2 / lmerTest 3.1-3 / emmeans 1.8.4-1 on both backends
 * (references: test/fixtures/inference/kr/make-kr.R): the coefficient table with KR df (df within
 * 1e-3 relative, p within 1e-4 absolute), pbkrtest's vcovAdj (1e-4 relative to its largest
 * entry) and emmeans with lmer.df = "kenward-roger" (estimates, SEs, df and interval ends within
 * 1e-4 relative; pairs' p within 1e-4 absolute). Models: a random slope, crossed, nested, an own
 * design with a random slope, two factors and a second grouping factor (REML and ML, the ML one
 * refitted by REML as pbkrtest does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { coefTable, type CoefTableRow } from '../../src/inference/coeftable';
import { kenwardRoger } from '../../src/inference/kenwardroger';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

type Row = CoefTableRow;
interface EmmRef {
  term: string;
  rows: { level: string; estimate: number; se: number; df: number; lower: number; upper: number }[];
  pairs_tukey: (Omit<Row, 'term'> & { contrast: string })[];
  pairs_none: (Omit<Row, 'term'> & { contrast: string })[];
}
interface Ref {
  name: string;
  data_csv: string;
  formula: string;
  REML: boolean;
  vcov_kr: number[][];
  kr: Row[];
  emmeans: EmmRef[];
}

const names = ['sleepstudy', 'penicillin', 'pastes', 'own_slope', 'own_slope_ml'];
const refs: Ref[] = names.map((n) =>
  JSON.parse(readFileSync(join(fixturesDir, 'inference', 'kr', `${n}.json`), 'utf8')),
);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const worst = { df: 0, p: 0, emm: 0 };

describe.each(backends)('Kenward-Roger against pbkrtest, lmerTest and emmeans (%s)', (backend) => {
  for (const ref of refs) {
    it(ref.name, () => {
      const fit = lmerSync(ref.formula, loadCsv(ref.data_csv), { REML: ref.REML, backend });
      coefTable(fit, { ddf: 'Kenward-Roger' }).forEach((row, j) => {
        const r = ref.kr[j];
        expect(row.term).toBe(r.term);
        expect(rel(row.df, r.df), `${ref.name} ${row.term} df`).toBeLessThan(1e-3);
        expect(Math.abs(row.p - r.p), `${ref.name} ${row.term} p`).toBeLessThan(1e-4);
        expect(rel(row.se, r.se), `${ref.name} ${row.term} se`).toBeLessThan(1e-4);
        worst.df = Math.max(worst.df, rel(row.df, r.df));
        worst.p = Math.max(worst.p, Math.abs(row.p - r.p));
      });
      const adj = kenwardRoger(fit).vcovAdj;
      const scale = Math.max(...ref.vcov_kr.flat().map(Math.abs));
      adj.forEach((r, i) =>
        r.forEach((v, j) =>
          expect(Math.abs(v - ref.vcov_kr[i][j]) / scale, `vcovAdj[${i}][${j}]`).toBeLessThan(1e-4),
        ),
      );
      for (const e of ref.emmeans) {
        const g = fit.emmeans(e.term, { df: 'kenward-roger' });
        expect(g.rows.map((r) => r.level)).toEqual(e.rows.map((r) => r.level));
        g.rows.forEach((r, i) => {
          const t = e.rows[i];
          for (const key of ['estimate', 'se', 'df', 'lower', 'upper'] as const) {
            expect(
              rel(r[key], t[key]),
              `${ref.name} emmeans ${e.term} ${r.level} ${key}`,
            ).toBeLessThan(1e-4);
            worst.emm = Math.max(worst.emm, rel(r[key], t[key]));
          }
        });
        for (const [adjust, theirs] of [
          ['tukey', e.pairs_tukey],
          ['none', e.pairs_none],
        ] as const) {
          g.pairs({ adjust }).forEach((r, i) => {
            const t = theirs[i];
            expect(r.contrast).toBe(t.contrast);
            for (const key of ['estimate', 'se', 'df', 'statistic'] as const) {
              expect(
                rel(r[key], t[key]),
                `${ref.name} pairs ${e.term} ${r.contrast} ${key}`,
              ).toBeLessThan(1e-4);
              worst.emm = Math.max(worst.emm, rel(r[key], t[key]));
            }
            expect(
              Math.abs(r.p - t.p),
              `${ref.name} pairs ${r.contrast} p (${adjust})`,
            ).toBeLessThan(1e-4);
          });
        }
      }
      fit.dispose();
    });
  }
  it('reports the worst errors', () => {
    console.log(
      `Kenward-Roger (${backend}): worst df rel ${worst.df.toExponential(2)}, worst p abs ${worst.p.toExponential(2)}, worst emmeans rel ${worst.emm.toExponential(2)}`,
    );
  });
});
