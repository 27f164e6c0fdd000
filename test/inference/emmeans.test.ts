/**
 * Estimated marginal means and pairs vs emmeans 1.8.4-1 (test/fixtures/inference/emmeans_make.R),
 * and the studentized range distribution vs R's ptukey, on both backends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { emmeansFit, type EmmGrid } from '../../src/inference/emmeans';
import { ptukey } from '../../src/math/ptukey';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

type Num = number | 'Inf';
interface RefRow {
  levels: Record<string, string>;
  level: string;
  estimate: number;
  se: number;
  df: Num;
  lower: number;
  upper: number;
}
interface RefPair {
  contrast: string;
  estimate: number;
  se: number;
  df: Num;
  statistic: number;
  p: number;
}
interface RefEmm {
  label: string;
  spec: string | string[];
  type: 'link' | 'response';
  at: Record<string, number> | null;
  call: string;
  linfct: number[][];
  rows: RefRow[];
  pairs_tukey: RefPair[];
  pairs_none: RefPair[];
}
interface RefCase {
  name: string;
  fixef: Record<string, number>;
  vcov: number[][];
  formula: string;
  data_csv: string;
  fit_options: Record<string, unknown>;
  emmeans: RefEmm[];
}

const load = (name: string): RefCase =>
  JSON.parse(
    readFileSync(join(fixturesDir, 'inference', `emmeans_${name}.json`), 'utf8'),
  ) as RefCase;
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const TOL = 1e-4;
/** |a - b| relative to max(1, |b|). */
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

function fitCase(c: RefCase, backend: 'wasm' | 'js'): MerFit {
  const data = loadCsv(c.data_csv);
  const { family, ...rest } = c.fit_options;
  if (family === undefined) return lmerSync(c.formula, data, { ...rest, backend });
  return glmerSync(c.formula, data, { ...rest, family: family as 'binomial', backend });
}

const worst = { emm: 0, pairs: 0, p: 0 };

/**
 * End-to-end tolerance (our fit vs lme4's fit, then emmeans): 1e-4 for the LMMs. The GLMM fits
 * differ from lme4's by more than the means' computation: cbpp's intercept by 1.4e-4 relative
 * (Laplace optimum) and its SEs by up to 0.5% (finite-difference Hessian vcov; z ratios of pairs by 1.1%), rcbd_poisson's β by 1.3e-4 and its finite-difference Hessian vcov by 0.5%
 * (lme4 stops short: its logLik is 1e-5 lower). For every case the same means computed from
 * lme4's β and vcov (withLme4Estimates) must match emmeans to 1e-8.
 */
const endToEnd: Record<string, number> = { cbpp: 2e-2, rcbd_poisson: 2e-2 };

/** The fit with lme4's β and vcov (what emmeans reads), to check the computation alone. */
function withLme4Estimates(fit: MerFit, c: RefCase): MerFit {
  return {
    model: fit.model,
    link: fit.link,
    fixefNames: fit.fixefNames,
    fixef: c.fixef,
    vcov: c.vcov,
  } as unknown as MerFit;
}

function compare(g: EmmGrid, e: RefEmm, tol: number): void {
  g.rows.forEach((r, i) => {
    const ref = e.rows[i];
    expect(r.levels).toEqual(ref.levels);
    expect(r.df).toBe(Infinity);
    for (const key of ['estimate', 'se', 'lower', 'upper'] as const) {
      const d = rel(r[key], ref[key]);
      if (tol === 1e-8) worst.emm = Math.max(worst.emm, d);
      expect(d, `${e.call} ${r.level} ${key}: ${r[key]} vs ${ref[key]}`).toBeLessThan(tol);
    }
  });
  for (const [adjust, refPairs] of [
    ['tukey', e.pairs_tukey],
    ['none', e.pairs_none],
  ] as const) {
    const pr = g.pairs({ adjust });
    expect(pr.map((r) => r.contrast)).toEqual(refPairs.map((r) => r.contrast));
    pr.forEach((r, i) => {
      const ref = refPairs[i];
      for (const key of ['estimate', 'se', 'statistic'] as const) {
        const d = rel(r[key], ref[key]);
        if (tol === 1e-8) worst.pairs = Math.max(worst.pairs, d);
        expect(d, `${e.call} pairs ${r.contrast} ${key}`).toBeLessThan(tol);
      }
      if (tol === 1e-8) worst.p = Math.max(worst.p, Math.abs(r.p - ref.p));
      expect(Math.abs(r.p - ref.p), `${e.call} pairs(${adjust}) ${r.contrast} p`).toBeLessThan(tol);
    });
  }
}

for (const backend of backends) {
  describe(`emmeans vs R emmeans (${backend})`, () => {
    for (const name of ['cbpp', 'twofactor', 'scale_poly', 'rcbd_poisson']) {
      const c = load(name);
      it(`${name}: ${c.formula}`, () => {
        const fit = fitCase(c, backend);
        for (const e of c.emmeans) {
          const at = e.at ?? undefined;
          const g = fit.emmeans(asArray(e.spec), { type: e.type, ...(at && { at }) });
          expect(
            g.rows.map((r) => r.level),
            e.call,
          ).toEqual(e.rows.map((r) => r.level));
          // the linear functions are emmeans' @linfct
          g.linfct.forEach((k, i) =>
            k.forEach((x, j) => expect(Math.abs(x - e.linfct[i][j]), e.call).toBeLessThan(1e-10)),
          );
          compare(g, e, endToEnd[name] ?? TOL);
          const exact = withLme4Estimates(fit, c);
          compare(emmeansFit(exact, asArray(e.spec), { type: e.type, ...(at && { at }) }), e, 1e-8);
          // pairs() defaults to Tukey, as emmeans
          expect(g.pairs().map((r) => r.p)).toEqual(g.pairs({ adjust: 'tukey' }).map((r) => r.p));
        }
      });
    }
    it('reports the worst agreement', () => {
      console.log(
        `emmeans ${backend}, from lme4's β and vcov: worst relative difference of means ${worst.emm.toExponential(2)}, pairs ${worst.pairs.toExponential(2)}, worst |Δp| ${worst.p.toExponential(2)}`,
      );
    });
  });
}

describe('emmeans options and contrasts', () => {
  const c = load('twofactor');
  const fit = fitCase(c, 'js');
  it('equal weights: the A means average the A:B means', () => {
    const a = fit.emmeans('A');
    const ab = fit.emmeans('A:B');
    a.rows.forEach((r, i) => {
      const cells = ab.rows.filter((q) => q.levels.A === r.levels.A);
      expect(cells).toHaveLength(2);
      expect(r.estimate).toBeCloseTo((cells[0].estimate + cells[1].estimate) / 2, 10);
      expect(i).toBeLessThan(3);
    });
  });
  it('contrast(): custom coefficients, trt.vs.ctrl, revpairwise', () => {
    const a = fit.emmeans('A');
    const custom = a.contrast({ 'dose2 - ctl': [-1, 0, 1] });
    const tvc = a.contrast('trt.vs.ctrl');
    expect(tvc.map((r) => r.contrast)).toEqual(['dose1 - ctl', 'dose2 - ctl']);
    expect(custom[0].estimate).toBeCloseTo(tvc[1].estimate, 12);
    expect(custom[0].se).toBeCloseTo(tvc[1].se, 12);
    const rev = a.pairs({ reverse: true });
    expect(rev.map((r) => r.contrast)).toEqual(['dose2 - dose1', 'dose2 - ctl', 'dose1 - ctl']);
    expect(a.contrast('eff')).toHaveLength(3);
  });
  it('level changes the interval width; bad options are OptionErrors', () => {
    const r95 = fit.emmeans('A').rows[0];
    const r90 = fit.emmeans('A', { level: 0.9 }).rows[0];
    expect((r90.upper - r90.lower) / (r95.upper - r95.lower)).toBeCloseTo(
      1.644853627 / 1.959963985,
      8,
    );
    expect(() => fit.emmeans('C')).toThrow(/not a predictor/);
    expect(() => fit.emmeans('A', { at: { A: 'dose9' } })).toThrow(/not a level/);
    expect(() => fit.emmeans('A', { df: 'kenward-roger' as 'asymptotic' })).toThrow(/df/);
    expect(() => fit.emmeans('A', { typ: 'link' } as never)).toThrow(/typ/);
  });
  it('toJSON', () => {
    const j = JSON.parse(JSON.stringify(fit.emmeans('B', { type: 'response' }))) as {
      term: string;
    };
    expect(j.term).toBe('B');
  });
});

describe('ptukey vs R', () => {
  const ref = JSON.parse(
    readFileSync(join(fixturesDir, 'inference', 'emmeans_ptukey.json'), 'utf8'),
  ) as { q: number; nmeans: number; df: Num; p_upper: number }[];
  it(`${ref.length} values of ptukey(q, nmeans, df, lower.tail = FALSE)`, () => {
    let w = 0;
    for (const r of ref) {
      const df = r.df === 'Inf' ? Infinity : r.df;
      const d = Math.abs(ptukey(r.q, r.nmeans, df, 1, false) - r.p_upper);
      w = Math.max(w, d);
      expect(d, `ptukey(${r.q}, ${r.nmeans}, ${df})`).toBeLessThan(1e-12);
    }
    console.log(`ptukey: worst absolute difference ${w.toExponential(2)}`);
  });
});
