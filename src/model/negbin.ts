/**
 * Negative binomial (NB2) GLMMs with θ estimated, the model of lme4's glmer.nb and glmmTMB's
 * nbinom2: the Laplace log-likelihood is maximised over log θ by a bounded 1-D search, each
 * step a full GLMM fit at fixed θ on the same resident model (so the answer is the joint
 * maximum, as glmmTMB's).
 */
import { FitError } from '../errors';
import { minimize } from '../optim/minimize';
import { makeFamily } from './family';
import { fitGlmm, type GlmmEstimates, type GlmmModel, type GlmmSettings } from './glmm';

/** Search range and tolerance of log θ (θ from 1e-4 to 1e6). */
const LOG_THETA_LOWER = Math.log(1e-4);
const LOG_THETA_UPPER = Math.log(1e6);

export interface NegbinEstimates extends GlmmEstimates {
  nbTheta: number;
}

/**
 * Fits the negative binomial θ with the model's link. Mutates the model's family (left at the
 * estimated θ). `start` is a starting θ; by default the moment estimate from a Poisson fit.
 */
export function fitNegativeBinomial(
  m: GlmmModel,
  settings: GlmmSettings,
  start?: number,
): NegbinEstimates {
  const link = m.fam.link.name;
  // The search's fits need only the log-likelihood; derivatives and vcov at the final θ alone.
  const inner = { ...settings, skipDerivatives: true };
  const atTheta = (theta: number, s: GlmmSettings = inner): GlmmEstimates => {
    m.setFamily(makeFamily('negative.binomial', link, { theta }));
    return fitGlmm(m, s);
  };
  let theta0 = start;
  if (theta0 === undefined) {
    // Moment estimate from the Poisson GLMM's fitted means: θ0 = mean(μ)² / (var(y) - mean(μ)).
    m.setFamily(makeFamily('poisson', link));
    const pois = fitGlmm(m, inner);
    const y = m.resp.y;
    const mean = pois.mu.reduce((s, v) => s + v, 0) / y.length;
    let vy = 0;
    for (const v of y) vy += (v - mean) ** 2;
    vy /= Math.max(1, y.length - 1);
    theta0 = vy > mean ? Math.min(1e4, Math.max(1e-3, (mean * mean) / (vy - mean))) : 100;
  }
  let evaluations = 0;
  const opt = minimize(
    ([logTheta]) => {
      evaluations++;
      try {
        return -2 * atTheta(Math.exp(logTheta)).logLik;
      } catch (e) {
        if (e instanceof FitError) return Infinity;
        throw e;
      }
    },
    [Math.log(theta0)],
    { lower: [LOG_THETA_LOWER], upper: [LOG_THETA_UPPER], rhobeg: 0.5, rhoend: 1e-6 },
  );
  const nbTheta = Math.exp(opt.x[0]);
  const fit = atTheta(nbTheta, settings);
  if (!Number.isFinite(fit.logLik)) throw new FitError('negative binomial fit failed');
  return {
    ...fit,
    nbTheta,
    optimizer: {
      ...fit.optimizer,
      converged: fit.optimizer.converged && opt.converged,
      messages: [...fit.optimizer.messages, `theta: ${evaluations} fits, ${opt.message}`],
    },
  };
}
