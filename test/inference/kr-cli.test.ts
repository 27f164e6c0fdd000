/** `glmm fit --emmeans TERM --ddf Kenward-Roger --json`: the emmeans key with KR df vs emmeans. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../helpers/fixtures';
import { runCli } from '../helpers/cli-io';

const ref = JSON.parse(
  readFileSync(join(fixturesDir, 'inference', 'kr', 'own_slope.json'), 'utf8'),
) as {
  emmeans: {
    term: string;
    rows: { level: string; estimate: number; se: number; lower: number; upper: number }[];
    pairs_tukey: { contrast: string; se: number; df: number; p: number }[];
  }[];
};
const ownSlopeArgs = [
  'fit',
  '--data',
  join(fixturesDir, 'inference', 'kr', 'own_slope.csv'),
  '--formula',
  'y ~ A * B + x + (1 + x | g) + (1 | h)',
  '--emmeans',
  'A',
];
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('glmm fit --emmeans with --ddf', () => {
  it('--ddf Kenward-Roger gives emmeans with KR df (emmeans lmer.df = "kenward-roger")', async () => {
    const r = await runCli([...ownSlopeArgs, '--ddf', 'Kenward-Roger', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      emmeans: {
        df: string;
        rows: { level: string; estimate: number; se: number; lower: number; upper: number }[];
        pairs: { contrast: string; se: number; df: number; p: number }[];
      };
    };
    const e = ref.emmeans.find((x) => x.term === 'A')!;
    expect(j.emmeans.df).toBe('kenward-roger');
    j.emmeans.rows.forEach((x, i) => {
      expect(x.level).toBe(e.rows[i].level);
      for (const k of ['estimate', 'se', 'lower', 'upper'] as const)
        expect(rel(x[k], e.rows[i][k]), `${x.level} ${k}`).toBeLessThan(1e-4);
    });
    j.emmeans.pairs.forEach((x, i) => {
      expect(x.contrast).toBe(e.pairs_tukey[i].contrast);
      expect(rel(x.df, e.pairs_tukey[i].df)).toBeLessThan(1e-4);
      expect(Math.abs(x.p - e.pairs_tukey[i].p)).toBeLessThan(1e-4);
    });
  });
  it('without --ddf the means stay asymptotic (z)', async () => {
    const r = await runCli([...ownSlopeArgs, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { emmeans: { df: string } }).emmeans.df).toBe('asymptotic');
  });
});
