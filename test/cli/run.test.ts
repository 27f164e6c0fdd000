import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MerFit } from '../../src/results/fit';
import { FormulaSyntaxError } from '../../src/errors';
import { run, isGlmmFamily, type Fitters } from '../../src/cli/run';
import { EXAMPLES, examplesDir } from '../../src/cli/examples';
import { createProgress } from '../../src/cli/progress';
import { memoryIO } from '../helpers/cli-io';
import { referenceFit } from '../results/fixture-fit';
import { REQUIRED_JSON_KEYS } from '../helpers/json-keys';

interface Call {
  fn: 'lmer' | 'glmer';
  formula: string;
  data: unknown;
  options: Record<string, unknown>;
}

function harness(files: Record<string, string> = {}, fail?: Error) {
  const { io, out, err } = memoryIO(files);
  const calls: Call[] = [];
  const fake =
    (fn: 'lmer' | 'glmer') =>
    async (formula: string, data: unknown, options = {}) => {
      calls.push({ fn, formula, data, options: options as Record<string, unknown> });
      if (fail) throw fail;
      const o = options as { REML?: boolean; dataName?: string };
      const name =
        fn === 'glmer' ? 'cbpp_laplace' : o.REML === false ? 'sleepstudy_ml' : 'sleepstudy_reml';
      // one fitted value per data row, so that examples' extra tables (clinics) can be printed
      const rows = Object.values(data as Record<string, unknown[]>)[0]?.length ?? 0;
      const fitted = Array.from({ length: rows }, (_, i) => 0.1 + 0.8 * (i / Math.max(1, rows)));
      return new MerFit(referenceFit(name, { dataName: o.dataName, fitted }));
    };
  const fitters: Fitters = { lmer: fake('lmer'), glmer: fake('glmer') };
  return {
    io,
    fitters,
    calls,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    run: (argv: string[]) => run(argv, io, fitters),
  };
}

const CSV = 'y,x,g\n1,0,a\n2,1,a\n3,0,b\n4,1,b\n';

describe('glmm fit', () => {
  it('fits a CSV file and prints the lme4-style summary', async () => {
    const h = harness({ '/tmp/my-data.csv': CSV });
    const code = await h.run(['fit', '--data', '/tmp/my-data.csv', '--formula', 'y ~ x + (1|g)']);
    expect(code).toBe(0);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0].fn).toBe('lmer');
    expect(h.calls[0].formula).toBe('y ~ x + (1|g)');
    expect(h.calls[0].data).toEqual({ y: [1, 2, 3, 4], x: [0, 1, 0, 1], g: ['a', 'a', 'b', 'b'] });
    expect(h.calls[0].options).toMatchObject({ REML: true, dataName: 'my-data' });
    expect(h.stdout()).toContain("Linear mixed model fit by REML ['lmerMod']");
    expect(h.stdout()).toContain('   Data: my-data\n');
    expect(h.stderr()).toBe('');
  });

  it('passes --ml, --factors, repeated --levels and --backend', async () => {
    const h = harness({ 'd.csv': CSV });
    const code = await h.run([
      'fit',
      '--data',
      'd.csv',
      '--formula',
      'y ~ x + (1|g)',
      '--ml',
      '--factors',
      'x',
      '--levels',
      'g=b,a',
      '--levels',
      'x=1,0',
      '--backend',
      'js',
    ]);
    expect(code).toBe(0);
    expect(h.calls[0].options).toMatchObject({
      REML: false,
      factors: ['x'],
      levels: { g: ['b', 'a'], x: ['1', '0'] },
      backend: 'js',
    });
    expect(h.stdout()).toContain('maximum likelihood');
  });

  it('--json prints one JSON object', async () => {
    const h = harness();
    expect(await h.run(['fit', '--example', 'sleepstudy', '--json'])).toBe(0);
    const j = JSON.parse(h.stdout());
    expect(j.formula).toBe('Reaction ~ Days + (Days | Subject)');
    expect(j.fixef['(Intercept)']).toBeCloseTo(251.405, 3);
    expect(j.dataName).toBe('sleepstudy');
    for (const k of REQUIRED_JSON_KEYS) {
      expect(j).toHaveProperty(k);
    }
  });

  it('calls glmer for a non-Gaussian family with the GLMM options', async () => {
    const h = harness({ 'c.csv': 'inc,size,period,herd\n1,5,"1","1"\n' });
    const code = await h.run([
      'fit',
      '--data',
      'c.csv',
      '--formula',
      'cbind(inc, size - inc) ~ period + (1 | herd)',
      '--family',
      'binomial',
      '--link',
      'logit',
      '--nAGQ',
      '25',
      '--weights',
      'w',
      '--offset',
      'off',
    ]);
    expect(code).toBe(0);
    expect(h.calls[0].fn).toBe('glmer');
    expect(h.calls[0].options).toMatchObject({
      family: 'binomial',
      link: 'logit',
      nAGQ: 25,
      weights: 'w',
      offset: 'off',
      dataName: 'c',
    });
    expect(h.stdout()).toContain('[glmerMod]');
  });

  it('--vcov passes control.vcov to glmer (case-insensitive)', async () => {
    for (const [flag, vcov] of [
      ['RX', 'RX'],
      ['rx', 'RX'],
      ['hessian', 'hessian'],
      ['Hessian', 'hessian'],
    ]) {
      const h = harness();
      expect(await h.run(['fit', '--example', 'cbpp', '--vcov', flag])).toBe(0);
      expect(h.calls[0].fn).toBe('glmer');
      expect(h.calls[0].options.control).toEqual({ vcov });
    }
    const h = harness();
    expect(await h.run(['fit', '--example', 'cbpp'])).toBe(0);
    expect(h.calls[0].options).not.toHaveProperty('control');
    // an LMM's standard errors come from R_X: --vcov RX is what it does, nothing to pass
    const l = harness();
    expect(await l.run(['fit', '--example', 'dyestuff', '--vcov', 'RX'])).toBe(0);
    expect(l.calls[0].fn).toBe('lmer');
    expect(l.calls[0].options).not.toHaveProperty('control');
  });

  it('a bad --vcov, or --vcov hessian for an LMM, is a usage error', async () => {
    const bad = harness();
    expect(await bad.run(['fit', '--example', 'cbpp', '--vcov', 'auto'])).toBe(2);
    expect(bad.stderr()).toContain(
      "error: option '--vcov <rule>' argument 'auto' is invalid. unknown covariance rule 'auto' (one of: hessian, RX)",
    );
    expect(bad.calls).toHaveLength(0);
    const lmm = harness();
    expect(await lmm.run(['fit', '--example', 'dyestuff', '--vcov', 'hessian'])).toBe(2);
    expect(lmm.stderr()).toMatch(/^error: --vcov hessian needs a non-Gaussian --family/);
    expect(lmm.calls).toHaveLength(0);
  });

  it('gaussian with identity link is an LMM', async () => {
    expect(isGlmmFamily('gaussian', undefined)).toBe(false);
    expect(isGlmmFamily('gaussian', 'identity')).toBe(false);
    expect(isGlmmFamily('gaussian', 'log')).toBe(true);
    expect(isGlmmFamily('poisson', undefined)).toBe(true);
    const h = harness();
    expect(await h.run(['fit', '--example', 'dyestuff', '--family', 'gaussian'])).toBe(0);
    expect(h.calls[0].fn).toBe('lmer');
  });
});

describe('errors and exit codes', () => {
  it('usage errors exit 2 with a message and no stack', async () => {
    for (const argv of [
      [],
      ['nonsense'],
      ['fit', '--bogus'],
      ['fit', '--formula', 'y ~ (1|g)'],
      ['fit', '--data', 'x.csv'],
      ['fit', '--example', 'nope'],
      ['fit', '--example', 'dyestuff', '--backend', 'gpu'],
      ['fit', '--example', 'dyestuff', '--nAGQ', 'many'],
      ['fit', '--example', 'dyestuff', '--levels', 'nolevels'],
      ['fit', '--example', 'dyestuff', '--nAGQ', '5'],
      ['fit', '--example', 'cbpp', '--vcov', 'sandwich'],
      ['fit', '--example', 'dyestuff', '--vcov', 'hessian'],
      ['fit', '--example', 'dyestuff', '--data', 'x.csv'],
    ]) {
      const h = harness();
      expect(await h.run(argv), argv.join(' ')).toBe(2);
      expect(h.stderr(), argv.join(' ')).toMatch(argv.length === 0 ? /Usage: glmm/ : /error/);
      expect(h.stderr()).not.toMatch(/\n\s+at /);
      expect(h.calls).toHaveLength(0);
    }
  });

  it('a missing file exits 1', async () => {
    const h = harness();
    expect(await h.run(['fit', '--data', '/nonexistent/x.csv', '--formula', 'y ~ (1|g)'])).toBe(1);
    expect(h.stderr()).toBe("error: cannot read data file '/nonexistent/x.csv' (ENOENT)\n");
  });

  it('a fit error exits 1 with its message only', async () => {
    const h = harness({}, new FormulaSyntaxError('unexpected )', 'y ~ )', 4));
    expect(await h.run(['fit', '--example', 'dyestuff'])).toBe(1);
    expect(h.stderr()).toBe(`error: unexpected ) at position 4 in formula\n  y ~ )\n      ^\n`);
    expect(h.stdout()).toBe('');
  });

  it('bad CSV exits 1 naming the file', async () => {
    const h = harness({ 'bad.csv': 'a,b\n1\n' });
    expect(await h.run(['fit', '--data', 'bad.csv', '--formula', 'a ~ (1|b)'])).toBe(1);
    expect(h.stderr()).toMatch(/^error: bad\.csv: row 1 has 1 fields/);
  });

  it('--help and --version exit 0', async () => {
    const h = harness();
    expect(await h.run(['--help'])).toBe(0);
    expect(h.stdout()).toContain('list-examples');
    const h2 = harness();
    expect(await h2.run(['fit', '--help'])).toBe(0);
    expect(h2.stdout()).toContain('--nAGQ');
    const h3 = harness();
    expect(await h3.run(['--version'])).toBe(0);
  });
});

describe('examples', () => {
  it('finds the bundled CSV files from src/', () => {
    const dir = examplesDir();
    for (const spec of Object.values(EXAMPLES)) {
      expect(readFileSync(dir + '/' + spec.file, 'utf8').length).toBeGreaterThan(0);
    }
  });

  it('glmm examples fits every example and prints summaries', async () => {
    const h = harness();
    expect(await h.run(['examples'])).toBe(0);
    expect(h.calls.map((c) => c.formula)).toEqual(Object.values(EXAMPLES).map((e) => e.formula));
    for (const name of Object.keys(EXAMPLES)) expect(h.stdout()).toContain(`==> ${name}: `);
    expect(h.calls[0].options.dataName).toBe('Dyestuff');
  });

  it('glmm examples reports a failing example and exits 1', async () => {
    const h = harness({}, new Error('boom'));
    expect(await h.run(['examples'])).toBe(1);
    expect(h.stderr()).toContain("error: example 'dyestuff': boom");
  });

  it('glmm examples --json prints one array', async () => {
    const h = harness();
    expect(await h.run(['examples', '--json'])).toBe(0);
    const j = JSON.parse(h.stdout());
    expect(j.map((e: { example: string }) => e.example)).toEqual(Object.keys(EXAMPLES));
  });

  it('list-examples names each example with its formula', async () => {
    const h = harness();
    expect(await h.run(['list-examples'])).toBe(0);
    expect(h.stdout()).toMatch(/^sleepstudy +Reaction ~ Days \+ \(Days \| Subject\)$/m);
    for (const name of Object.keys(EXAMPLES))
      expect(h.stdout()).toMatch(new RegExp(`^${name} `, 'm'));
    expect(h.stdout()).toContain('penicillin');
  });
});

describe('progress', () => {
  it('prints nothing in the first second, then at most once per second', () => {
    const lines: string[] = [];
    const p = createProgress((s) => lines.push(s), false, 'sleepstudy');
    p.onProgress({ evaluations: 5, fval: 10, elapsedMs: 200 });
    p.onProgress({ evaluations: 50, fval: 9, elapsedMs: 1100 });
    p.onProgress({ evaluations: 60, fval: 8.5, elapsedMs: 1500 });
    p.onProgress({ evaluations: 90, fval: 8, elapsedMs: 2200 });
    p.done();
    expect(lines).toEqual([
      'sleepstudy: 50 evaluations, 1.1 s, objective 9.0000\n',
      'sleepstudy: 90 evaluations, 2.2 s, objective 8.0000\n',
    ]);
  });
  it('rewrites one line on a terminal and ends it', () => {
    const lines: string[] = [];
    const p = createProgress((s) => lines.push(s), true);
    p.onProgress({ evaluations: 50, fval: 9, elapsedMs: 1000 });
    p.done();
    expect(lines[0].startsWith('\rfitting: 50 evaluations')).toBe(true);
    expect(lines[1]).toBe('\n');
  });
  it('the CLI wires onProgress unless --no-progress', async () => {
    const h = harness();
    await h.run(['fit', '--example', 'dyestuff']);
    expect(typeof h.calls[0].options.onProgress).toBe('function');
    const h2 = harness();
    await h2.run(['fit', '--example', 'dyestuff', '--no-progress']);
    expect(h2.calls[0].options.onProgress).toBeUndefined();
  });
});
