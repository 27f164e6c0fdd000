/** `glmm gee` (JSON keys and values, the table, usage errors) and GeeFit's summary, anova, waldTest. */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { gee } from '../../src/gee/gee';
import { fixturesDir, loadCsv } from '../helpers/fixtures';
import { runCli } from '../helpers/cli-io';
import ref from '../fixtures/gee/gee_reference.json';

const epilCsv = join(fixturesDir, 'epil.csv');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test('glmm gee --json gives fixef, se, robustSe, alpha, scale, clusters, iterations', async () => {
  const r = await runCli([
    'gee',
    '--data',
    epilCsv,
    '--formula',
    'y ~ trt + lbase + lage + V4',
    '--family',
    'poisson',
    '--id',
    'subject',
    '--corstr',
    'exchangeable',
    '--json',
  ]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of ['fixef', 'se', 'robustSe', 'alpha', 'scale', 'clusters', 'iterations'])
    expect(out).toHaveProperty(k);
  const want = ref.epil_exchangeable;
  const fixef = out.fixef as Record<string, number>;
  for (const [k, v] of Object.entries(want.fixef)) expect(rel(fixef[k], v)).toBeLessThan(1e-5);
  expect(Math.abs((out.alpha as number) - (want.alpha as number))).toBeLessThan(1e-4);
  expect(out.clusters).toBe(59);
});

test('glmm gee: unstructured alpha is a matrix, independence null; the table', async () => {
  const base = [
    'gee',
    '--data',
    epilCsv,
    '--formula',
    'y ~ trt + lbase + lage + V4',
    '--family',
    'poisson',
    '--id',
    'subject',
  ];
  const un = JSON.parse(
    (await runCli([...base, '--corstr', 'unstructured', '--waves', 'period', '--json'])).stdout,
  ) as { alpha: number[][] };
  expect(un.alpha).toHaveLength(4);
  expect(un.alpha[0][0]).toBe(1);
  expect(Math.abs(un.alpha[0][1] - ref.epil_unstructured.alpha[0])).toBeLessThan(1e-4);
  expect(un.alpha[1][0]).toBe(un.alpha[0][1]);
  const ind = JSON.parse((await runCli([...base, '--json'])).stdout) as { alpha: null };
  expect(ind.alpha).toBeNull();
  const table = await runCli([...base, '--corstr', 'ar1', '--waves', 'period', '--anova']);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/Estimate\s+Std.err\s+Wald\s+Pr\(>\|W\|\)/);
  expect(table.stdout).toMatch(/Correlation structure = ar1/);
  expect(table.stdout).toMatch(/Number of clusters: 59/);
  expect(table.stdout).toMatch(/Robust Wald tests per term/);
});

test('glmm gee: usage and data errors', async () => {
  const noId = await runCli(['gee', '--data', epilCsv, '--formula', 'y ~ trt']);
  expect(noId.code).toBe(2);
  expect(noId.stderr).toMatch(/--id/);
  const badCol = await runCli(['gee', '--data', epilCsv, '--formula', 'y ~ trt', '--id', 'nope']);
  expect(badCol.code).toBe(1);
  expect(badCol.stderr).toMatch(/option 'id'/);
  const badCorstr = await runCli([
    'gee',
    '--data',
    epilCsv,
    '--formula',
    'y ~ trt',
    '--id',
    'subject',
    '--corstr',
    'toeplitz',
  ]);
  expect(badCorstr.code).toBe(2);
});

test('GeeFit: waldTest by term equals the L-matrix form; anova rows; summary', async () => {
  const fit = await gee('ybin ~ x + grp', loadCsv('gee/gee_sim.csv'), {
    family: 'binomial',
    id: 'id',
    corstr: 'exchangeable',
  });
  const byTerm = fit.waldTest('grp');
  const byL = fit.waldTest([
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
  expect(byTerm.df).toBe(2);
  expect(byL.chisq).toBeCloseTo(byTerm.chisq, 12);
  expect(rel(byTerm.chisq, ref.binary_exchangeable.wald.grp)).toBeLessThan(1e-4);
  // one coefficient: the square of estimate / robust se
  const one = fit.waldTest([0, 1, 0, 0]);
  expect(one.chisq).toBeCloseTo((fit.fixef.x / fit.robustSe.x) ** 2, 10);
  expect(fit.anova().map((r) => [r.term, r.df])).toEqual([
    ['x', 1],
    ['grp', 2],
  ]);
  expect(fit.summary()).toMatch(/Estimated correlation parameter \(alpha\)/);
  expect(fit.vcov[1][2]).toBe(fit.vcov[2][1]);
});
