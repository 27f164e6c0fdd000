/**
 * fitInWorker in Node's worker_threads. A worker loads the built bundle (plain JavaScript), so
 * this suite runs on dist/ (built by `npm test`), as the bootstrap's worker tests do. Compared
 * with the fit in this thread to 1e-12 on both backends; progress, abort, errors rethrown with
 * their class and fields, and the documented transfer semantics.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../helpers/fixtures';

const DIST = join(__dirname, '..', '..', 'dist', 'index.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
const load = (): Promise<Lib> => import(DIST);

const SLEEP = 'Reaction ~ Days + (Days | Subject)';
const CBPP = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

/** Every estimate of two fits agree to `tol` (relative, floored at 1). */
function expectSameFit(a: Lib, b: Lib, tol: number): void {
  for (const k of Object.keys(b.fixef)) expect(relErr(a.fixef[k], b.fixef[k])).toBeLessThan(tol);
  for (const k of Object.keys(b.se)) expect(relErr(a.se[k], b.se[k])).toBeLessThan(tol);
  b.theta.forEach((t: number, i: number) => expect(relErr(a.theta[i], t)).toBeLessThan(tol));
  expect(relErr(a.sigma, b.sigma)).toBeLessThan(tol);
  expect(relErr(a.logLik, b.logLik)).toBeLessThan(tol);
  expect(a.optimizer.evaluations).toBe(b.optimizer.evaluations);
}

/** A binomial data set whose glmer fit takes seconds (what abort is tested on). */
function slowData(n = 40000, groups = 2000) {
  let s = 7;
  const rand = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const g: string[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = rand() - 0.5;
    const u = (i % groups) / groups - 0.5;
    y[i] = rand() < 1 / (1 + Math.exp(-(0.3 + x[i] + u))) ? 1 : 0;
    g.push(`g${i % groups}`);
  }
  return { y, x, g };
}

describe.skipIf(!existsSync(DIST))('fitInWorker (worker_threads, dist bundle)', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`equals the fit in this thread to 1e-12 (${backend}): lmer and glmer`, async () => {
      const lib = await load();
      const sleep = loadCsv('sleepstudy.csv');
      const here = lib.lmerSync(SLEEP, sleep, { backend });
      const there = await lib.fitInWorker({
        kind: 'lmer',
        formula: SLEEP,
        data: sleep,
        options: { backend },
      });
      expect(there).toBeInstanceOf(lib.MerFit);
      expect(there.backend).toBe(here.backend);
      expectSameFit(there, here, 1e-12);
      expect(there.summary()).toBe(here.summary());
      expect(JSON.stringify({ ...there.toJSON(), timings: 0 })).toBe(
        JSON.stringify({ ...here.toJSON(), timings: 0 }),
      );
      const cbpp = loadCsv('cbpp.csv');
      const options = { family: 'binomial', factors: ['period', 'herd'], backend };
      const g = await lib.fitInWorker({ kind: 'glmer', formula: CBPP, data: cbpp, options });
      expectSameFit(g, lib.glmerSync(CBPP, cbpp, options), 1e-12);
    });
  }

  it('reports progress: load, build, then each optimizer evaluation', async () => {
    const lib = await load();
    const seen: { phase: string; evaluations: number; deviance: number; elapsedMs: number }[] = [];
    const fit = await lib.fitInWorker(
      { kind: 'lmer', formula: SLEEP, data: loadCsv('sleepstudy.csv'), options: {} },
      { onProgress: (p: (typeof seen)[number]) => seen.push(p) },
    );
    expect(seen.slice(0, 2).map((p) => p.phase)).toEqual(['load', 'build']);
    const opt = seen.filter((p) => p.phase === 'optimize');
    expect(opt.map((p) => p.evaluations)).toEqual(
      Array.from({ length: fit.optimizer.evaluations }, (_, i) => i + 1),
    );
    expect(opt.at(-1)!.deviance).toBeCloseTo(
      Math.min(...fit.optimizer.history.map((h: { f: number }) => h.f)),
      6,
    );
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].elapsedMs).toBeGreaterThanOrEqual(seen[i - 1].elapsedMs);
    }
  });

  it('a fit without a live model: summary works, refit and update throw FitError', async () => {
    const lib = await load();
    const sleep = loadCsv('sleepstudy.csv');
    const fit = await lib.fitInWorker({ kind: 'lmer', formula: SLEEP, data: sleep, options: {} });
    expect(fit.summary()).toContain('Random effects:');
    expect(fit.toJSON().fixef).toEqual(fit.fixef);
    // tests with Satterthwaite df need the model, which stayed in the worker
    expect(() => fit.coefTable()).toThrow(lib.FitError);
    expect(() => fit.refit(new Float64Array(fit.nobs))).toThrow(lib.FitError);
    expect(() => fit.update({ REML: false })).toThrow(lib.FitError);
  });

  it('rethrows errors with their class, message and fields', async () => {
    const lib = await load();
    const sleep = loadCsv('sleepstudy.csv');
    const bad = 'Reaction ~ Days + (Days | Subject';
    let here: Lib;
    try {
      lib.lmerSync(bad, sleep);
    } catch (e) {
      here = e;
    }
    const there = await lib
      .fitInWorker({ kind: 'lmer', formula: bad, data: sleep, options: {} })
      .catch((e: unknown) => e);
    expect(there).toBeInstanceOf(lib.FormulaSyntaxError);
    expect(there).toBeInstanceOf(lib.GlmmError);
    expect(there.name).toBe('FormulaSyntaxError');
    expect(there.message).toBe(here.message);
    expect(there.position).toBe(here.position);
    expect(there.formula).toBe(bad);
    const col = await lib
      .fitInWorker({
        kind: 'lmer',
        formula: 'Reaction ~ Dayz + (1 | Subject)',
        data: sleep,
        options: {},
      })
      .catch((e: unknown) => e);
    expect(col).toBeInstanceOf(lib.UnknownColumnError);
    expect(col.column).toBe('Dayz');
    const opt = await lib
      .fitInWorker({ kind: 'lmer', formula: SLEEP, data: sleep, options: { REMl: true } })
      .catch((e: unknown) => e);
    expect(opt).toBeInstanceOf(lib.OptionError);
    expect(opt.option).toBe('REMl');
  });

  it('refuses what cannot cross to a worker, on the calling side', async () => {
    const lib = await load();
    const spec = { kind: 'lmer', formula: SLEEP, data: loadCsv('sleepstudy.csv') };
    await expect(lib.fitInWorker({ ...spec, options: { onProgress: () => {} } })).rejects.toThrow(
      /onProgress.*fitInWorker's own options/,
    );
    await expect(lib.fitInWorker({ ...spec, kind: 'lm', options: {} })).rejects.toBeInstanceOf(
      lib.OptionError,
    );
    await expect(lib.fitInWorker({ ...spec, options: {} }, { singal: 1 })).rejects.toThrow(
      /did you mean 'signal'/,
    );
  });

  it('aborts promptly: rejects with an AbortError and frees the worker', async () => {
    const lib = await load();
    const data = slowData();
    const spec = {
      kind: 'glmer',
      formula: 'y ~ x + (1 | g)',
      data,
      options: { family: 'binomial' },
    };
    const ac = new AbortController();
    let abortedAt = 0;
    let afterAbort = 0;
    const pending = lib.fitInWorker(spec, {
      signal: ac.signal,
      onProgress: (p: { phase: string }) => {
        if (abortedAt > 0) afterAbort++;
        if (p.phase === 'optimize' && abortedAt === 0) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
    });
    const e = await pending.catch((err: unknown) => err);
    expect(e.name).toBe('AbortError');
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(afterAbort).toBe(0);
    // already aborted: rejected before any worker starts
    await expect(lib.fitInWorker(spec, { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('transfers typed-array columns (detached afterwards) unless keepData; never modifies the rest', async () => {
    const lib = await load();
    const sleep = loadCsv('sleepstudy.csv') as Record<string, unknown[]>;
    const reaction = Float64Array.from(sleep.Reaction as number[]);
    const days = Float64Array.from(sleep.Days as number[]);
    const subject = (sleep.Subject as string[]).slice();
    const table = { Reaction: reaction, Days: days, Subject: subject };
    const expected = lib.lmerSync(SLEEP, table);

    const kept = { Reaction: reaction.slice(), Days: days.slice(), Subject: subject };
    const k = await lib.fitInWorker(
      { kind: 'lmer', formula: SLEEP, data: kept, options: {} },
      { keepData: true },
    );
    expectSameFit(k, expected, 1e-12);
    expect(Array.from(kept.Reaction)).toEqual(Array.from(reaction));
    expect(kept.Days.length).toBe(180);

    // a view of part of a buffer is copied, so the rest of that buffer stays usable
    const big = new Float64Array(360);
    big.set(days, 180);
    const part = big.subarray(180);
    const moved = { Reaction: reaction, Days: part, Subject: subject };
    const t = await lib.fitInWorker({ kind: 'lmer', formula: SLEEP, data: moved, options: {} });
    expectSameFit(t, expected, 1e-12);
    expect(reaction.length).toBe(0); // transferred: detached
    expect(reaction.buffer.byteLength).toBe(0);
    expect(part.length).toBe(180); // copied
    expect(big.length).toBe(360);
    expect(moved.Subject).toBe(subject); // the caller's table object is not replaced or changed
    expect(subject).toEqual(sleep.Subject);
  });
});
