/**
 * Negative binomial (NB2) GLMMs with θ estimated, the model of lme4's glmer.nb and glmmTMB's
 * nbinom2: the Laplace log-likelihood is maximised over log θ by a bounded 1-D search, each
 * step a full GLMM fit at fixed θ (so the answer is the joint maximum, as glmmTMB's).
 */
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import { FitError } from '../errors';
import { minimize } from '../optim/minimize';
import type { MerFitData } from '../results/types';
import { makeFamily } from './family';
import { fitGlmm, type GlmmSettings } from './glmm';

export interface NegbinSettings extends Omit<GlmmSettings, 'family'> {
  link: string;
}

export function fitNegativeBinomial(
  frame: ModelFrame,
  backend: Backend,
  settings: NegbinSettings,
): MerFitData {
  const t0 = performance.now();
  const at = (theta: number): MerFitData => {
    backend.heap.reset();
    return fitGlmm(frame, backend, {
      ...settings,
      family: makeFamily('negative.binomial', settings.link, { theta }),
    });
  };
  // Start from the Poisson GLMM's fitted means: moment estimate θ0 = mean(μ)² / (var(y) - mean(μ)).
  backend.heap.reset();
  const pois = fitGlmm(frame, backend, {
    ...settings,
    family: makeFamily('poisson', settings.link),
  });
  const y = frame.response.y;
  const mean = pois.fitted.reduce((s, v) => s + v, 0) / y.length;
  let vy = 0;
  for (const v of y) vy += (v - mean) ** 2;
  vy /= Math.max(1, y.length - 1);
  const theta0 = vy > mean ? Math.min(1e4, Math.max(1e-3, (mean * mean) / (vy - mean))) : 100;
  let best: MerFitData | null = null;
  let evaluations = 0;
  const opt = minimize(
    ([logTheta]) => {
      evaluations++;
      try {
        const fit = at(Math.exp(logTheta));
        if (best === null || fit.logLik > best.logLik) best = fit;
        return -2 * fit.logLik;
      } catch (e) {
        if (e instanceof FitError) return Infinity;
        throw e;
      }
    },
    [Math.log(theta0)],
    { lower: [Math.log(1e-4)], upper: [Math.log(1e6)], rhobeg: 0.5, rhoend: 1e-6 },
  );
  const fit = at(Math.exp(opt.x[0]));
  if (!Number.isFinite(fit.logLik)) throw new FitError('negative binomial fit failed');
  const df = fit.df + 1;
  return {
    ...fit,
    df,
    AIC: -2 * fit.logLik + 2 * df,
    BIC: -2 * fit.logLik + df * Math.log(fit.nobs),
    dfResid: fit.nobs - df,
    nbTheta: Math.exp(opt.x[0]),
    optimizer: {
      ...fit.optimizer,
      messages: [...fit.optimizer.messages, `theta: ${evaluations} fits, ${opt.message}`],
    },
    timings: { ...fit.timings, total: performance.now() - t0 },
  };
}
