/**
 * `gee`: generalized estimating equations for a marginal model (Liang & Zeger 1986), with
 * geepack's geeglm estimators — Fisher scoring for β, moment estimates of the scale and the
 * working correlation, model-based and robust sandwich covariances.
 */
import { loadBackend } from '../backend/load';
import { createBackendOrJs } from '../api/lmer';
import type { Backend } from '../backend/kernels';
import {
  CORSTR_AR1,
  CORSTR_EXCHANGEABLE,
  CORSTR_INDEPENDENCE,
  CORSTR_UNSTRUCTURED,
} from '../../assembly/geecodes';
import { DataError, ModelSpecError, OptionError } from '../errors';
import { parseFormula } from '../formula/parse';
import { expandTerms } from '../formula/terms';
import { buildModelFrame } from '../frame/modelframe';
import { makeTable } from '../frame/table';
import type { DataInput, ModelFrame } from '../frame/types';
import { makeFamily, type Family } from '../model/family';
import { didYouMean } from '../options';
import { offsetValues, priorWeights, rowOptionColumns } from '../api/rowoptions';
import { clusterLayout, type ClusterLayout } from './clusters';
import {
  CORSTRS,
  GEE_FAMILIES,
  GEE_LINKS,
  validateGeeOptions,
  type Corstr,
  type GeeOptions,
} from './options';
import { GeeResident } from './resident';
import { GeeFit } from './result';
import { scoreGee } from './scoring';

export type { GeeOptions } from './options';
export { GeeFit } from './result';

const CORSTR_CODE: Record<Corstr, number> = {
  independence: CORSTR_INDEPENDENCE,
  exchangeable: CORSTR_EXCHANGEABLE,
  ar1: CORSTR_AR1,
  unstructured: CORSTR_UNSTRUCTURED,
};

function geeFamily(options: GeeOptions): Family {
  const name = options.family ?? 'gaussian';
  const family = makeFamily(name, options.link);
  if (!(GEE_FAMILIES as readonly string[]).includes(family.kind)) {
    throw new OptionError(
      `GEE supports the variance functions of geepack: ${GEE_FAMILIES.map((f) => `'${f}'`).join(', ')} (got '${name}')`,
      'family',
    );
  }
  if (!(GEE_LINKS as readonly string[]).includes(family.link.name)) {
    throw new OptionError(
      `GEE supports the links ${GEE_LINKS.map((l) => `'${l}'`).join(', ')} (got '${family.link.name}')`,
      'link',
    );
  }
  return family;
}

/** The formula must describe a marginal model: no `( ... | g)` terms. */
function checkMarginal(formula: string): void {
  const random = expandTerms(parseFormula(formula)).random;
  if (random.length > 0) {
    throw new ModelSpecError(
      'a GEE is a marginal model: the formula cannot have random-effects terms; name the clusters with the id option instead',
      random[0].source,
    );
  }
}

function checkColumn(data: DataInput, name: string, option: 'id' | 'waves'): void {
  const table = makeTable(data);
  if (!table.has(name)) {
    throw new OptionError(
      `names no column of the data: '${name}'${didYouMean(name, table.names)}`,
      option,
    );
  }
}

/** Response and prior weights as geeglm takes them (cbind: proportions with the trials as weights). */
function responseAndWeights(
  frame: ModelFrame,
  data: DataInput,
  options: GeeOptions,
  family: Family,
) {
  const { response } = frame;
  if (response.trials !== null && options.weights !== undefined) {
    throw new OptionError(
      'cannot be combined with a cbind() response: the trials are the weights (geeglm replaces any weights by them)',
      'weights',
    );
  }
  const w =
    response.trials ??
    priorWeights(data, frame, options.weights) ??
    new Float64Array(frame.n).fill(1);
  const bad = family.validateY(response.y, w);
  if (bad !== null) {
    throw new DataError(
      `${bad.message} (row ${frame.rowIndex[bad.row] + 1})`,
      response.name,
      frame.rowIndex[bad.row] + 1,
    );
  }
  return { y: response.y, w };
}

function totalOffset(frame: ModelFrame, data: DataInput, options: GeeOptions): Float64Array | null {
  const extra = offsetValues(data, frame, options.offset);
  if (frame.offset === null) return extra;
  if (extra === null) return frame.offset;
  return frame.offset.map((v, i) => v + extra[i]);
}

/** The kernel's rows: row-major X and the per-row vectors in cluster order. */
function clusterOrder(
  frame: ModelFrame,
  layout: ClusterLayout,
  y: Float64Array,
  w: Float64Array,
  offset: Float64Array | null,
) {
  const { n, X } = frame;
  const p = frame.xNames.length;
  const x = new Float64Array(n * p);
  const ys = new Float64Array(n);
  const ws = new Float64Array(n);
  const os = offset ? new Float64Array(n) : null;
  for (let k = 0; k < n; k++) {
    const i = layout.order[k];
    for (let j = 0; j < p; j++) x[k * p + j] = X[i + j * n];
    ys[k] = y[i];
    ws[k] = w[i];
    if (os && offset) os[k] = offset[i];
  }
  return { x, y: ys, w: ws, offset: os, p };
}

/** A correlation equation without information is the data's fault: say which. */
function alphaChecker(corstr: Corstr, layout: ClusterLayout, options: GeeOptions) {
  return (h: Float64Array): void => {
    if (corstr === 'unstructured') {
      const W = layout.nWaves;
      let m = 0;
      for (let a = 0; a < W; a++)
        for (let b = a + 1; b < W; b++, m++) {
          if (h[m] > 0) continue;
          throw new DataError(
            `waves ${layout.waveLabels[a]} and ${layout.waveLabels[b]} never occur together in a cluster (with positive weights): the unstructured working correlation has no information about their correlation`,
            options.waves ?? options.id,
          );
        }
      return;
    }
    if (!(h[0] > 0)) {
      throw new DataError(
        `no cluster has two observations (with positive weights): the ${corstr} working correlation cannot be estimated`,
        options.id,
      );
    }
  };
}

/** Fits with an already-loaded backend (the synchronous core of `gee`). */
export function geeWith(
  backend: Backend,
  formula: string,
  data: DataInput,
  options: GeeOptions,
): GeeFit {
  validateGeeOptions(options);
  const family = geeFamily(options);
  const corstr = options.corstr ?? 'independence';
  checkMarginal(formula);
  checkColumn(data, options.id, 'id');
  if (options.waves !== undefined) checkColumn(data, options.waves, 'waves');
  const keepColumns = [
    options.id,
    ...(options.waves ? [options.waves] : []),
    ...rowOptionColumns(options.weights, options.offset),
  ];
  const frame = buildModelFrame(formula, data, {
    ...(options.factors ? { factors: options.factors } : {}),
    ...(options.levels ? { levels: options.levels } : {}),
    requireRandom: false,
    keepColumns,
  });
  if (frame.xNames.length === 0) {
    throw new ModelSpecError('the model has no coefficients to estimate', formula);
  }
  const { y, w } = responseAndWeights(frame, data, options, family);
  const offset = totalOffset(frame, data, options);
  const layout = clusterLayout(data, frame.rowIndex, options.id, options.waves, corstr);
  const rows = clusterOrder(frame, layout, y, w, offset);
  const resident = new GeeResident(backend, {
    ...rows,
    familyCode: family.code,
    linkCode: family.link.code,
    corstrCode: CORSTR_CODE[corstr],
    layout,
  });
  const res = scoreGee(
    resident,
    family,
    { epsilon: options.epsilon ?? 1e-4, maxit: options.maxit ?? 25 },
    alphaChecker(corstr, layout, options),
  );
  const messages = [...frame.messages, ...res.messages];
  if (frame.nDropped > 0) messages.push(`${frame.nDropped} rows with missing values were dropped`);
  return new GeeFit({
    formula,
    family: family.name,
    link: family.link.name,
    corstr,
    id: options.id,
    waves: options.waves ?? null,
    names: frame.xNames,
    beta: res.beta,
    vcovNaive: res.vcovNaive,
    vcovRobust: res.vcovRobust,
    alpha: res.alpha,
    nWaves: layout.nWaves,
    waveLabels: layout.waveLabels,
    scale: res.scale,
    clusters: layout.labels.length,
    maxClusterSize: layout.maxSize,
    nobs: frame.n,
    iterations: res.iterations,
    converged: res.converged,
    messages,
    termLabels: frame.schema.termLabels,
    assign: frame.schema.assign,
    backend: backend.name,
  });
}

/**
 * Fits a marginal model by generalized estimating equations, as geepack's
 * `geeglm(formula, family, data, id, waves, corstr)`.
 * @example
 *   const fit = await gee('y ~ trt + lbase + lage + V4', epil, { family: 'poisson', id: 'subject', corstr: 'exchangeable' });
 */
export async function gee(formula: string, data: DataInput, options: GeeOptions): Promise<GeeFit> {
  validateGeeOptions(options);
  const backend = await loadBackend(options.backend);
  return geeWith(backend, formula, data, options);
}

/** Synchronous `gee`. */
export function geeSync(formula: string, data: DataInput, options: GeeOptions): GeeFit {
  validateGeeOptions(options);
  return geeWith(createBackendOrJs(options.backend), formula, data, options);
}

export { CORSTRS };
