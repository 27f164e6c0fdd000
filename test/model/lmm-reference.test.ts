/** Every LMM reference fit (lme4 1.1-31) reproduced on both backends. */
import { describe, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { expectMatchesReference, lmmTolerances } from '../helpers/compare';
import { backends, loadCases, loadCsv, loadRef } from '../helpers/fixtures';

for (const backend of backends) {
  describe(`lmer vs lme4 (${backend})`, () => {
    for (const c of loadCases('lmm')) {
      it(c.fit, () => {
        const fit = lmerSync(c.formula, loadCsv(c.data), { ...c.options, backend });
        expectMatchesReference(fit, loadRef(c.fit), lmmTolerances);
      });
    }
  });
}
