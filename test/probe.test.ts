import { it } from 'vitest';
import { glmerSync } from '../src/api/glmer';
import { loadCsv, loadRef } from '../test/helpers/fixtures';

const cases: [string, string, string, any][] = [
  ['cbpp_laplace', 'cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', { family: 'binomial', factors: ['period'] }],
  ['cbpp_agq25', 'cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd)', { family: 'binomial', factors: ['period'], nAGQ: 25 }],
  ['cbpp_olre', 'cbpp.csv', 'cbind(incidence, size - incidence) ~ period + (1 | herd) + (1|obs)', { family: 'binomial', factors: ['period', 'obs'] }],
  ['clinics_logit', 'clinics.csv', 'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)', { family: 'binomial' }],
  ['clinics_probit', 'clinics.csv', 'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)', { family: 'binomial', link: 'probit' }],
  ['rcbd_poisson', 'rcbd_counts.csv', 'count ~ trt + (1 | block) + (1 | block:trt)', { family: 'poisson' }],
  ['gamma_log', 'gamma_sim.csv', 'y ~ x + (1 | g)', { family: 'Gamma', link: 'log' }],
  ['rcbd_nbinom2', 'rcbd_counts.csv', 'count ~ trt + (1 | block)', { family: 'negbin' }],
];
for (const [name, file, formula, opts] of cases) {
  it(name, () => {
    const ref = loadRef(name);
    try {
      const fit = glmerSync(formula, loadCsv(file), { ...opts, backend: 'wasm' });
      console.log(name, 'logLik', fit.logLik, ref.logLik, 'fixef', JSON.stringify(fit.fixef), JSON.stringify(ref.fixef), 'se', JSON.stringify(fit.se), JSON.stringify(ref.se), 'theta', fit.theta, ref.theta, 'sigma', fit.sigma, ref.sigma, 'nb', fit.nbTheta, 'evals', fit.optimizer.evaluations, fit.timings.total.toFixed(1));
    } catch (e) { console.log(name, 'ERROR', e); }
  });
}
