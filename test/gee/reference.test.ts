/**
 * gee() against geepack's geeglm (test/fixtures/gee/make-gee.R, and epil_gee_exch.json: a copy of
 * the shared reference ../shared/reference/fits/epil_gee_exch.json):
 * coefficients within 1e-5 relative, robust and model-based SEs within 1e-4 relative,
 * correlation parameters within 1e-4 absolute, the scale within 1e-4 relative, robust Wald
 * tests within 1e-4 relative; on both backends. The simulated data are shuffled (clusters are
 * not contiguous) while geepack fitted them sorted by id.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gee, type GeeOptions } from '../../src/gee/gee';
import { fixturesDir, loadCsv } from '../helpers/fixtures';

interface GeeRef {
  name: string;
  data: string;
  formula: string;
  family: string;
  link: string | null;
  id: string;
  corstr: GeeOptions['corstr'];
  waves: string | null;
  weights: string | null;
  fixef: Record<string, number>;
  robust_se: Record<string, number>;
  model_se: Record<string, number>;
  alpha: number | number[];
  scale: number;
  clusters: number;
  max_cluster_size: number;
  nobs: number;
  wald: Record<string, number>;
}

const refs = Object.values(
  JSON.parse(readFileSync(join(fixturesDir, 'gee', 'gee_reference.json'), 'utf8')) as Record<
    string,
    GeeRef
  >,
);
const shared = JSON.parse(readFileSync(join(fixturesDir, 'gee', 'epil_gee_exch.json'), 'utf8')) as {
  fixef: Record<string, number>;
  robust_se: Record<string, number>;
  alpha: number;
  scale: number;
};

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

function expectRecord(
  got: Record<string, number>,
  want: Record<string, number>,
  tol: number,
  what: string,
) {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const [k, v] of Object.entries(want)) {
    expect(rel(got[k], v), `${what} ${k}: ${got[k]} vs ${v}`).toBeLessThan(tol);
  }
}

/** The unstructured matrix's upper triangle in geepack's order 1:2, 1:3, ..., 2:3, ... */
function alphaVector(alpha: number | number[][] | null): number[] {
  if (alpha === null) return [];
  if (typeof alpha === 'number') return [alpha];
  const out: number[] = [];
  for (let a = 0; a < alpha.length; a++)
    for (let b = a + 1; b < alpha.length; b++) out.push(alpha[a][b]);
  return out;
}

describe.each(['wasm', 'js'] as const)('gee vs geepack (%s)', (backend) => {
  test.each(refs.map((r) => [r.name, r] as const))('%s', async (_name, ref) => {
    const data = loadCsv(ref.data.startsWith('../') ? ref.data.slice(3) : `gee/${ref.data}`);
    const fit = await gee(ref.formula, data, {
      family: ref.family,
      ...(ref.link ? { link: ref.link } : {}),
      id: ref.id,
      corstr: ref.corstr,
      ...(ref.waves ? { waves: ref.waves } : {}),
      ...(ref.weights ? { weights: ref.weights } : {}),
      backend,
    });
    expect(fit.converged).toBe(true);
    expectRecord(fit.fixef, ref.fixef, 1e-5, 'fixef');
    expectRecord(fit.robustSe, ref.robust_se, 1e-4, 'robust se');
    expectRecord(fit.se, ref.model_se, 1e-4, 'model-based se');
    const want = typeof ref.alpha === 'number' ? [ref.alpha] : ref.alpha;
    const got = alphaVector(fit.alpha);
    expect(got.length).toBe(want.length);
    want.forEach((a, k) => expect(Math.abs(got[k] - a), `alpha ${k}`).toBeLessThan(1e-4));
    expect(rel(fit.scale, ref.scale)).toBeLessThan(1e-4);
    expect(fit.clusters).toBe(ref.clusters);
    expect(fit.maxClusterSize).toBe(ref.max_cluster_size);
    expect(fit.nobs).toBe(ref.nobs);
    for (const [term, chisq] of Object.entries(ref.wald)) {
      expect(rel(fit.waldTest(term).chisq, chisq), `Wald ${term}`).toBeLessThan(1e-4);
    }
  });

  test('the shared epil reference (exchangeable poisson)', async () => {
    const fit = await gee('y ~ trt + lbase + lage + V4', loadCsv('epil.csv'), {
      family: 'poisson',
      id: 'subject',
      corstr: 'exchangeable',
      backend,
    });
    expectRecord(fit.fixef, shared.fixef, 1e-5, 'fixef');
    expectRecord(fit.robustSe, shared.robust_se, 1e-4, 'robust se');
    expect(Math.abs((fit.alpha as number) - shared.alpha)).toBeLessThan(1e-4);
    expect(rel(fit.scale, shared.scale)).toBeLessThan(1e-4);
  });
});
