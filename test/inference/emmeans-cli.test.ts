/** `glmm fit --emmeans TERM [--type response|link] --json`: the emmeans key vs R's emmeans. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-io';
import { fixturesDir } from '../helpers/fixtures';

const ref = JSON.parse(
  readFileSync(join(fixturesDir, 'inference', 'emmeans_twofactor.json'), 'utf8'),
) as {
  emmeans: {
    label: string;
    rows: { level: string; estimate: number; se: number }[];
    pairs_tukey: { contrast: string; p: number }[];
  }[];
};

describe('glmm fit --emmeans', () => {
  it('adds emmeans {term, type, rows, pairs} to --json', async () => {
    const r = await runCli([
      'fit',
      '--data',
      join(fixturesDir, 'inference', 'emmeans_twofactor.csv'),
      '--formula',
      'y ~ A * B + x + (1 | block)',
      '--emmeans',
      'A',
      '--json',
      '--backend',
      'js',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      emmeans: {
        term: string;
        type: string;
        rows: { level: string; estimate: number; se: number; lower: number; upper: number }[];
        pairs: {
          contrast: string;
          estimate: number;
          se: number;
          df: unknown;
          statistic: number;
          p: number;
        }[];
      };
    };
    const e = ref.emmeans.find((x) => x.label === 'A')!;
    expect(j.emmeans.term).toBe('A');
    expect(j.emmeans.type).toBe('link');
    expect(j.emmeans.rows.map((x) => x.level)).toEqual(e.rows.map((x) => x.level));
    j.emmeans.rows.forEach((x, i) =>
      expect(Math.abs(x.estimate - e.rows[i].estimate)).toBeLessThan(1e-4),
    );
    expect(Object.keys(j.emmeans.pairs[0])).toEqual([
      'contrast',
      'estimate',
      'se',
      'df',
      'statistic',
      'p',
    ]);
    expect(j.emmeans.pairs[0].df).toBe('Inf');
    j.emmeans.pairs.forEach((x, i) =>
      expect(Math.abs(x.p - e.pairs_tukey[i].p)).toBeLessThan(1e-4),
    );
  });
  it('--type response on cbpp; text output; --type without --emmeans is a usage error', async () => {
    const args = [
      'fit',
      '--data',
      join(fixturesDir, 'cbpp.csv'),
      '--formula',
      'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      '--family',
      'binomial',
      '--factors',
      'period',
    ];
    const r = await runCli([...args, '--emmeans', 'period', '--type', 'response', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      emmeans: { type: string; rows: { estimate: number; lower: number; upper: number }[] };
    };
    expect(j.emmeans.type).toBe('response');
    for (const x of j.emmeans.rows) {
      expect(x.estimate).toBeGreaterThan(0);
      expect(x.estimate).toBeLessThan(1);
      expect(x.lower).toBeLessThan(x.estimate);
      expect(x.upper).toBeGreaterThan(x.estimate);
    }
    const t = await runCli([...args, '--emmeans', 'period']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/Estimated marginal means of period/);
    expect(t.stdout).toMatch(/period1 - period2/);
    const u = await runCli([...args, '--type', 'response']);
    expect(u.code).toBe(2);
  });
});
