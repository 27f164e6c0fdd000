/** `glmm anova` in-process with the real fits: the --json keys of issue 8 and lme4's numbers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-io';
import { fixturesDir } from '../helpers/fixtures';

const ref = (name: string) =>
  JSON.parse(readFileSync(join(fixturesDir, 'inference', `lrt_${name}.json`), 'utf8'));
const sleep = join(fixturesDir, 'sleepstudy.csv');

describe('glmm anova', () => {
  it('--json: models, chisq, df, p, pBoundary (sleepstudy, random slope)', async () => {
    const r = ref('sleepstudy_slope');
    const res = await runCli([
      'anova',
      '--data',
      sleep,
      '--formula',
      r.formulas[1],
      '--formula',
      r.formulas[0],
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const j = JSON.parse(res.stdout);
    expect(Object.keys(j).sort()).toEqual(['chisq', 'df', 'models', 'p', 'pBoundary']);
    expect(j.models.map((m: { formula: string }) => m.formula)).toEqual(r.formulas);
    expect(Object.keys(j.models[0]).sort()).toEqual(
      ['AIC', 'BIC', 'deviance', 'formula', 'logLik', 'npar'].sort(),
    );
    expect(Math.abs(j.chisq - r.chisq)).toBeLessThan(1e-5);
    expect(j.df).toBe(2);
    expect(Math.abs(j.p - r.p)).toBeLessThan(1e-4);
    expect(Math.abs(j.pBoundary - r.pBoundary)).toBeLessThan(1e-4);
  });

  it('a fixed-effect comparison has no pBoundary; GLMM flags (cbpp)', async () => {
    const r = ref('sleepstudy_days');
    const res = await runCli([
      'anova',
      '--data',
      sleep,
      '--formula',
      r.formulas[0],
      '--formula',
      r.formulas[1],
      '--json',
      '--backend',
      'js',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const j = JSON.parse(res.stdout);
    expect(j).not.toHaveProperty('pBoundary');
    expect(Math.abs(j.chisq - r.chisq)).toBeLessThan(1e-5);
    const c = ref('cbpp_period');
    const g = await runCli([
      'anova',
      '--data',
      join(fixturesDir, 'cbpp.csv'),
      '--family',
      'binomial',
      '--factors',
      'period',
      '--formula',
      c.formulas[0],
      '--formula',
      c.formulas[1],
      '--json',
    ]);
    expect(g.code, g.stderr).toBe(0);
    const gj = JSON.parse(g.stdout);
    expect(Math.abs(gj.chisq - c.chisq)).toBeLessThan(1e-5);
    expect(Math.abs(gj.p - c.p)).toBeLessThan(1e-4);
  });

  it('prints the table; usage errors exit 2', async () => {
    const r = ref('sleepstudy_slope');
    const res = await runCli([
      'anova',
      '--data',
      sleep,
      '--formula',
      r.formulas[0],
      '--formula',
      r.formulas[1],
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^Data: sleepstudy\nModels:\nm0: Reaction ~ Days \+ \(1 \| Subject\)/,
    );
    expect(res.stdout).toContain('Pr(>Chisq) boundary');
    expect(res.stderr).toMatch(/refitting model\(s\) with ML/);
    const one = await runCli(['anova', '--data', sleep, '--formula', r.formulas[0]]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/two or more models/);
    const noData = await runCli(['anova', '--formula', r.formulas[0], '--formula', r.formulas[1]]);
    expect(noData.code).toBe(2);
  });
});
