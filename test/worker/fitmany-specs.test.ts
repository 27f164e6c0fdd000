/**
 * fitMany(specs) on a pool of worker threads (dist bundle, as test/worker/fit-in-worker.test.ts):
 * outcomes in input order, a bad spec's error in its own slot, the same fits with 1 and 2
 * workers and equal to the fits in this thread, abort.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../helpers/fixtures';

const DIST = join(__dirname, '..', '..', 'dist', 'index.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;

describe.skipIf(!existsSync(DIST))('fitMany(specs) (worker_threads, dist bundle)', () => {
  const sleep = loadCsv('sleepstudy.csv');
  const cbpp = loadCsv('cbpp.csv');
  const specs = [
    { kind: 'lmer', formula: 'Reaction ~ Days + (Days | Subject)', data: sleep, options: {} },
    {
      kind: 'lmer',
      formula: 'Reaction ~ Days + (1 | Subject)',
      data: sleep,
      options: { REML: false },
    },
    { kind: 'lmer', formula: 'Reaction ~ Dayz + (1 | Subject)', data: sleep, options: {} },
    {
      kind: 'glmer',
      formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
      data: cbpp,
      options: { family: 'binomial', factors: ['period', 'herd'] },
    },
    { kind: 'lmer', formula: 'Reaction ~ Days + (Days || Subject)', data: sleep, options: {} },
  ];

  it('returns one outcome per spec in input order; errors stay in their slot; 1 = 2 workers', async () => {
    const lib: Lib = await import(DIST);
    const seen = new Set<number>();
    const two = await lib.fitMany(specs, {
      workers: 2,
      onProgress: (p: { index: number }) => seen.add(p.index),
    });
    const one = await lib.fitMany(specs, { workers: 1 });
    expect(two.map((o: { ok: boolean }) => o.ok)).toEqual([true, true, false, true, true]);
    expect(two[2].error).toBeInstanceOf(lib.UnknownColumnError);
    expect(two[2].error.column).toBe('Dayz');
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    specs.forEach((s, i) => {
      if (!two[i].ok) return;
      const here =
        s.kind === 'lmer'
          ? lib.lmerSync(s.formula, s.data, s.options)
          : lib.glmerSync(s.formula, s.data, s.options);
      expect(two[i].fit.formula).toBe(s.formula);
      expect(two[i].fit.fixef).toEqual(one[i].fit.fixef);
      expect(two[i].fit.theta).toEqual(one[i].fit.theta);
      expect(two[i].fit.logLik).toBe(one[i].fit.logLik);
      for (const k of Object.keys(here.fixef)) {
        expect(Math.abs(two[i].fit.fixef[k] - here.fixef[k])).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(here.fixef[k])),
        );
      }
      expect(Math.abs(two[i].fit.logLik - here.logLik)).toBeLessThan(1e-12 * Math.abs(here.logLik));
    });
  });

  it('aborts the whole run with an AbortError; checks workers', async () => {
    const lib: Lib = await import(DIST);
    const ac = new AbortController();
    const run = lib.fitMany(specs.concat(specs, specs), {
      workers: 2,
      signal: ac.signal,
      onProgress: (p: { phase: string }) => p.phase === 'optimize' && ac.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(lib.fitMany(specs, { workers: 0 })).rejects.toBeInstanceOf(lib.OptionError);
    await expect(lib.fitMany([])).rejects.toBeInstanceOf(lib.OptionError);
  });
});
