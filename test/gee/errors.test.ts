/** gee()'s errors name the option, column or term at fault; input is never mutated. */
import { describe, expect, test } from 'vitest';
import { DataError, FitError, ModelSpecError, OptionError } from '../../src/errors';
import { gee } from '../../src/gee/gee';
import { loadCsv } from '../helpers/fixtures';

const epil = loadCsv('epil.csv') as Record<string, (number | string | null)[]>;
const sim = loadCsv('gee/gee_sim.csv') as Record<string, (number | string | null)[]>;
const F = 'y ~ trt + lbase + lage + V4';
const base = { family: 'poisson', id: 'subject' } as const;

async function rejects(p: Promise<unknown>, cls: new (...a: never[]) => Error, re: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(cls);
  expect(String((err as Error).message)).toMatch(re);
  return err as Error;
}

describe.each(['wasm', 'js'] as const)('gee errors (%s)', (backend) => {
  test('id: missing option and unknown column', async () => {
    await rejects(
      gee(F, epil, { family: 'poisson', backend } as never),
      OptionError,
      /option 'id'/,
    );
    const e = await rejects(
      gee(F, epil, { ...base, id: 'subjct', backend }),
      OptionError,
      /subjct/,
    );
    expect((e as OptionError).option).toBe('id');
    expect(e.message).toMatch(/did you mean 'subject'/);
  });

  test('random terms are a model-specification error naming the term', async () => {
    const e = await rejects(
      gee('y ~ trt + (1 | subject)', epil, { ...base, backend }),
      ModelSpecError,
      /marginal model/,
    );
    expect((e as ModelSpecError).term).toBe('(1 | subject)');
  });

  test('bad corstr, family, link and unknown options', async () => {
    await rejects(
      gee(F, epil, { ...base, corstr: 'exchangable' as never, backend }),
      OptionError,
      /corstr.*did you mean 'exchangeable'/s,
    );
    await rejects(
      gee(F, epil, { ...base, family: 'inverse.gaussian', backend }),
      OptionError,
      /family/,
    );
    await rejects(gee(F, epil, { ...base, link: 'sqrt', backend }), OptionError, /option 'link'/);
    await rejects(
      gee(F, epil, { ...base, corstrr: 'ar1', backend } as never),
      OptionError,
      /corstrr/,
    );
  });

  test('ar1 and unstructured need distinct waves within a cluster', async () => {
    const data = { ...epil, dup: epil.period.map((p) => (p === 2 ? 1 : p)) };
    const e = await rejects(
      gee(F, data, { ...base, corstr: 'ar1', waves: 'dup', backend }),
      DataError,
      /cluster '1' has two rows with dup = 1/,
    );
    expect((e as DataError).column).toBe('dup');
    await rejects(
      gee(F, data, { ...base, corstr: 'unstructured', waves: 'dup', backend }),
      DataError,
      /distinct waves/,
    );
  });

  test('unstructured: a pair of waves never seen together', async () => {
    // waves 1 and 4 never share a cluster: drop period 4 where period 1 is present, and vice versa
    const keep = epil.y.map((_, i) =>
      Number(epil.subject[i]) % 2 === 0 ? epil.period[i] !== 4 : epil.period[i] !== 1,
    );
    const data = Object.fromEntries(
      Object.entries(epil).map(([k, v]) => [k, v.filter((_, i) => keep[i])]),
    );
    await rejects(
      gee(F, data, { ...base, corstr: 'unstructured', waves: 'period', backend }),
      DataError,
      /waves 1 and 4 never occur together/,
    );
  });

  test('exchangeable with every cluster of size 1', async () => {
    const data = { ...epil, row: epil.y.map((_, i) => i) };
    await rejects(
      gee(F, data, { ...base, id: 'row', corstr: 'exchangeable', backend }),
      DataError,
      /no cluster has two observations/,
    );
  });

  test('weights cannot be combined with a cbind() response', async () => {
    await rejects(
      gee('cbind(succ, ntrial - succ) ~ x', sim, {
        family: 'binomial',
        id: 'id',
        weights: 'w',
        backend,
      }),
      OptionError,
      /option 'weights'/,
    );
  });

  test('a working correlation that stops being positive definite is a FitError naming the cluster', async () => {
    // geepack continues here with an entry of the "correlation" above 1
    await rejects(
      gee('ygamma ~ x + grp', sim, {
        family: 'Gamma',
        link: 'log',
        id: 'id',
        corstr: 'unstructured',
        backend,
      }),
      FitError,
      /not positive definite for cluster 'c\d+'/,
    );
  });

  test('waldTest: unknown term, wrong L', async () => {
    const fit = await gee(F, epil, { ...base, corstr: 'exchangeable', backend });
    await rejects(
      Promise.resolve().then(() => fit.waldTest('age')),
      OptionError,
      /'age' is not a term/,
    );
    await rejects(
      Promise.resolve().then(() => fit.waldTest([1, 0])),
      OptionError,
      /5 finite numbers/,
    );
  });
});

test('the data are not mutated', async () => {
  const copy = JSON.parse(JSON.stringify(sim)) as unknown;
  await gee('ycount ~ x + grp + offset(log(t))', sim, {
    family: 'poisson',
    id: 'id',
    corstr: 'ar1',
    waves: 'wave',
  });
  expect(sim).toEqual(copy);
});
