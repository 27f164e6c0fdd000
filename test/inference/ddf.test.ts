/**
 * Coefficient tables, contrast F tests and type-3 anova against lmerTest 3.1-3 (Satterthwaite)
 * and lme4 (GLMM z tests, Wald chi-square computed from vcov(glmer)), on both backends. The
 * references are made by test/fixtures/inference/ddf/make-ddf.R (tight bobyqa fits).
 * Tolerances from issue 8: df within 1e-3 relative, p-values within 1e-4 absolute; estimates,
 * SEs and statistics within 1e-4 relative (the optima differ by the optimizers' tolerance).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { anovaType3 as anovaTable } from '../../src/inference/anova3';
import { coefTable } from '../../src/inference/coeftable';
import { kenwardRoger } from '../../src/inference/kenwardroger';
import { pTwoSidedT } from '../../src/math/pvalues';
import { type3Hypotheses } from '../../src/inference/type3';
import { waldTest, type ChisqTestResult, type FTestResult } from '../../src/inference/waldtest';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

interface Row {
  term: string;
  estimate: number;
  se: number;
  df?: number;
  statistic: number;
  p: number;
}
interface FRow {
  term?: string;
  numDF: number;
  denDF: number;
  F: number;
  p: number;
}
interface Ref {
  name: string;
  kind: 'lmm' | 'glmm';
  data_csv: string;
  formula: string;
  REML?: boolean;
  family?: string;
  factors: string[] | string;
  satterthwaite?: Row[];
  anova_satterthwaite?: FRow[];
  /** Kenward–Roger (pbkrtest via lmerTest; REML cases only). */
  kr?: Row[];
  anova_kr?: FRow[];
  vcov_kr?: number[][];
  hypotheses?: Record<string, number[][]>;
  contrasts?: Record<
    string,
    {
      L: number[][];
      satterthwaite?: FRow;
      kr?: FRow;
      numDF?: number;
      chisq?: number;
      p?: number;
    }
  >;
  coef?: Row[];
  anova?: { term: string; numDF: number; chisq: number; p: number }[];
}

const dir = join(fixturesDir, 'inference', 'ddf');
const refs: Ref[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Ref);

const TOL = { dfRel: 1e-3, p: 1e-4, rel: 1e-4 };
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const worst = { df: 0, p: 0 };
const worstKr = { df: 0, p: 0, vcov: 0 };

function fitRef(ref: Ref, backend: (typeof backends)[number]): MerFit {
  const data = loadCsv(ref.data_csv);
  const factors = asArray(ref.factors ?? []);
  return ref.kind === 'lmm'
    ? lmerSync(ref.formula, data, { REML: ref.REML, factors, backend })
    : glmerSync(ref.formula, data, { family: ref.family, factors, backend });
}

/**
 * LMMs: estimates within 1e-4 of their SE, SEs within 1e-4 relative. GLMMs (lme4's optimum is
 * less tight: Laplace with its two-stage bobyqa/Nelder–Mead): β within 1% of SE,
 * (our Hessian-based SEs are 0.5-1.2% above lme4's here): SE within 2%, p within 1e-3 (z) and
 * 5e-3 (chi-square), the statistic checked exactly on the fit's own β and vcov,
 * and the z test itself checked on lme4's own statistics.
 */
function expectRow(
  ours: Row,
  theirs: Row,
  label: string,
  glmm = false,
  w: { df: number; p: number } = worst,
): void {
  expect(ours.term, label).toBe(theirs.term);
  const bTol = glmm ? 0.01 : 1e-4;
  expect(
    Math.abs(ours.estimate - theirs.estimate),
    `${label} estimate ${ours.estimate} vs ${theirs.estimate}`,
  ).toBeLessThan(bTol * theirs.se);
  expect(rel(ours.se, theirs.se), `${label} se ${ours.se} vs ${theirs.se}`).toBeLessThan(
    glmm ? 0.02 : TOL.rel,
  );
  const df = theirs.df;
  if (df !== undefined && df !== null) {
    w.df = Math.max(w.df, rel(ours.df ?? NaN, df));
    expect(rel(ours.df ?? NaN, df), `${label} df ${ours.df} vs ${df}`).toBeLessThan(TOL.dfRel);
  } else {
    expect(ours.df).toBe(Infinity);
  }
  if (glmm) {
    // our z test on lme4's numbers reproduces lme4's p-value; against our own SE, 1e-3
    expect(Math.abs(pTwoSidedT(theirs.statistic, Infinity) - theirs.p)).toBeLessThan(1e-12);
    expect(ours.statistic).toBeCloseTo(ours.estimate / ours.se, 12);
    expect(Math.abs(ours.p - theirs.p), `${label} p ${ours.p} vs ${theirs.p}`).toBeLessThan(1e-3);
    return;
  }
  w.p = Math.max(w.p, Math.abs(ours.p - theirs.p));
  expect(Math.abs(ours.p - theirs.p), `${label} p ${ours.p} vs ${theirs.p}`).toBeLessThan(TOL.p);
}

function expectF(
  ours: FTestResult,
  theirs: FRow,
  label: string,
  w: { df: number; p: number } = worst,
): void {
  expect(ours.numDF, label).toBe(theirs.numDF);
  w.df = Math.max(w.df, rel(ours.denDF, theirs.denDF));
  w.p = Math.max(w.p, Math.abs(ours.p - theirs.p));
  expect(
    rel(ours.denDF, theirs.denDF),
    `${label} denDF ${ours.denDF} vs ${theirs.denDF}`,
  ).toBeLessThan(TOL.dfRel);
  expect(rel(ours.F, theirs.F), `${label} F ${ours.F} vs ${theirs.F}`).toBeLessThan(1e-3);
  expect(Math.abs(ours.p - theirs.p), `${label} p ${ours.p} vs ${theirs.p}`).toBeLessThan(TOL.p);
}

/**
 * Kenward–Roger against pbkrtest 0.5.2 through lmerTest (REML cases): the adjusted vcov
 * (pbkrtest::vcovAdj) within 1e-4 relative, coefficient table, type-3 anova, contrast and
 * term F tests with the df and p tolerances of issue 8. ML fits: pbkrtest refits by REML, so
 * the KR results of an ML fit are those of its REML refit.
 */
function checkKenwardRoger(fit: MerFit, ref: Ref): void {
  const w = worstKr;
  if (!ref.REML) {
    const reml = fit.update({ REML: true });
    try {
      const a = coefTable(fit, { ddf: 'Kenward-Roger' });
      const b = coefTable(reml, { ddf: 'Kenward-Roger' });
      a.forEach((row, j) => {
        expect(rel(row.df, b[j].df), `${ref.name} KR(ML) df`).toBeLessThan(1e-8);
        expect(rel(row.se, b[j].se), `${ref.name} KR(ML) se`).toBeLessThan(1e-8);
        expect(row.estimate).toBeCloseTo(b[j].estimate, 8);
      });
    } finally {
      reml.dispose();
    }
    return;
  }
  const adj = kenwardRoger(fit).vcovAdj;
  adj.forEach((r, i) =>
    r.forEach((v, j) => {
      const theirs = ref.vcov_kr![i][j];
      const e = Math.abs(v - theirs) / Math.max(Math.abs(theirs), 1e-12 * Math.abs(adj[i][i]));
      w.vcov = Math.max(w.vcov, e);
      expect(e, `${ref.name} vcovAdj[${i}][${j}] ${v} vs ${theirs}`).toBeLessThan(TOL.rel);
    }),
  );
  coefTable(fit, { ddf: 'Kenward-Roger' }).forEach((row, j) =>
    expectRow(row, ref.kr![j], `${ref.name} KR ${row.term}`, false, w),
  );
  const an = anovaTable(fit, { type: 3, ddf: 'Kenward-Roger' }) as (FTestResult & {
    term: string;
  })[];
  an.forEach((row, i) => {
    expect(row.term).toBe(ref.anova_kr![i].term);
    expectF(row, ref.anova_kr![i], `${ref.name} KR anova ${row.term}`, w);
    expectF(
      waldTest(fit, row.term, { ddf: 'Kenward-Roger' }) as FTestResult,
      ref.anova_kr![i],
      `${ref.name} KR waldTest(${row.term})`,
      w,
    );
  });
  for (const [name, c] of Object.entries(ref.contrasts ?? {})) {
    expectF(
      waldTest(fit, c.L, { ddf: 'Kenward-Roger' }) as FTestResult,
      c.kr!,
      `${ref.name} KR contrast ${name}`,
      w,
    );
  }
}

describe.each(backends)('inference against lmerTest (%s)', (backend) => {
  for (const ref of refs) {
    it(ref.name, () => {
      const fit = fitRef(ref, backend);
      if (ref.kind === 'lmm') {
        coefTable(fit, { ddf: 'Satterthwaite' }).forEach((row, j) =>
          expectRow(row, ref.satterthwaite![j], `${ref.name} ${row.term}`),
        );
        const hyp = type3Hypotheses(fit.model.frame);
        for (const h of hyp) {
          const theirs = ref.hypotheses![h.term];
          expect(h.L.length, `${ref.name} L(${h.term}) rows`).toBe(theirs.length);
          h.L.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(theirs[i][j], 6)));
        }
        const an = anovaTable(fit, { type: 3, ddf: 'Satterthwaite' }) as (FTestResult & {
          term: string;
        })[];
        an.forEach((row, i) => {
          expect(row.term).toBe(ref.anova_satterthwaite![i].term);
          expectF(row, ref.anova_satterthwaite![i], `${ref.name} anova ${row.term}`);
        });
        for (const [name, c] of Object.entries(ref.contrasts ?? {})) {
          expectF(
            waldTest(fit, c.L) as FTestResult,
            c.satterthwaite!,
            `${ref.name} contrast ${name}`,
          );
        }
        for (const row of an) {
          expectF(waldTest(fit, row.term) as FTestResult, row, `${ref.name} waldTest(${row.term})`);
        }
        checkKenwardRoger(fit, ref);
      } else {
        coefTable(fit).forEach((row, j) =>
          expectRow(row, ref.coef![j], `${ref.name} ${row.term}`, true),
        );
        const an = anovaTable(fit, { type: 3 }) as (ChisqTestResult & { term: string })[];
        an.forEach((row, i) => {
          const theirs = ref.anova![i];
          expect(row.term).toBe(theirs.term);
          expect(row.numDF).toBe(theirs.numDF);
          expect(rel(row.chisq, theirs.chisq)).toBeLessThan(0.03);
          expect(Math.abs(row.p - theirs.p)).toBeLessThan(5e-3);
        });
        for (const c of Object.values(ref.contrasts ?? {})) {
          const w = waldTest(fit, c.L) as ChisqTestResult;
          expect(w.numDF).toBe(c.numDF);
          expect(rel(w.chisq, c.chisq!)).toBeLessThan(0.03);
          expect(Math.abs(w.p - c.p!)).toBeLessThan(5e-3);
          // the statistic itself: (Lβ)ᵀ (L V Lᵀ)⁻¹ (Lβ) with the fit's own β and V (one row here)
          const l = c.L[0];
          const names = fit.fixefNames;
          const lb = l.reduce((sum, v, i) => sum + v * fit.fixef[names[i]], 0);
          const lvl = l.reduce(
            (sum, a, i) => sum + l.reduce((t, b, j) => t + a * fit.vcov[i][j] * b, 0),
            0,
          );
          expect(w.chisq).toBeCloseTo((lb * lb) / lvl, 10);
        }
      }
    });
  }
  it('reports the worst agreement', () => {
    console.log(
      `inference (${backend}): worst df relative error ${worst.df.toExponential(2)}, worst p absolute error ${worst.p.toExponential(2)}`,
    );
    console.log(
      `Kenward-Roger (${backend}): worst df relative error ${worstKr.df.toExponential(2)}, worst p absolute error ${worstKr.p.toExponential(2)}, worst vcovAdj relative error ${worstKr.vcov.toExponential(2)}`,
    );
  });
});
