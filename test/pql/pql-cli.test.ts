/** `glmm fit --method pql --json`, with --emmeans --type response and --anova. */
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../helpers/fixtures';
import { runCli } from '../helpers/cli-io';
import { expectClose, pqlRefs } from './helpers';

const base = [
  'fit',
  '--data',
  `${fixturesDir}/clinics.csv`,
  '--formula',
  'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)',
  '--family',
  'binomial',
  '--method',
  'pql',
];

describe('glmm fit --method pql', () => {
  it('--json gives fixef, se, varCorr, method "PQL" and logLik null; emmeans and anova work', async () => {
    const r = await runCli([
      ...base,
      '--dispersion',
      'fixed',
      '--ml',
      '--json',
      '--emmeans',
      'trt',
      '--type',
      'response',
      '--anova',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const ref = pqlRefs.clinics_logit_fixed_ml;
    expect(j.method).toBe('PQL');
    expect(j.logLik).toBeNull();
    expect(j.pql.dispersion).toBe('fixed');
    for (const k of Object.keys(ref.fixef)) {
      expectClose(j.fixef[k], ref.fixef[k], 1e-4, 0, k);
      expectClose(j.se[k], ref.se[k], 1e-4, 0, k);
    }
    const clinic = j.varCorr.find((v: { group: string }) => v.group === 'clinic');
    expectClose(clinic.variance, ref.re.clinic.cov[0][0], 1e-4, 0, 'clinic variance');
    expect(JSON.stringify(j.emmeans)).toMatch(/"cntl"/);
    expect(j.anova).toHaveLength(1);
    expect(Object.keys(j.anova[0]).sort()).toEqual(['chisq', 'numDF', 'p', 'term']);
  });

  it('prints the PQL summary and rejects --dispersion without pql', async () => {
    const r = await runCli(base);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/penalized quasi-likelihood/);
    const bad = await runCli([...base.slice(0, -2), '--dispersion', 'fixed']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dispersion/);
  });
});
