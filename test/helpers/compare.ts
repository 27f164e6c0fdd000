/** Assertions against lme4 reference fits with the tolerances the issues set. */
import { expect } from 'vitest';
import type { MerFit } from '../../src/results/fit';
import { asArray, type RefFit } from './fixtures';

export interface Tolerances {
  /** logLik relative tolerance (and never worse than lme4's by more). */
  logLik: number;
  /** Fixed effects: fraction of the reference standard error. */
  fixefSe: number;
  /** Standard errors: relative. */
  se: number;
  /** Variance-component sds (and correlations, absolute): relative. */
  sd: number;
  /** Conditional modes: absolute, scaled by max(1, |reference|). */
  condval: number | null;
}

export const lmmTolerances: Tolerances = {
  logLik: 1e-6,
  fixefSe: 0.01,
  se: 0.005,
  sd: 0.01,
  condval: 1e-3,
};

export function expectMatchesReference(fit: MerFit, ref: RefFit, tol: Tolerances): void {
  const relLL = Math.abs(fit.logLik - ref.logLik) / Math.abs(ref.logLik);
  expect(relLL, `logLik ${fit.logLik} vs ${ref.logLik}`).toBeLessThan(tol.logLik);
  expect(fit.logLik, 'never worse than lme4').toBeGreaterThan(
    ref.logLik - tol.logLik * Math.abs(ref.logLik),
  );
  expect(fit.nobs).toBe(ref.nobs);
  expect(fit.ngrps).toEqual(ref.ngrps);
  expect(Object.keys(fit.fixef)).toEqual(Object.keys(ref.fixef));
  for (const [name, value] of Object.entries(ref.fixef)) {
    expect(Math.abs(fit.fixef[name] - value), `fixef ${name}`).toBeLessThanOrEqual(
      tol.fixefSe * ref.se[name],
    );
    expect(Math.abs(fit.se[name] / ref.se[name] - 1), `se ${name}`).toBeLessThan(tol.se);
  }
  expect(fit.varCorr.length).toBe(ref.varcorr.length);
  // A component near zero is poorly determined; its 1% is taken of max(sd, 5% of the largest sd).
  const largestSd = Math.max(...ref.varcorr.filter((r) => r.var2 === null).map((r) => r.sdcor));
  ref.varcorr.forEach((row, i) => {
    const ours = fit.varCorr[i];
    expect(ours.group).toBe(row.grp);
    expect(ours.term).toBe(row.var1);
    expect(ours.term2).toBe(row.var2);
    if (row.var2 === null) {
      // All components on the boundary (sd 0): compare absolutely.
      const scale = Math.max(Math.abs(row.sdcor), 0.05 * largestSd) || 1;
      expect(Math.abs(ours.sd - row.sdcor) / scale, `sd ${row.grp} ${row.var1}`).toBeLessThan(
        tol.sd,
      );
    } else {
      expect(Math.abs(ours.sd - row.sdcor), `corr ${row.grp}`).toBeLessThan(tol.sd);
    }
  });
  expect(fit.singular).toBe(ref.singular);
  expect(fit.dfResid).toBe(ref.df_resid);
  expect(fit.df).toBe(ref.df);
  if (tol.condval !== null) {
    const grpvar = asArray(ref.ranef.grpvar);
    const term = asArray(ref.ranef.term);
    const grp = asArray(ref.ranef.grp);
    const condval = asArray(ref.ranef.condval);
    const condsd = asArray(ref.ranef.condsd);
    for (let i = 0; i < grpvar.length; i++) {
      const g = fit.ranef.find((r) => r.group === grpvar[i]);
      expect(g, `ranef group ${grpvar[i]}`).toBeDefined();
      const t = g!.terms.indexOf(term[i]);
      const l = g!.levels.indexOf(grp[i]);
      expect(t >= 0 && l >= 0, `ranef ${grpvar[i]} ${term[i]} ${grp[i]}`).toBe(true);
      const scale = Math.max(1, Math.abs(condval[i]));
      expect(Math.abs(g!.condval[t][l] - condval[i]) / scale, `condval ${grp[i]}`).toBeLessThan(
        tol.condval,
      );
      const sdScale = Math.max(Math.abs(condsd[i]), 1e-6 * (ref.sigma || 1));
      expect(Math.abs(g!.condsd[t][l] - condsd[i]) / sdScale, `condsd ${grp[i]}`).toBeLessThan(
        tol.sd,
      );
    }
  }
  ref.fitted_head.forEach((f, i) => {
    expect(Math.abs(fit.fitted[i] - f) / Math.max(1, Math.abs(f))).toBeLessThan(1e-4);
  });
}
