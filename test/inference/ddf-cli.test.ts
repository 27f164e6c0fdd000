/**
 * `glmm fit --ddf Satterthwaite --anova [--json]` (in-process, real fits): the `coefTable` and
 * `anova` keys against lmerTest (test/fixtures/inference/ddf) and the text form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-io';
import { fixturesDir } from '../helpers/fixtures';

const ref = (name: string) =>
  JSON.parse(readFileSync(join(fixturesDir, 'inference', 'ddf', `${name}.json`), 'utf8'));
const file = (f: string) => join(fixturesDir, f);

describe('glmm fit --ddf / --anova', () => {
  it('LMM --json adds coefTable and anova as lmerTest', async () => {
    const r = ref('ham_interaction');
    const res = await runCli([
      'fit',
      '--data',
      file('inference/ddf/ham.csv'),
      '--formula',
      r.formula,
      '--factors',
      'Product,Information,Consumer',
      '--ddf',
      'Satterthwaite',
      '--anova',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.coefTable.map((x: { term: string }) => x.term)).toEqual(
      r.satterthwaite.map((x: { term: string }) => x.term),
    );
    json.coefTable.forEach((row: { df: number; p: number }, i: number) => {
      expect(Math.abs(row.df / r.satterthwaite[i].df - 1)).toBeLessThan(1e-3);
      expect(Math.abs(row.p - r.satterthwaite[i].p)).toBeLessThan(1e-4);
    });
    expect(Object.keys(json.anova[0])).toEqual(['term', 'numDF', 'denDF', 'F', 'p']);
    json.anova.forEach((row: { denDF: number; p: number; numDF: number }, i: number) => {
      expect(row.numDF).toBe(r.anova_satterthwaite[i].numDF);
      expect(Math.abs(row.denDF / r.anova_satterthwaite[i].denDF - 1)).toBeLessThan(1e-3);
      expect(Math.abs(row.p - r.anova_satterthwaite[i].p)).toBeLessThan(1e-4);
    });
  });
  it('GLMM: z tests (df "Inf") and chi-square anova rows', async () => {
    const res = await runCli([
      'fit',
      '--example',
      'cbpp',
      '--ddf',
      'Satterthwaite',
      '--anova',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.coefTable[0].df).toBe('Inf');
    expect(Object.keys(json.anova[0])).toEqual(['term', 'numDF', 'chisq', 'p']);
    expect(json.anova[0].numDF).toBe(3);
  });
  it('text: lmerTest summary and the anova table; a bad --ddf is an error', async () => {
    const res = await runCli([
      'fit',
      '--example',
      'sleepstudy',
      '--ddf',
      'Satterthwaite',
      '--anova',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("t-tests use Satterthwaite's method");
    expect(res.stdout).toContain('Pr(>|t|)');
    expect(res.stdout).toContain('Type III Analysis of Variance Table');
    const bad = await runCli(['fit', '--example', 'sleepstudy', '--ddf', 'foo']);
    expect(bad.code).not.toBe(0);
    const kr = await runCli(['fit', '--example', 'sleepstudy', '--ddf', 'Kenward-Roger']);
    expect(kr.code, kr.stderr).toBe(0);
    expect(kr.stdout).toContain("t-tests use Kenward-Roger's method");
  });
});
