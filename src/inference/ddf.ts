/** The denominator-degrees-of-freedom option of the tests, and the fit a test works on. */
import { FitError, OptionError } from '../errors';
import type { ModelFrame } from '../frame/types';
import type { MerFit } from '../results/fit';
import type { LmmModel } from '../model/lmm';
import { varparDerivatives, type VarparDerivatives } from './varpar';
import { kenwardRoger, type KenwardRoger } from './kenwardroger';

export type DdfMethod = 'Satterthwaite' | 'Kenward-Roger' | 'none';

const METHODS: DdfMethod[] = ['Satterthwaite', 'Kenward-Roger', 'none'];

export function checkDdf(ddf: unknown): DdfMethod {
  if (ddf === undefined) return 'Satterthwaite';
  const hit = METHODS.find((m) => typeof ddf === 'string' && m.toLowerCase() === ddf.toLowerCase());
  if (!hit) {
    throw new OptionError(
      `must be one of ${METHODS.map((m) => `'${m}'`).join(', ')}, not ${JSON.stringify(ddf)}`,
      'ddf',
    );
  }
  return hit;
}

/** What the tests read off a fit. */
export interface TestContext {
  kind: 'lmm' | 'glmm';
  names: string[];
  beta: number[];
  vcov: number[][];
  frame: ModelFrame;
  /** Satterthwaite's ingredients (LMMs; computed once per fit). */
  derivatives(): VarparDerivatives;
  /** Kenward–Roger's adjusted covariance and ingredients (LMMs; computed once per fit). */
  kenwardRoger(): KenwardRoger;
}

export function testContext(fit: MerFit): TestContext {
  const model = fit.model;
  const names = fit.fixefNames.slice();
  return {
    kind: fit.method === 'PQL' ? 'glmm' : model.kind,
    names,
    beta: names.map((nm) => fit.fixef[nm]),
    vcov: fit.vcov,
    frame: model.frame,
    derivatives: () => {
      if (model.kind !== 'lmm' || fit.method === 'PQL')
        throw new FitError('Satterthwaite degrees of freedom need a linear mixed model');
      return varparDerivatives(fit, {
        model: model as LmmModel,
        REML: fit.REML,
        theta: fit.theta,
        sigma: fit.sigma,
      });
    },
    kenwardRoger: () => kenwardRoger(fit),
  };
}
