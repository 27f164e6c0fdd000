/** The options of `gee` and their validation (above every kernel, as everywhere else). */
import { OptionError } from '../errors';
import { checkChoice, checkKeys, checkNumber, checkRecord } from '../options';
import { checkRowOptionType, type RowOption } from '../api/rowoptions';
import type { FrameOptions } from '../frame/types';

/** The working correlation structures, as geepack names them. */
export const CORSTRS = ['independence', 'exchangeable', 'ar1', 'unstructured'] as const;
export type Corstr = (typeof CORSTRS)[number];

/** The families geepack's geese.fit supports (its VARIANCES), and the links it knows. */
export const GEE_FAMILIES = ['gaussian', 'binomial', 'poisson', 'Gamma'] as const;
export const GEE_LINKS = ['identity', 'logit', 'probit', 'cloglog', 'log', 'inverse'] as const;

export interface GeeOptions extends FrameOptions {
  /** 'gaussian' (default), 'binomial', 'poisson' or 'Gamma' (geepack's variance functions). */
  family?: string;
  /** Mean link (default: the family's canonical link). */
  link?: string;
  /** Column naming the clusters (required). Rows of a cluster need not be contiguous. */
  id: string;
  /** Working correlation: 'independence' (default), 'exchangeable', 'ar1', 'unstructured'. */
  corstr?: Corstr;
  /**
   * Column giving each observation's position in its cluster (as geeglm's `waves`: its sorted
   * distinct values become 1, 2, ...). ar1 uses the distance between waves, unstructured one
   * parameter per pair of waves. Default: the row order within each cluster.
   */
  waves?: string;
  /** Prior weights: a column name or one number per row (geepack's `weights`). */
  weights?: RowOption;
  /** Offset: a column name or one number per row. */
  offset?: RowOption;
  /** Kernel backend (default: wasm when it loads). */
  backend?: 'wasm' | 'js';
  /** geese.control's epsilon: stop when every parameter changes by at most this (1e-4). */
  epsilon?: number;
  /** geese.control's maxit: the most Fisher-scoring iterations (25). */
  maxit?: number;
}

const GEE_OPTIONS = [
  'family',
  'link',
  'id',
  'corstr',
  'waves',
  'weights',
  'offset',
  'backend',
  'epsilon',
  'maxit',
  'factors',
  'levels',
];

export function validateGeeOptions(options: GeeOptions): void {
  checkRecord(options, 'options');
  checkKeys(options, GEE_OPTIONS, 'gee');
  if (typeof options.id !== 'string' || options.id === '') {
    throw new OptionError('must name the column of cluster identifiers (e.g. id: "subject")', 'id');
  }
  if (options.waves !== undefined && typeof options.waves !== 'string') {
    throw new OptionError('must name a column of the data', 'waves');
  }
  checkChoice(options.corstr, 'corstr', CORSTRS);
  checkChoice(options.backend, 'backend', ['wasm', 'js']);
  if (options.family !== undefined && typeof options.family !== 'string') {
    throw new OptionError('must be a family name such as "binomial"', 'family');
  }
  if (options.link !== undefined && typeof options.link !== 'string') {
    throw new OptionError('must be a link name such as "logit"', 'link');
  }
  checkRowOptionType(options.weights, 'weights');
  checkRowOptionType(options.offset, 'offset');
  checkNumber(options.epsilon, 'epsilon', { min: 0, exclusiveMin: true });
  checkNumber(options.maxit, 'maxit', { min: 1, integer: true });
}
