/**
 * `glmm fit --confint Wald|profile|boot [--level p] [--nsim n] [--seed s] [--json]` (in-process,
 * real fits, both backends): the `confint` key against lme4 1.1-31's confint
 * (test/fixtures/inference/confint_*.json, lrt_confint_make.R), NA rows as "NaN" (the project's
 * JSON rule), the text table as formatConfint, and the usage errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-io';
import { backends, fixturesDir } from '../helpers/fixtures';

interface Row {
  parameter: string;
  lower: number | null;
  upper: number | null;
}
const ref = (
  name: string,
): { formula: string; data: string; level: number; REML: boolean; profile: Row[]; Wald: Row[] } =>
  JSON.parse(readFileSync(join(fixturesDir, 'inference', `confint_${name}.json`), 'utf8'));
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

type JsonRow = { parameter: string; lower: number | string; upper: number | string };

for (const backend of backends) {
  describe(`glmm fit --confint (${backend})`, () => {
    it('Wald --json: lme4 names, NA rows as "NaN", β ends as lme4', async () => {
      const r = ref('sleepstudy');
      const res = await runCli([
        'fit',
        '--data',
        join(fixturesDir, r.data),
        '--formula',
        r.formula,
        '--confint',
        'Wald',
        '--json',
        '--backend',
        backend,
      ]);
      expect(res.code, res.stderr).toBe(0);
      const ci = (JSON.parse(res.stdout) as { confint: JsonRow[] }).confint;
      expect(ci.map((x) => x.parameter)).toEqual(r.Wald.map((x) => x.parameter));
      expect(Object.keys(ci[0])).toEqual(['parameter', 'lower', 'upper']);
      let worst = 0;
      ci.forEach((x, i) => {
        const w = r.Wald[i];
        if (w.lower === null) {
          expect(x.lower).toBe('NaN');
          expect(x.upper).toBe('NaN');
          return;
        }
        for (const [a, b] of [
          [x.lower, w.lower],
          [x.upper, w.upper as number],
        ] as const) {
          worst = Math.max(worst, rel(a as number, b));
          expect(rel(a as number, b)).toBeLessThan(1e-6);
        }
      });
      console.log(
        `--confint Wald ${backend}: worst relative difference from lme4 ${worst.toExponential(2)}`,
      );
    });

    it('profile --level 0.9 --json (ML fit) within 1e-3 of lme4; text table', async () => {
      const r = ref('sleepstudy_90');
      const args = [
        'fit',
        '--data',
        join(fixturesDir, r.data),
        '--formula',
        r.formula,
        '--ml',
        '--confint',
        'profile',
        '--level',
        '0.9',
        '--backend',
        backend,
      ];
      const res = await runCli([...args, '--json']);
      expect(res.code, res.stderr).toBe(0);
      const ci = (JSON.parse(res.stdout) as { confint: JsonRow[] }).confint;
      expect(ci.map((x) => x.parameter)).toEqual(r.profile.map((x) => x.parameter));
      let worst = 0;
      ci.forEach((x, i) => {
        for (const [a, b] of [
          [x.lower, r.profile[i].lower],
          [x.upper, r.profile[i].upper],
        ]) {
          const d = rel(a as number, b as number);
          worst = Math.max(worst, d);
          expect(d, `${x.parameter}: ${a} vs ${b}`).toBeLessThan(1e-3);
        }
      });
      console.log(
        `--confint profile --level 0.9 ${backend}: worst relative difference from lme4 ${worst.toExponential(2)}`,
      );
      const text = await runCli(args);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('Confidence intervals (profile):');
      expect(text.stdout).toMatch(/\s+5 %\s+95 %\n\.sig01 /);
    });

    it('boot --nsim --seed: reproducible, the percentile intervals of fit.confint', async () => {
      const r = ref('dyestuff');
      const args = [
        'fit',
        '--data',
        join(fixturesDir, r.data),
        '--formula',
        r.formula,
        '--confint',
        'boot',
        '--nsim',
        '100',
        '--seed',
        '7',
        '--json',
        '--backend',
        backend,
      ];
      const a = await runCli(args);
      const b = await runCli(args);
      expect(a.code, a.stderr).toBe(0);
      const ca = (JSON.parse(a.stdout) as { confint: JsonRow[] }).confint;
      expect(ca).toEqual((JSON.parse(b.stdout) as { confint: JsonRow[] }).confint);
      expect(ca.map((x) => x.parameter)).toEqual(['.sig01', '.sigma', '(Intercept)']);
      ca.forEach((x) => expect(x.lower as number).toBeLessThan(x.upper as number));
      const other = await runCli(args.map((x) => (x === '7' ? '8' : x)));
      expect((JSON.parse(other.stdout) as { confint: JsonRow[] }).confint).not.toEqual(ca);
    });
  });
}

describe('glmm fit --confint usage', () => {
  const base = ['fit', '--example', 'dyestuff', '--backend', 'js'];
  it('bad method, bad level, flags without --confint are usage errors (exit 2)', async () => {
    for (const extra of [
      ['--confint', 'bogus'],
      ['--confint', 'Wald', '--level', '1.5'],
      ['--level', '0.9'],
      ['--confint', 'Wald', '--nsim', '10'],
      ['--confint', 'profile', '--seed', '3'],
    ]) {
      const res = await runCli([...base, ...extra]);
      expect(res.code, extra.join(' ')).toBe(2);
      expect(res.stderr).not.toBe('');
    }
    const ok = await runCli([...base, '--confint', 'wald']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Confidence intervals (Wald):');
    expect(ok.stdout).toMatch(/\.sig01\s+NA\s+NA/);
  });
});
