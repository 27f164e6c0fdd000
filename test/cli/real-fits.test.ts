/** The CLI driving the real lmer/glmer (src/index.ts), on the bundled examples and fixtures. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/cli/examples';
import { runCli } from '../helpers/cli-io';
import { REQUIRED_JSON_KEYS } from '../helpers/json-keys';

const fixture = (f: string) => fileURLToPath(new URL(`../fixtures/${f}`, import.meta.url));
const ref = (name: string) =>
  JSON.parse(readFileSync(fixture(`fits/${name}.json`), 'utf8')) as {
    fixef: Record<string, number>;
    se: Record<string, number>;
    logLik: number;
  };

const cli = runCli;

const JSON_KEYS = REQUIRED_JSON_KEYS;

function checkJsonKeys(j: Record<string, unknown>): void {
  for (const k of JSON_KEYS) expect(j, k).toHaveProperty(k);
  expect(Array.isArray(j.theta)).toBe(true);
  for (const row of j.varCorr as Record<string, unknown>[]) {
    for (const k of ['group', 'term', 'term2', 'variance', 'sd', 'corr'])
      expect(row).toHaveProperty(k);
  }
  expect(typeof j.converged).toBe('boolean');
  expect(typeof j.singular).toBe('boolean');
  expect(j.backend).toMatch(/^(wasm|js)/);
  expect(typeof (j.timings as Record<string, number>).total).toBe('number');
}

describe('glmm fit --json on real fits', () => {
  it('dyestuff (lmer, REML)', async () => {
    const r = await cli(['fit', '--example', 'dyestuff', '--json', '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    checkJsonKeys(j);
    expect(j.formula).toBe('Yield ~ 1 + (1 | Batch)');
    expect(j.family).toBe('gaussian');
    expect(j.link).toBe('identity');
    expect(j.nobs).toBe(30);
    expect(j.ngrps).toEqual({ Batch: 6 });
    const lme4 = ref('dyestuff_reml');
    expect(j.fixef['(Intercept)']).toBeCloseTo(lme4.fixef['(Intercept)'], 4);
    expect(j.se['(Intercept)']).toBeCloseTo(lme4.se['(Intercept)'], 3);
    expect(j.varCorr.map((v: { group: string }) => v.group)).toEqual(['Batch', 'Residual']);
    expect(j.converged).toBe(true);
  });

  it('cbpp (glmer, binomial, Laplace)', async () => {
    const r = await cli(['fit', '--example', 'cbpp', '--json', '--no-progress']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    checkJsonKeys(j);
    expect(j.family).toBe('binomial');
    expect(j.link).toBe('logit');
    expect(j.nAGQ).toBe(1);
    expect(j.nobs).toBe(56);
    expect(Object.keys(j.fixef)).toEqual(['(Intercept)', 'period2', 'period3', 'period4']);
    const lme4 = ref('cbpp_laplace');
    for (const k of Object.keys(lme4.fixef)) expect(j.fixef[k]).toBeCloseTo(lme4.fixef[k], 2);
    expect(j.logLik).toBeCloseTo(lme4.logLik, 2);
    expect(j.sigma).toBe(1);
  });
});

describe('GLMM flags call glmer', () => {
  const cbppArgs = [
    'fit',
    '--data',
    fixture('cbpp.csv'),
    '--formula',
    'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    '--factors',
    'period',
    '--no-progress',
  ];

  it('--family binomial prints the glmer summary', async () => {
    const r = await cli([...cbppArgs, '--family', 'binomial']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Generalized linear mixed model fit by maximum likelihood (Laplace\n  Approximation) [glmerMod]\n',
    );
    expect(r.stdout).toContain(' Family: binomial  ( logit )\n');
    expect(r.stdout).toContain('   Data: cbpp\n');
    expect(r.stdout).toMatch(/^period4 +-1\.5\d{3} /m);
  });

  it('--nAGQ 25 uses adaptive Gauss-Hermite quadrature', async () => {
    const r = await cli([...cbppArgs, '--family', 'binomial', '--nAGQ', '25', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.nAGQ).toBe(25);
    const lme4 = ref('cbpp_agq25');
    for (const k of Object.keys(lme4.fixef)) expect(j.fixef[k]).toBeCloseTo(lme4.fixef[k], 2);
  });

  it('--link probit (clinics) and family names as R spells them', async () => {
    const r = await cli([
      'fit',
      '--data',
      fixture('clinics.csv'),
      '--formula',
      'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)',
      '--family',
      'binomial',
      '--link',
      'probit',
      '--json',
      '--no-progress',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.link).toBe('probit');
    expect(j.fixef.trtdrug).toBeCloseTo(ref('clinics_probit').fixef.trtdrug, 2);
  });

  it('--offset: a constant log offset c shifts the Poisson intercept by -c', async () => {
    const text = readFileSync(fixture('rcbd_counts.csv'), 'utf8').trim().split('\n');
    const withOff = [text[0] + ',off', ...text.slice(1).map((l) => l + ',0.5')].join('\n');
    const args = ['--formula', 'count ~ trt + (1 | block)', '--family', 'poisson', '--json'];
    const a = await cli(['fit', '--data', 'r.csv', ...args, '--no-progress'], { 'r.csv': withOff });
    const b = await cli(['fit', '--data', 'r.csv', ...args, '--offset', 'off', '--no-progress'], {
      'r.csv': withOff,
    });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    expect(jb.fixef['(Intercept)']).toBeCloseTo(ja.fixef['(Intercept)'] - 0.5, 4);
    expect(jb.fixef.trtt1).toBeCloseTo(ja.fixef.trtt1, 4);
    expect(jb.logLik).toBeCloseTo(ja.logLik, 4);
  });

  it('--weights: proportions with size weights give the cbind() fit', async () => {
    const cb = readFileSync(fixture('cbpp.csv'), 'utf8');
    const a = await cli([...cbppArgs, '--family', 'binomial', '--json']);
    const b = await cli([
      'fit',
      '--data',
      fixture('cbpp.csv'),
      '--formula',
      'incidence / size ~ period + (1 | herd)',
      '--factors',
      'period',
      '--family',
      'binomial',
      '--weights',
      'size',
      '--json',
      '--no-progress',
    ]);
    expect(cb.length).toBeGreaterThan(0);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    for (const k of Object.keys(ja.fixef)) expect(jb.fixef[k]).toBeCloseTo(ja.fixef[k], 4);
    expect(jb.logLik).toBeCloseTo(ja.logLik, 4);
  });

  it('--family negbin fits glmer.nb', async () => {
    const r = await cli(['fit', '--example', 'rcbd-negbin', '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ Family: Negative Binomial\(0\.71\d\d\)  \( log \)\n/);
    const j = JSON.parse((await cli(['fit', '--example', 'rcbd-negbin', '--json'])).stdout);
    expect(j.nbTheta).toBeCloseTo(0.7177, 2);
  });

  it('Gamma and inverse.gaussian are accepted as R spells them (any case)', async () => {
    const args = ['fit', '--data', fixture('gamma_sim.csv'), '--formula', 'y ~ x + (1 | g)'];
    const r = await cli([...args, '--family', 'gamma', '--link', 'log', '--json', '--no-progress']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).family).toBe('Gamma');
    const r2 = await cli([...args, '--family', 'inverse.gaussian', '--link', 'log', '--json']);
    expect(r2.stderr).toBe('');
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).family).toBe('inverse.gaussian');
  });
});

describe('--vcov on real fits', () => {
  const big = fixture('vcov/logistic_12k.csv');
  const bigRef = JSON.parse(readFileSync(fixture('vcov/logistic_12k.json'), 'utf8')) as {
    se: Record<string, number>;
    se_RX: Record<string, number>;
  };
  const bigArgs = [
    'fit',
    '--data',
    big,
    '--formula',
    'y ~ x + z + (x | g)',
    '--family',
    'binomial',
  ];

  it('cbpp: the Hessian by default, R_X with --vcov RX, in --json and in the summary', async () => {
    const h = await cli(['fit', '--example', 'cbpp', '--json', '--no-progress']);
    const r = await cli(['fit', '--example', 'cbpp', '--json', '--vcov', 'RX', '--no-progress']);
    expect(h.code).toBe(0);
    expect(r.code).toBe(0);
    const jh = JSON.parse(h.stdout);
    const jr = JSON.parse(r.stdout);
    checkJsonKeys(jr);
    expect(jh.vcovMethod).toBe('hessian');
    expect(jh.optimizer.control.vcov).toBe('hessian');
    expect(jr.vcovMethod).toBe('RX');
    expect(jr.optimizer.control.vcov).toBe('RX');
    expect(jr.fixef).toEqual(jh.fixef); // only the covariance differs
    expect(jr.se['(Intercept)']).not.toBeCloseTo(jh.se['(Intercept)'], 4);
    const text = await cli(['fit', '--example', 'cbpp', '--vcov', 'RX', '--no-progress']);
    expect(text.stdout).toContain(
      "\nStandard errors from R_X, conditional on theta (vcov: 'RX')\n",
    );
    const dflt = await cli(['fit', '--example', 'cbpp', '--no-progress']);
    expect(dflt.stdout).toContain(
      "\nStandard errors from the finite-difference Hessian (vcov: 'hessian')\n",
    );
  });

  it('12,000 rows: --json has the Hessian SEs by default and the R_X SEs with --vcov RX', async () => {
    const h = await cli([...bigArgs, '--json', '--no-progress']);
    const r = await cli([...bigArgs, '--vcov', 'RX', '--json', '--no-progress']);
    expect(h.code).toBe(0);
    expect(r.code).toBe(0);
    const jh = JSON.parse(h.stdout);
    const jr = JSON.parse(r.stdout);
    expect(jh.nobs).toBe(12000);
    expect(jh.vcovMethod).toBe('hessian');
    expect(jr.vcovMethod).toBe('RX');
    for (const k of Object.keys(bigRef.se)) {
      expect(Math.abs(jh.se[k] / bigRef.se[k] - 1), `hessian se ${k}`).toBeLessThan(0.005);
      expect(Math.abs(jr.se[k] / bigRef.se_RX[k] - 1), `RX se ${k}`).toBeLessThan(0.005);
    }
  });
});

describe('errors on real fits', () => {
  it('unknown family or link: usage error, exit 2', async () => {
    const r = await cli(['fit', '--example', 'cbpp', '--family', 'binomail']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown family 'binomail' \(one of: binomial, poisson, Gamma/);
    const r2 = await cli(['fit', '--example', 'cbpp', '--link', 'logistic']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/unknown link 'logistic'/);
    expect(r.stdout + r2.stdout).toBe('');
  });

  it('a missing weights column or variable: exit 1, message on stderr, no stack', async () => {
    const r = await cli(['fit', '--example', 'cbpp', '--weights', 'nope', '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*nope/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const r2 = await cli([
      'fit',
      '--example',
      'cbpp',
      '--formula',
      'cbind(incidence, size - incidence) ~ perod + (1 | herd)',
    ]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/^error: .*perod/);
    expect(r2.stdout).toBe('');
  });

  it('a binomial response out of range: exit 1', async () => {
    const r = await cli(
      ['fit', '--data', 'b.csv', '--formula', 'y ~ 1 + (1 | g)', '--family', 'binomial'],
      { 'b.csv': 'y,g\n0,a\n3,a\n1,b\n0,b\n1,c\n0,c\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
  });
});

describe('glmm examples (real fits)', () => {
  it('fits every example and prints the clinics probability tables', async () => {
    const r = await cli(['examples', '--no-progress']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const name of Object.keys(EXAMPLES)) expect(r.stdout).toContain(`==> ${name}: `);
    expect(r.stdout).toContain(
      'Generalized linear mixed model fit by maximum likelihood (Adaptive\n  Gauss-Hermite Quadrature, nAGQ = 25) [glmerMod]\n',
    );
    const tables = r.stdout.split('Predicted probability of a favourable response').slice(1);
    expect(tables).toHaveLength(2);
    for (const t of tables) {
      const lines = t.split('\n');
      expect(lines[2]).toBe('clinic   cntl   drug');
      expect(lines.slice(3, 11).map((l) => l.trim().split(/\s+/)[0])).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
      ]);
      for (const l of lines.slice(3, 11)) expect(l).toMatch(/^ +\d  0\.\d{3}  0\.\d{3}$/);
    }
    // lme4 (probit): clinic 1 0.366 / 0.217, clinic 8 0.775 / 0.623
    expect(tables[1]).toContain('     1  0.366  0.217\n');
    expect(tables[1]).toContain('     8  0.775  0.623\n');
    expect(r.stdout).toContain(' Family: Negative Binomial(0.7177)  ( log )\n');
  });
});
