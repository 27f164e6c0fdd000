/**
 * Random-effects structures the other fixtures do not exercise, against lme4 1.1-31
 * (test/fixtures/structures/make-structures.R): a vector-valued term in the dense tail, a
 * factor random slope (v = 3), `||` in a GLMM beside a factor with more levels (lme4 then
 * orders the slope's θ before the intercept's), and crossed + nested terms. θ is compared by
 * position and name, so lme4's term order is checked too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { glmerSync } from '../../src/api/glmer';
import { lmerSync } from '../../src/api/lmer';
import { parseCsv } from '../../src/frame/csv';
import type { DataInput } from '../../src/frame/types';
import type { MerFit } from '../../src/results/fit';
import { backends, fixturesDir } from '../helpers/fixtures';

interface StructureRef {
  logLik: number;
  fixef: Record<string, number>;
  se: Record<string, number>;
  theta: number[];
  theta_names: string[];
}

const dir = join(fixturesDir, 'structures');
const data = parseCsv(readFileSync(join(dir, 'structures.csv'), 'utf8')) as DataInput;
const refs = JSON.parse(readFileSync(join(dir, 'structures.json'), 'utf8')) as Record<
  string,
  StructureRef
>;

type Backend = (typeof backends)[number];
const cases: { name: string; glmm: boolean; fit: (backend: Backend) => MerFit }[] = [
  {
    name: 'tailvec',
    glmm: false,
    fit: (backend) => lmerSync('y ~ x + (1 | g1) + (1 + x | g2)', data, { backend }),
  },
  {
    name: 'facslope',
    glmm: false,
    fit: (backend) => lmerSync('y ~ f + (0 + f | g1)', data, { backend }),
  },
  {
    name: 'glmm_zc',
    glmm: true,
    fit: (backend) =>
      glmerSync('yb ~ x + (x || g2) + (1 | g1)', data, { family: 'binomial', backend }),
  },
  {
    name: 'crossnest',
    glmm: false,
    fit: (backend) => lmerSync('y ~ x + (1 | g2/b) + (1 | g1)', data, { REML: false, backend }),
  },
];

for (const backend of backends) {
  describe(`random-effects structures vs lme4 (${backend})`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const fit = c.fit(backend);
        const ref = refs[c.name];
        const llTol = c.glmm ? 1e-5 : 1e-6;
        expect(Math.abs(fit.logLik - ref.logLik) / Math.abs(ref.logLik)).toBeLessThan(llTol);
        expect(fit.logLik).toBeGreaterThan(ref.logLik - llTol * Math.abs(ref.logLik));
        for (const [name, value] of Object.entries(ref.fixef)) {
          expect(Math.abs(fit.fixef[name] - value)).toBeLessThan(0.01 * ref.se[name]);
          expect(Math.abs(fit.se[name] / ref.se[name] - 1)).toBeLessThan(c.glmm ? 0.02 : 0.005);
        }
        expect(fit.thetaNames).toEqual(ref.theta_names);
        // A component lme4 leaves within 1% of the largest θ of zero is on the boundary: ours
        // must be there too (we may sit exactly at 0 where lme4 stops short of it).
        const scale = Math.max(...ref.theta.map(Math.abs));
        ref.theta.forEach((t, i) => {
          if (Math.abs(t) < 0.01 * scale) expect(Math.abs(fit.theta[i])).toBeLessThan(0.01 * scale);
          else expect(Math.abs(fit.theta[i] / t - 1)).toBeLessThan(0.01);
        });
      });
    }
  });
}
