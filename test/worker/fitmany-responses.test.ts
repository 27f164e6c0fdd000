/**
 * fitMany(formula, data, {responses}): one design, many responses, on the fit workers. A worker loads
 * the built bundle (plain JavaScript), so these run on dist/ (built by `npm test`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../helpers/fixtures';

const DIST = join(__dirname, '..', '..', 'dist', 'index.js');
type Lib = typeof import('../../src/index');
const lib = (): Promise<Lib> => import(DIST) as Promise<Lib>;
const SLEEP = 'Reaction ~ Days + (Days | Subject)';
type Sleep = { Reaction: number[]; Days: number[]; Subject: string[] };

/** Responses on sleepstudy's design: Reaction plus a different deterministic wobble each. */
function responses(reaction: ArrayLike<number>, count: number): Float64Array[] {
  return Array.from({ length: count }, (_, k) =>
    Float64Array.from(reaction, (v, i) => v + ((k * 7 + i * 13) % 17) - 8 + k * 0.01 * i),
  );
}

describe.skipIf(!existsSync(DIST))('fitMany over responses (dist bundle)', () => {
  it('fitMany(formula, data, {responses}) equals one lmer fit per response', async () => {
    const m = await lib();
    const sleep = loadCsv('sleepstudy.csv') as unknown as Sleep;
    const ys = responses(sleep.Reaction, 12);
    // one response with a missing value: fitted on its own with that row dropped
    ys[5][17] = NaN;
    const progress: number[] = [];
    const two = await m.fitMany('~ Days + (Days | Subject)', sleep, {
      responses: ys,
      workers: 2,
      chunkSize: 5,
      onProgress: (p) => progress.push(p.completed),
    });
    const one = await m.fitMany('~ Days + (Days | Subject)', sleep, { responses: ys, workers: 1 });
    expect(progress[progress.length - 1]).toBe(12);
    ys.forEach((y, k) => {
      const r = two[k];
      if (!r.ok) throw r.error;
      expect(r.response).toBe(`response${k + 1}`);
      const keep = Array.from(y, (v) => Number.isFinite(v));
      const data = {
        Reaction: Array.from(y).filter((_, i) => keep[i]),
        Days: sleep.Days.filter((_, i) => keep[i]),
        Subject: sleep.Subject.filter((_, i) => keep[i]),
      };
      const direct = m.lmerSync(SLEEP, data as never);
      for (const nm of direct.fixefNames) {
        expect(Math.abs(r.fixef[nm] - direct.fixef[nm])).toBeLessThan(
          1e-8 * Math.abs(direct.fixef[nm]) + 1e-8,
        );
        expect(Math.abs(r.se[nm] - direct.se[nm]) / direct.se[nm]).toBeLessThan(1e-6);
      }
      expect(Math.abs(r.logLik - direct.logLik)).toBeLessThan(1e-7);
      const o = one[k];
      if (!o.ok) throw o.error;
      expect(o.fixef).toEqual(r.fixef);
    });
  }, 120_000);

  it('fitMany by column names: a bad response is its own error', async () => {
    const m = await lib();
    const sleep = loadCsv('sleepstudy.csv') as unknown as Sleep;
    const data = {
      ...sleep,
      g1: Float64Array.from(sleep.Reaction, (v) => v * 2),
      flat: new Float64Array(180).fill(3),
    };
    const r = await m.fitMany('~ Days + (1 | Subject)', data, {
      responses: ['g1', 'flat', 'Reaction'],
    });
    expect(r.map((x) => [x.response, x.ok])).toEqual([
      ['g1', true],
      ['flat', false],
      ['Reaction', true],
    ]);
    const a = r[0];
    const c = r[2];
    if (!a.ok || !c.ok) throw new Error('expected fits');
    expect(a.fixef.Days).toBeCloseTo(2 * c.fixef.Days, 8);
    await expect(
      m.fitMany('~ Days + (1 | Subject)', data, { responses: ['nope'] }),
    ).rejects.toBeInstanceOf(m.DataError);
    await expect(
      m.fitMany('~ Days + (1 | Subject)', data, { responses: [] }),
    ).rejects.toBeInstanceOf(m.OptionError);
    expect(sleep.Reaction.length).toBe(180); // the caller's table is untouched
  }, 60_000);
  it('cancels with an AbortSignal: the run rejects with an AbortError', async () => {
    const m = await lib();
    const sleep = loadCsv('sleepstudy.csv') as unknown as Sleep;
    const ac = new AbortController();
    let seen = 0;
    const run = m.fitMany('~ Days + (Days | Subject)', sleep, {
      responses: responses(sleep.Reaction, 2000),
      workers: 2,
      chunkSize: 10,
      signal: ac.signal,
      onProgress: () => {
        if (++seen === 1) ac.abort();
      },
    });
    const err = await run.catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(seen).toBeLessThan(2000);
  }, 60_000);
});
