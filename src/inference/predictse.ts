/**
 * Standard errors of the fixed-effect part of predictions, sqrt(diag(X V Xᵀ)) with V = vcov(β)
 * and X the model matrix of the rows predicted (the training rows, or new data rebuilt through
 * the frame schema). On the link scale; for `type: 'response'` multiplied by |dμ/dη| at the
 * predicted η (the delta method). They ignore the uncertainty of the random effects.
 */
import { newdataMatrices } from '../frame/newdata';
import type { DataInput } from '../frame/types';
import type { GlmmModel } from '../model/glmm';
import type { LmmModel } from '../model/lmm';
import { makeLink } from '../model/links';

/** What `predict(newdata, { se: true })` returns. */
export interface PredictionWithSe {
  fit: number[];
  se: number[];
}

export function fixedPartSe(
  vcov: readonly (readonly number[])[],
  model: LmmModel | GlmmModel,
  newdata: DataInput | undefined,
): number[] {
  const { X, n } =
    newdata === undefined
      ? { X: model.frame.X, n: model.frame.n }
      : newdataMatrices(model.frame.schema, newdata, false);
  const p = vcov.length;
  const out = new Array<number>(n);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = X[i + j * n];
    let s = 0;
    for (let a = 0; a < p; a++) {
      if (row[a] === 0) continue;
      let t = 0;
      for (let b = 0; b < p; b++) t += vcov[a][b] * row[b];
      s += row[a] * t;
    }
    out[i] = Math.sqrt(Math.max(s, 0));
  }
  return out;
}

/** The link-scale SEs carried to the response scale at the predictions `fitResponse`. */
export function responseSe(
  linkName: string,
  fitLink: readonly number[],
  seLink: number[],
): number[] {
  const link = makeLink(linkName);
  return seLink.map((s, i) => s * Math.abs(link.muEta(fitLink[i])));
}
