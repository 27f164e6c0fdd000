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
import { qt } from '../../src/math/pvalues';
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
  rows_satterthwaite?: RefRow[];
  pairs_tukey_satterthwaite?: RefPair[];
  pairs_none_satterthwaite?: RefPair[];
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
    const worstS = { rows: 0, df: 0, pairs: 0, p: 0 };
    for (const name of ['twofactor', 'scale_poly']) {
      const c = load(name);
      it(`${name}: df 'satterthwaite' (t intervals, t tests, Tukey with finite df)`, () => {
        const fit = fitCase(c, backend);
        for (const e of c.emmeans) {
          const at = e.at ?? undefined;
          const g = fit.emmeans(asArray(e.spec), {
            type: e.type,
            df: 'satterthwaite',
            ...(at && { at }),
          });
          expect(g.dfMethod).toBe('satterthwaite');
          const ref = e.rows_satterthwaite!;
          g.rows.forEach((r, i) => {
            expect(r.level).toBe(ref[i].level);
            for (const key of ['estimate', 'se', 'df', 'lower', 'upper'] as const) {
              const d = rel(r[key], ref[i][key] as number);
              if (key === 'df') worstS.df = Math.max(worstS.df, d);
              else worstS.rows = Math.max(worstS.rows, d);
              expect(
                d,
                `${e.call} satterthwaite ${r.level} ${key}: ${r[key]} vs ${ref[i][key]}`,
              ).toBeLessThan(TOL);
            }
          });
          for (const [adjust, refPairs] of [
            ['tukey', e.pairs_tukey_satterthwaite!],
            ['none', e.pairs_none_satterthwaite!],
          ] as const) {
            const pr = g.pairs({ adjust });
            expect(pr.map((r) => r.contrast)).toEqual(refPairs.map((r) => r.contrast));
            pr.forEach((r, i) => {
              for (const key of ['estimate', 'se', 'df', 'statistic'] as const) {
                const d = rel(r[key], refPairs[i][key] as number);
                worstS.pairs = Math.max(worstS.pairs, d);
                expect(d, `${e.call} satterthwaite pairs ${r.contrast} ${key}`).toBeLessThan(TOL);
              }
              const dp = Math.abs(r.p - refPairs[i].p);
              worstS.p = Math.max(worstS.p, dp);
              expect(dp, `${e.call} satterthwaite pairs(${adjust}) ${r.contrast} p`).toBeLessThan(
                TOL,
              );
            });
          }
        }
      });
    }
    it('satterthwaite: reports the worst agreement', () => {
      console.log(
        `emmeans satterthwaite ${backend}: worst relative difference of means/SE/CL ${worstS.rows.toExponential(2)}, df ${worstS.df.toExponential(2)}, pairs ${worstS.pairs.toExponential(2)}, worst |Δp| ${worstS.p.toExponential(2)}`,
      );
    });
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
    expect(() => fit.emmeans('A', { df: 'kenwardroger' as 'asymptotic' })).toThrow(/df/);
    const cb = fitCase(load('cbpp'), 'js');
    expect(() => cb.emmeans('period', { df: 'satterthwaite' })).toThrow(/linear mixed models/);
    expect(() => fit.emmeans('A', { typ: 'link' } as never)).toThrow(/typ/);
  });
  it('toJSON', () => {
    const j = JSON.parse(JSON.stringify(fit.emmeans('B', { type: 'response' }))) as {
      term: string;
    };
    expect(j.term).toBe('B');
  });
});

describe('qt vs R', () => {
  const ref = JSON.parse(
    readFileSync(join(fixturesDir, 'inference', 'emmeans_qt.json'), 'utf8'),
  ) as {
    p: number;
    df: number;
    q: number;
    q_upper: number;
    pt_check: number;
    pt_check_upper: number;
  }[];
  it(`${ref.length} values of qt(p, df) and qt(p, df, lower.tail = FALSE)`, () => {
    let w = 0;
    let skipped = 0;
    for (const r of ref) {
      for (const [v, want, check] of [
        [qt(r.p, r.df), r.q, r.pt_check],
        [qt(r.p, r.df, false), r.q_upper, r.pt_check_upper],
      ]) {
        // R's qt(lower.tail = FALSE) with df = 0.5 in the far tail misses its own pt by 5e-5:
        // there the reference is the lower-tail quantile, -qt(p, df), whose pt is exact
        const target = Math.abs(check) > 1e-12 ? -r.q : want;
        if (target !== want) skipped++;
        const d = Math.abs(v - target) / Math.max(1, Math.abs(target));
        w = Math.max(w, d);
        expect(d, `qt(${r.p}, ${r.df}): ${v} vs ${target}`).toBeLessThan(1e-10);
      }
    }
    expect(skipped).toBeLessThan(3);
    expect(qt(0.975, Infinity)).toBeCloseTo(1.959963984540054, 14);
    expect(qt(0, 3)).toBe(-Infinity);
    expect(qt(1, 3)).toBe(Infinity);
    expect(qt(0.5, 3)).toBe(0);
    expect(qt(0.3, -1)).toBeNaN();
    console.log(`qt: worst relative difference ${w.toExponential(2)}`);
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
