/**
 * GLM families, numerically as R's `family` objects (stats::binomial, poisson, Gamma,
 * inverse.gaussian, gaussian and MASS::negative.binomial): variance, deviance residuals, AIC,
 * starting values and validation of the response. Each family is also known by an integer
 * code shared with the kernels (`assembly/codes.ts`), see {@link FamilyCode}. The variance and
 * deviance residuals are the kernels' own scalar functions (`src/backend/js/families.ts`, the
 * port of `assembly/glm.ts`), so host and kernels compute the same numbers.
 *
 * Prior weights: as in R, for the binomial family `wt` are the numbers of trials (y is the
 * proportion of successes); for the others they are case weights.
 */

import * as C from '../../assembly/codes';
import { devResid1, variance1 } from '../backend/js/families';
import { OptionError } from '../errors';
import { dbinom, dgamma, dinvgauss, dnbinomMu, dnorm, dpois, lgamma } from '../math/distributions';
import { type Link, type LinkName, makeLink } from './links';

/** The families we know, by R's function name. */
export type FamilyKind =
  | 'gaussian'
  | 'binomial'
  | 'poisson'
  | 'Gamma'
  | 'inverse.gaussian'
  | 'negative.binomial';

/** Integer codes of the families: the FAMILY_* constants of `assembly/codes.ts`. */
export const FamilyCode = {
  gaussian: C.FAMILY_GAUSSIAN,
  binomial: C.FAMILY_BINOMIAL,
  poisson: C.FAMILY_POISSON,
  Gamma: C.FAMILY_GAMMA,
  'inverse.gaussian': C.FAMILY_INVERSE_GAUSSIAN,
  'negative.binomial': C.FAMILY_NEGATIVE_BINOMIAL,
} as const satisfies Record<FamilyKind, number>;

/** A GLM family with its link: everything PIRLS and the likelihood need about the response. */
export interface Family {
  /** Which family (R's constructor name). */
  readonly kind: FamilyKind;
  /** R's `family$family`: e.g. 'binomial', 'Gamma', 'Negative Binomial(3.2)'. */
  readonly name: string;
  /** Integer code shared with the WASM kernels. */
  readonly code: number;
  /** The link function. */
  readonly link: Link;
  /** The canonical link of this family. */
  readonly canonicalLink: LinkName;
  /** The links R accepts for this family. */
  readonly allowedLinks: readonly LinkName[];
  /** Negative binomial theta (NaN for the other families). */
  readonly theta: number;
  /** Whether the family has a free dispersion parameter (gaussian, Gamma, inverse.gaussian). */
  readonly hasScale: boolean;
  /** Variance function V(mu). */
  variance(mu: number): number;
  /** R's `family$dev.resids(y, mu, wt)` for one observation. */
  devResid(y: number, mu: number, wt: number): number;
  /**
   * R's `family$aic(y, n, mu, wt, dev)` over all observations: -2 log-likelihood (with the
   * dispersion profiled out where there is one, plus 2 for it). `n` is R's `n` (binomial
   * trials from a two-column response; all 1 otherwise); pass null for all 1.
   */
  aic(
    y: Float64Array,
    n: Float64Array | null,
    mu: Float64Array,
    wt: Float64Array,
    dev: number,
  ): number;
  /**
   * Conditional log-density of one observation, weighted as R's aic weights it, at dispersion
   * `scale` (ignored by binomial, poisson, negative binomial). binomial: log dbinom(round(wt y),
   * round(wt), mu); poisson: wt log dpois(y, mu); Gamma: wt log dgamma(y, 1/scale, scale =
   * mu scale); inverse.gaussian: wt log dinvgauss(y, mu, scale); gaussian: log dnorm(y, mu,
   * sqrt(scale / wt)); negative binomial: wt log dnbinom(y, theta, mu = mu).
   */
  logDensity(y: number, mu: number, wt: number, scale: number): number;
  /** R's `family$initialize` starting value of mu for one observation. */
  mustart(y: number, wt: number): number;
  /** R's `family$validmu` for one value. */
  validMu(mu: number): boolean;
  /**
   * Checks the response (and, for binomial, that the weights are non-negative); returns null
   * when valid or R's message (and the 0-based row) for the first bad value.
   */
  validateY(y: Float64Array, wt?: Float64Array | null): { message: string; row: number } | null;
  /** eta = g(mu). */
  linkfun(mu: number): number;
  /** mu = g^{-1}(eta). */
  linkinv(eta: number): number;
  /** dmu/deta. */
  muEta(eta: number): number;
  /** Whether eta is valid for the link. */
  validEta(eta: number): boolean;
}

/** Options of {@link makeFamily}. */
export interface FamilyOptions {
  /** Negative binomial theta (size), > 0. Required for 'negative.binomial'. */
  theta?: number;
  /** Links accepted beyond R's list for the family (PQL accepts the binomial identity link). */
  extraLinks?: readonly LinkName[];
}

const ALLOWED: Readonly<Record<FamilyKind, readonly LinkName[]>> = {
  gaussian: ['identity', 'log', 'inverse'],
  binomial: ['logit', 'probit', 'cauchit', 'log', 'cloglog'],
  poisson: ['log', 'identity', 'sqrt'],
  Gamma: ['inverse', 'identity', 'log'],
  'inverse.gaussian': ['1/mu^2', 'inverse', 'identity', 'log'],
  'negative.binomial': ['log', 'sqrt', 'identity'],
};

const CANONICAL: Readonly<Record<FamilyKind, LinkName>> = {
  gaussian: 'identity',
  binomial: 'logit',
  poisson: 'log',
  Gamma: 'inverse',
  'inverse.gaussian': '1/mu^2',
  'negative.binomial': 'log',
};

/** Accepted spellings of the family names (R's own, plus a few lower-case aliases). */
const ALIASES: Readonly<Record<string, FamilyKind>> = {
  gaussian: 'gaussian',
  binomial: 'binomial',
  poisson: 'poisson',
  Gamma: 'Gamma',
  gamma: 'Gamma',
  'inverse.gaussian': 'inverse.gaussian',
  inverse_gaussian: 'inverse.gaussian',
  'negative.binomial': 'negative.binomial',
  negbin: 'negative.binomial',
  nbinom2: 'negative.binomial',
};

/** R's format(round(theta, 4)): up to 7 significant digits, no trailing zeros. */
function formatTheta(theta: number): string {
  const r = Math.round(theta * 1e4) / 1e4;
  return String(Number(r.toPrecision(7)));
}

/** The kernels' variance and deviance residuals of family `code` (θ: negative binomial only). */
function kernelFunctions(code: number, theta = NaN): Pick<FamilyCore, 'variance' | 'devResid'> {
  return {
    variance: (mu) => variance1(code, mu, theta),
    devResid: (y, mu, wt) => devResid1(code, y, mu, wt, theta),
  };
}

interface FamilyCore {
  variance(mu: number): number;
  devResid(y: number, mu: number, wt: number): number;
  aic(
    y: Float64Array,
    n: Float64Array | null,
    mu: Float64Array,
    wt: Float64Array,
    dev: number,
  ): number;
  logDensity(y: number, mu: number, wt: number, scale: number): number;
  mustart(y: number, wt: number): number;
  validMu(mu: number): boolean;
  validateY(y: Float64Array, wt?: Float64Array | null): { message: string; row: number } | null;
}

function sumOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

function firstBad(
  y: Float64Array,
  bad: (v: number) => boolean,
  message: string,
): { message: string; row: number } | null {
  for (let i = 0; i < y.length; i++) if (bad(y[i])) return { message, row: i };
  return null;
}

function binomialCore(): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_BINOMIAL),
    aic: (y, n, mu, wt) => {
      let useN = false;
      if (n !== null) for (let i = 0; i < n.length; i++) if (n[i] > 1) useN = true;
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const m = useN && n !== null ? n[i] : wt[i];
        if (m > 0) s += (wt[i] / m) * dbinom(Math.round(m * y[i]), Math.round(m), mu[i], true);
      }
      return -2 * s;
    },
    logDensity: (y, mu, wt) => dbinom(Math.round(wt * y), Math.round(wt), mu, true),
    mustart: (y, wt) => (wt * y + 0.5) / (wt + 1),
    validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
    validateY: (y, wt) => {
      for (let i = 0; i < y.length; i++) {
        // R sets y to 0 where the weight is 0, so anything is accepted there
        if (wt && wt[i] === 0) continue;
        if (!(y[i] >= 0 && y[i] <= 1)) return { message: 'y values must be 0 <= y <= 1', row: i };
      }
      if (wt) {
        for (let i = 0; i < wt.length; i++)
          if (!(wt[i] >= 0)) return { message: 'negative weights not allowed', row: i };
      }
      return null;
    },
  };
}

function poissonCore(): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_POISSON),
    aic: (y, _n, mu, wt) => {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += dpois(y[i], mu[i], true) * wt[i];
      return -2 * s;
    },
    logDensity: (y, mu, wt) => wt * dpois(y, mu, true),
    mustart: (y) => y + 0.1,
    validMu: (mu) => Number.isFinite(mu) && mu > 0,
    validateY: (y) =>
      firstBad(y, (v) => !(v >= 0), "negative values not allowed for the 'Poisson' family"),
  };
}

function gammaCore(): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_GAMMA),
    aic: (y, _n, mu, wt, dev) => {
      const disp = dev / sumOf(wt);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += dgamma(y[i], 1 / disp, mu[i] * disp, true) * wt[i];
      return -2 * s + 2;
    },
    logDensity: (y, mu, wt, scale) => wt * dgamma(y, 1 / scale, mu * scale, true),
    mustart: (y) => y,
    validMu: (mu) => Number.isFinite(mu) && mu > 0,
    validateY: (y) =>
      firstBad(y, (v) => !(v > 0), "non-positive values not allowed for the 'Gamma' family"),
  };
}

function inverseGaussianCore(): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_INVERSE_GAUSSIAN),
    aic: (y, _n, _mu, wt, dev) => {
      const sw = sumOf(wt);
      let sly = 0;
      for (let i = 0; i < y.length; i++) sly += Math.log(y[i]) * wt[i];
      return sw * (1 + Math.log((dev / sw) * 2 * Math.PI)) + 3 * sly + 2;
    },
    logDensity: (y, mu, wt, scale) => wt * dinvgauss(y, mu, scale, true),
    mustart: (y) => y,
    validMu: () => true,
    validateY: (y) =>
      firstBad(
        y,
        (v) => !(v > 0),
        "positive values only are allowed for the 'inverse.gaussian' family",
      ),
  };
}

function gaussianCore(link: LinkName): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_GAUSSIAN),
    aic: (y, _n, _mu, wt, dev) => {
      const nobs = y.length;
      let slw = 0;
      for (let i = 0; i < wt.length; i++) slw += Math.log(wt[i]);
      return nobs * (Math.log((dev / nobs) * 2 * Math.PI) + 1) + 2 - slw;
    },
    // a zero-weight case carries no information (R's aic would give Inf through log(0))
    logDensity: (y, mu, wt, scale) => (wt === 0 ? 0 : dnorm(y, mu, Math.sqrt(scale / wt), true)),
    mustart: (y) => y,
    validMu: () => true,
    validateY: (y) => {
      for (let i = 0; i < y.length; i++) {
        if (!Number.isFinite(y[i])) return { message: 'non-finite response value', row: i };
        if ((link === 'inverse' && y[i] === 0) || (link === 'log' && y[i] <= 0))
          return { message: 'cannot find valid starting values: please specify some', row: i };
      }
      return null;
    },
  };
}

function negativeBinomialCore(theta: number): FamilyCore {
  return {
    ...kernelFunctions(C.FAMILY_NEGATIVE_BINOMIAL, theta),
    aic: (y, _n, mu, wt) => {
      // MASS::negative.binomial()$aic
      const lgt = lgamma(theta);
      const tlt = theta * Math.log(theta);
      let s = 0;
      for (let i = 0; i < y.length; i++) {
        const yi = y[i];
        const term =
          (yi + theta) * Math.log(mu[i] + theta) -
          (yi === 0 ? 0 : yi * Math.log(mu[i])) +
          lgamma(yi + 1) -
          tlt +
          lgt -
          lgamma(theta + yi);
        s += term * wt[i];
      }
      return 2 * s;
    },
    logDensity: (y, mu, wt) => wt * dnbinomMu(y, theta, mu, true),
    mustart: (y) => y + (y === 0 ? 1 / 6 : 0),
    validMu: (mu) => Number.isFinite(mu) && mu > 0,
    validateY: (y) =>
      firstBad(y, (v) => !(v >= 0), 'negative values not allowed for the negative binomial family'),
  };
}

/**
 * The family `name` with link `link` (default: the canonical link), as R's
 * `binomial(link = "probit")` etc. Throws OptionError for an unknown family, an unknown link,
 * a link R does not allow for the family, or a missing / non-positive negative binomial theta.
 */
export function makeFamily(name: string, link?: string, options: FamilyOptions = {}): Family {
  const kind = ALIASES[name];
  if (kind === undefined) {
    throw new OptionError(
      `unknown family '${name}' (families are: ${Object.keys(FamilyCode)
        .map((f) => `'${f}'`)
        .join(', ')})`,
      'family',
    );
  }
  const allowedLinks = ALLOWED[kind];
  const linkName = link ?? CANONICAL[kind];
  const lk = makeLink(linkName);
  if (!allowedLinks.includes(lk.name) && !options.extraLinks?.includes(lk.name)) {
    throw new OptionError(
      `link '${linkName}' not available for the ${kind} family; available links are ${allowedLinks
        .map((l) => `'${l}'`)
        .join(', ')}`,
      'link',
    );
  }
  let theta = NaN;
  let core: FamilyCore;
  let familyName: string = kind;
  switch (kind) {
    case 'binomial':
      core = binomialCore();
      break;
    case 'poisson':
      core = poissonCore();
      break;
    case 'Gamma':
      core = gammaCore();
      break;
    case 'inverse.gaussian':
      core = inverseGaussianCore();
      break;
    case 'gaussian':
      core = gaussianCore(lk.name);
      break;
    case 'negative.binomial': {
      const t = options.theta;
      if (t === undefined || !(t > 0) || !Number.isFinite(t)) {
        throw new OptionError(
          `the negative binomial family needs a finite theta > 0 (got ${String(t)})`,
          'theta',
        );
      }
      theta = t;
      core = negativeBinomialCore(t);
      familyName = `Negative Binomial(${formatTheta(t)})`;
      break;
    }
  }
  return {
    kind,
    name: familyName,
    code: FamilyCode[kind],
    link: lk,
    canonicalLink: CANONICAL[kind],
    allowedLinks,
    theta,
    hasScale: kind === 'gaussian' || kind === 'Gamma' || kind === 'inverse.gaussian',
    ...core,
    linkfun: lk.linkfun,
    linkinv: lk.linkinv,
    muEta: lk.muEta,
    validEta: lk.validEta,
  };
}

// ---------------------------------------------------------------------------------------------
// Vectorised forms over [0, n) of Float64Arrays (what PIRLS calls once per iteration)

/** out[i] := V(mu[i]) for i < n. */
export function varianceRange(fam: Family, n: number, mu: Float64Array, out: Float64Array): void {
  const v = fam.variance;
  for (let i = 0; i < n; i++) out[i] = v(mu[i]);
}

/** out[i] := dev.resids(y[i], mu[i], wt[i]) for i < n. */
export function devResidRange(
  fam: Family,
  n: number,
  y: Float64Array,
  mu: Float64Array,
  wt: Float64Array,
  out: Float64Array,
): void {
  const d = fam.devResid;
  for (let i = 0; i < n; i++) out[i] = d(y[i], mu[i], wt[i]);
}

/** sum over i < n of dev.resids(y[i], mu[i], wt[i]): the deviance. */
export function devResidSum(
  fam: Family,
  n: number,
  y: Float64Array,
  mu: Float64Array,
  wt: Float64Array,
): number {
  const d = fam.devResid;
  let s = 0;
  for (let i = 0; i < n; i++) s += d(y[i], mu[i], wt[i]);
  return s;
}

/**
 * One PIRLS reweighting step over i < n. From the linear predictor eta (which includes the
 * offset) it writes mu[i] := linkinv(eta[i]), the working weights
 * w[i] := wt[i] muEta(eta[i])^2 / V(mu[i]) and the working response without offset
 * z[i] := eta[i] - offset[i] + (y[i] - mu[i]) / muEta(eta[i]). `offset` may be null (all 0).
 */
export function workingWeightsResid(
  fam: Family,
  n: number,
  y: Float64Array,
  eta: Float64Array,
  offset: Float64Array | null,
  mu: Float64Array,
  priorWt: Float64Array,
  wOut: Float64Array,
  zOut: Float64Array,
): void {
  const { linkinv, muEta, variance } = fam;
  for (let i = 0; i < n; i++) {
    const e = eta[i];
    const m = linkinv(e);
    const d = muEta(e);
    mu[i] = m;
    wOut[i] = (priorWt[i] * d * d) / variance(m);
    zOut[i] = e - (offset === null ? 0 : offset[i]) + (y[i] - m) / d;
  }
}

/** sum over i < n of logDensity(y[i], mu[i], wt[i], scale): the conditional log-likelihood. */
export function logDensitySum(
  fam: Family,
  n: number,
  y: Float64Array,
  mu: Float64Array,
  wt: Float64Array,
  scale: number,
): number {
  const f = fam.logDensity;
  let s = 0;
  for (let i = 0; i < n; i++) s += f(y[i], mu[i], wt[i], scale);
  return s;
}

/** mu[i] := mustart(y[i], wt[i]) and eta[i] := linkfun(mu[i]) for i < n (R's initialize). */
export function initializeMuEta(
  fam: Family,
  n: number,
  y: Float64Array,
  wt: Float64Array,
  mu: Float64Array,
  eta: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const m = fam.mustart(y[i], wt[i]);
    mu[i] = m;
    eta[i] = fam.linkfun(m);
  }
}
