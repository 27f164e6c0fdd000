/**
 * Predictions from a fit, as lme4's predict.merMod: on the training rows or on new data (whose
 * model matrices are rebuilt from the frame's schema), with or without the random effects, on
 * the link or the response scale. A new grouping level is an error unless `allowNewLevels`,
 * when it predicts at the population level (its random effect 0), as lme4.
 */
import { DataError, OptionError } from '../errors';
import { numericColumn } from '../frame/modelframe';
import { newdataMatrices } from '../frame/newdata';
import type { DataInput } from '../frame/types';
import type { GlmmModel } from '../model/glmm';
import { makeLink, type LinkName } from '../model/links';
import { fixedPredictor } from '../model/predict';
import type { LmmModel } from '../model/lmm';
import { checkBoolean, checkChoice, checkKeys, checkRecord, describe } from '../options';
import type { MerFit } from './fit';
import { fixedPartSe, responseSe, type PredictionWithSe } from '../inference/predictse';

export interface PredictOptions {
  /** New data (a column table or an array of rows); omitted: the rows the model was fitted to. */
  newdata?: DataInput;
  /** 'link' (default, as lme4): the linear predictor; 'response': the mean, through the inverse link. */
  type?: 'link' | 'response';
  /**
   * 'all' (default): with the conditional modes; 'none': population level (lme4's re.form = NA);
   * an array of grouping-factor names (`['Subject']`, `['cask:batch']`): only the random
   * effects of those factors, as lme4's re.form with a subset of the random terms
   * (`re.form = ~(1 | Subject)`); `[]` is the population level (re.form = ~0).
   */
  re?: 'all' | 'none' | readonly string[];
  /** Predict new grouping levels at the population level instead of throwing. */
  allowNewLevels?: boolean;
  /** The offset for the new rows, when the fit's offset option was given as an array. */
  offset?: readonly number[];
  /**
   * Also the standard errors of the fixed-effect part, sqrt(diag(X vcov Xᵀ)) (on the link scale;
   * for type 'response' by the delta method): the result is then `{ fit, se }`.
   */
  se?: boolean;
}

const PREDICT_KEYS = ['newdata', 'type', 're', 'allowNewLevels', 'offset', 'se'];

type Model = LmmModel | GlmmModel;

function parseArguments(
  a: DataInput | PredictOptions | undefined,
  b: PredictOptions | undefined,
): PredictOptions {
  if (typeof a === 'string') {
    throw new OptionError(
      `predict takes new data and/or an options object, not a string: use predict({ type: ${JSON.stringify(a)} })`,
      'predict',
    );
  }
  let options: PredictOptions;
  if (b !== undefined) {
    checkRecord(b, 'predict options');
    if ('newdata' in b) {
      throw new OptionError(
        'give the new data once: predict(newdata, options) or predict({ newdata })',
        'newdata',
      );
    }
    if (!isTable(a)) {
      throw new OptionError(
        `must be a column table or an array of rows, got ${describe(a)}`,
        'newdata',
      );
    }
    options = { ...b, newdata: a as DataInput };
  } else if (a === undefined) {
    options = {};
  } else if (isTable(a) && !Object.keys(a).some((k) => PREDICT_KEYS.includes(k))) {
    options = { newdata: a as DataInput };
  } else {
    checkRecord(a, 'predict options');
    options = a as PredictOptions;
  }
  checkKeys(options, PREDICT_KEYS, 'predict');
  checkChoice(options.type, 'type', ['link', 'response']);
  if (!Array.isArray(options.re)) checkChoice(options.re, 're', ['all', 'none']);
  else if (options.re.some((g) => typeof g !== 'string')) {
    throw new OptionError("must be 'all', 'none' or an array of grouping-factor names", 're');
  }
  checkBoolean(options.allowNewLevels, 'allowNewLevels');
  checkBoolean(options.se, 'se');
  if (options.offset !== undefined && !Array.isArray(options.offset)) {
    throw new OptionError('must be an array with one number per row of newdata', 'offset');
  }
  return options;
}

/** An array of rows, or an object whose every value is an array (a column table). */
function isTable(x: unknown): boolean {
  if (Array.isArray(x)) return true;
  if (x === null || typeof x !== 'object') return false;
  const values = Object.values(x);
  return values.length > 0 && values.every((v) => Array.isArray(v) || ArrayBuffer.isView(v));
}

function modelOffset(model: Model): Float64Array | null {
  return model.kind === 'lmm' ? model.offset : model.resp.offset;
}

/** The predictions `fit.predict(...)` returns ({ fit, se } with `se: true`). */
export function predictFit(
  fit: MerFit,
  model: Model | null,
  a?: DataInput | PredictOptions,
  b?: PredictOptions,
): number[] | PredictionWithSe {
  const options = parseArguments(a, b);
  if (options.se === true) {
    const m = requireModel(model);
    const values = predictValues(fit, model, { ...options, se: false });
    const linkValues =
      (options.type ?? 'link') === 'link'
        ? values
        : predictValues(fit, model, { ...options, type: 'link', se: false });
    const se = fixedPartSe(fit.vcov, m, options.newdata);
    return {
      fit: values,
      se: options.type === 'response' ? responseSe(fit.link, linkValues, se) : se,
    };
  }
  return predictValues(fit, model, options);
}

/** The grouping factors of the model's random terms (lme4's names), in formula order. */
function groupNames(m: Model): string[] {
  return [...new Set(m.frame.randomTerms.map((t) => t.group))];
}

/** `re` as 'all' / 'none' / the selected grouping factors (checked against the model's). */
function resolveRe(
  re: PredictOptions['re'],
  model: Model | null,
): 'all' | 'none' | readonly string[] {
  if (!Array.isArray(re)) return (re as 'all' | 'none' | undefined) ?? 'all';
  const m = requireModel(model);
  const known = groupNames(m);
  const unknown = [...new Set(re)].filter((g) => !known.includes(g));
  if (unknown.length > 0) {
    throw new OptionError(
      `names no grouping factor of the model: ${unknown.map((g) => `'${g}'`).join(', ')} (they are: ${known.map((g) => `'${g}'`).join(', ')})`,
      're',
    );
  }
  if (re.length === 0) return 'none';
  return known.every((g) => re.includes(g)) ? 'all' : re;
}

function predictValues(fit: MerFit, model: Model | null, options: PredictOptions): number[] {
  const type = options.type ?? 'link';
  const re = resolveRe(options.re, model);
  const linkinv = makeLink(fit.link as LinkName).linkinv;
  const beta = fit.fixefNames.map((name) => fit.fixef[name]);
  if (options.newdata === undefined) {
    if (options.offset !== undefined) {
      throw new OptionError('applies to new data only', 'offset');
    }
    if (re === 'all') return (type === 'link' ? (fit.eta ?? fit.fitted) : fit.fitted).slice();
    const m = requireModel(model);
    const eta = fixedPredictor(m.frame.X, m.frame.n, beta, modelOffset(m));
    if (Array.isArray(re)) {
      const terms = m.frame.randomTerms
        .filter((t) => re.includes(t.group))
        .map((t) => ({ ...t, newLevels: [] as string[] }));
      addRandomEffects(fit, terms, eta, false);
    }
    return Array.from(eta, (e) => (type === 'link' ? e : linkinv(e)));
  }
  const m = requireModel(model);
  const nd = newdataMatrices(
    m.frame.schema,
    options.newdata,
    re === 'none' ? false : re === 'all' ? true : re,
  );
  const eta = fixedPredictor(nd.X, nd.n, beta, nd.offset);
  addOptionOffset(fit, m, options, eta);
  if (re !== 'none') addRandomEffects(fit, nd.random, eta, options.allowNewLevels ?? false);
  return Array.from(eta, (e) => (type === 'link' ? e : linkinv(e)));
}

function requireModel(model: Model | null): Model {
  if (model === null) {
    throw new OptionError(
      'population-level and newdata predictions need the live model, which this fit no longer holds (disposed)',
      'predict',
    );
  }
  return model;
}

/** The `offset` option of the fit, for the new rows: its column, or `options.offset`. */
function addOptionOffset(fit: MerFit, m: Model, options: PredictOptions, eta: Float64Array): void {
  const n = eta.length;
  const given = options.offset;
  if (given !== undefined) {
    if (given.length !== n) {
      throw new OptionError(`has ${given.length} values but newdata has ${n} rows`, 'offset');
    }
    given.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new OptionError(`value ${i + 1} is not a finite number`, 'offset');
      }
      eta[i] += v;
    });
    return;
  }
  if (fit.offsetName !== undefined) {
    // the column of the fit's offset option, read from newdata as it was from the data
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const values = numericColumn(options.newdata as DataInput, fit.offsetName, rows);
    for (let i = 0; i < n; i++) eta[i] += values[i];
    return;
  }
  if (m.inputs.offset !== null) {
    throw new OptionError(
      "the fit has an offset given as an array; pass the new rows' offset: predict(newdata, { offset: [...] })",
      'offset',
    );
  }
}

/** Adds z · b of each term; new levels throw unless allowed (then they add 0). */
function addRandomEffects(
  fit: MerFit,
  terms: ReturnType<typeof newdataMatrices>['random'],
  eta: Float64Array,
  allowNewLevels: boolean,
): void {
  const colOffset = new Map<string, number>();
  for (const t of terms) {
    if (t.newLevels.length > 0 && !allowNewLevels) {
      throw new DataError(
        `new levels detected in newdata: ${t.newLevels.slice(0, 10).join(', ')}${t.newLevels.length > 10 ? ', ...' : ''} (grouping factor '${t.group}'); pass allowNewLevels: true to predict them at the population level`,
        t.group,
      );
    }
    const group = fit.ranef.find((g) => g.group === t.group);
    if (group === undefined) throw new Error(`internal: no conditional modes for '${t.group}'`);
    const start = colOffset.get(t.group) ?? 0;
    colOffset.set(t.group, start + t.v);
    for (let i = 0; i < eta.length; i++) {
      const l = t.refs[i];
      if (l < 0) continue;
      for (let c = 0; c < t.v; c++) eta[i] += t.z[i * t.v + c] * group.condval[start + c][l];
    }
  }
}
