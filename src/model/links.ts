/**
 * GLM link functions, numerically as R's `make.link` (and its C helpers for logit): the same
 * clamps of eta and mu, so that PIRLS iterates and deviances match lme4's.
 *
 * Every link is also known by an integer code shared with the AssemblyScript kernels
 * (`assembly/glm.ts`), see {@link LinkCode}.
 */

import { OptionError } from '../errors';
import { DBL_EPSILON, dnorm, pnorm, qnorm } from './distributions';

/** Link names as R spells them. */
export type LinkName =
  | 'identity'
  | 'log'
  | 'logit'
  | 'probit'
  | 'cloglog'
  | 'cauchit'
  | 'inverse'
  | 'sqrt'
  | '1/mu^2';

/** Integer codes of the links, identical in `assembly/glm.ts` (LINK_* constants). */
export const LinkCode = {
  identity: 0,
  log: 1,
  logit: 2,
  probit: 3,
  cloglog: 4,
  cauchit: 5,
  inverse: 6,
  sqrt: 7,
  '1/mu^2': 8,
} as const satisfies Record<LinkName, number>;

/** A link function g with its inverse and derivative, as an R `link-glm` object. */
export interface Link {
  /** R's name of the link. */
  readonly name: LinkName;
  /** Integer code shared with the WASM kernels. */
  readonly code: number;
  /** eta = g(mu). */
  linkfun(mu: number): number;
  /** mu = g^{-1}(eta), clamped as R does. */
  linkinv(eta: number): number;
  /** d mu / d eta at eta, bounded away from 0 as R does. */
  muEta(eta: number): number;
  /** Whether eta is in the domain of the inverse link (R's valideta, per element). */
  validEta(eta: number): boolean;
}

// logit thresholds of R's family.c
const THRESH = 30;
const MTHRESH = -30;
const INVEPS = 1 / DBL_EPSILON;

// probit: thresh <- -qnorm(.Machine$double.eps)
const PROBIT_THRESH = -qnorm(DBL_EPSILON);
// cauchit: thresh <- -qcauchy(.Machine$double.eps) = 1 / tan(pi * eps)
const CAUCHIT_THRESH = 1 / Math.tan(Math.PI * DBL_EPSILON);

/** Cauchy distribution function, as R's pcauchy (accurate in both tails). */
function pcauchy(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return x < 0 ? 0 : 1;
  if (Math.abs(x) > 1) {
    const y = Math.atan(1 / x) / Math.PI;
    return x > 0 ? 0.5 - y + 0.5 : -y;
  }
  return 0.5 + Math.atan(x) / Math.PI;
}

/** Cauchy quantile, as R's qcauchy(p) for 0 < p < 1. */
function qcauchy(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0.5) return 0;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // R: if p > 1/2, p = 1-p and flip sign; result -1 / tanpi(p)
  if (p > 0.5) return 1 / tanpi(1 - p);
  return -1 / tanpi(p);
}

function tanpi(x: number): number {
  if (x === 0.25) return 1;
  if (x === 0.5) return Infinity;
  return Math.tan(Math.PI * x);
}

const identity: Link = {
  name: 'identity',
  code: LinkCode.identity,
  linkfun: (mu) => mu,
  linkinv: (eta) => eta,
  muEta: () => 1,
  validEta: () => true,
};

const log: Link = {
  name: 'log',
  code: LinkCode.log,
  linkfun: (mu) => Math.log(mu),
  linkinv: (eta) => Math.max(Math.exp(eta), DBL_EPSILON),
  muEta: (eta) => Math.max(Math.exp(eta), DBL_EPSILON),
  validEta: () => true,
};

const logit: Link = {
  name: 'logit',
  code: LinkCode.logit,
  linkfun: (mu) => Math.log(mu / (1 - mu)),
  linkinv: (eta) => {
    const tmp = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
    return tmp / (1 + tmp);
  },
  muEta: (eta) => {
    const opexp = 1 + Math.exp(eta);
    return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
  },
  validEta: () => true,
};

const probit: Link = {
  name: 'probit',
  code: LinkCode.probit,
  linkfun: (mu) => qnorm(mu),
  linkinv: (eta) => pnorm(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH)),
  muEta: (eta) => Math.max(dnorm(eta), DBL_EPSILON),
  validEta: () => true,
};

const cloglog: Link = {
  name: 'cloglog',
  code: LinkCode.cloglog,
  linkfun: (mu) => Math.log(-Math.log(1 - mu)),
  linkinv: (eta) => Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1 - DBL_EPSILON), DBL_EPSILON),
  muEta: (eta) => {
    const e = Math.min(eta, 700);
    return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), DBL_EPSILON);
  },
  validEta: () => true,
};

const cauchit: Link = {
  name: 'cauchit',
  code: LinkCode.cauchit,
  linkfun: (mu) => qcauchy(mu),
  linkinv: (eta) => pcauchy(Math.min(Math.max(eta, -CAUCHIT_THRESH), CAUCHIT_THRESH)),
  // dcauchy(eta) = 1 / (pi (1 + eta^2))
  muEta: (eta) => Math.max(1 / (Math.PI * (1 + eta * eta)), DBL_EPSILON),
  validEta: () => true,
};

const inverse: Link = {
  name: 'inverse',
  code: LinkCode.inverse,
  linkfun: (mu) => 1 / mu,
  linkinv: (eta) => 1 / eta,
  muEta: (eta) => -1 / (eta * eta),
  validEta: (eta) => Number.isFinite(eta) && eta !== 0,
};

const sqrt: Link = {
  name: 'sqrt',
  code: LinkCode.sqrt,
  linkfun: (mu) => Math.sqrt(mu),
  linkinv: (eta) => eta * eta,
  muEta: (eta) => 2 * eta,
  validEta: (eta) => Number.isFinite(eta) && eta > 0,
};

const invSquare: Link = {
  name: '1/mu^2',
  code: LinkCode['1/mu^2'],
  linkfun: (mu) => 1 / (mu * mu),
  linkinv: (eta) => 1 / Math.sqrt(eta),
  muEta: (eta) => -1 / (2 * Math.pow(eta, 1.5)),
  validEta: (eta) => Number.isFinite(eta) && eta > 0,
};

const LINKS: Readonly<Record<LinkName, Link>> = {
  identity,
  log,
  logit,
  probit,
  cloglog,
  cauchit,
  inverse,
  sqrt,
  '1/mu^2': invSquare,
};

/** All link names, in code order. */
export const LINK_NAMES: readonly LinkName[] = Object.keys(LinkCode) as LinkName[];

/** Is `name` one of R's link names? */
export function isLinkName(name: string): name is LinkName {
  return Object.prototype.hasOwnProperty.call(LINKS, name);
}

/** The link called `name` (R's `make.link(name)`); throws OptionError for an unknown name. */
export function makeLink(name: string): Link {
  if (!isLinkName(name)) {
    throw new OptionError(
      `unknown link '${name}' (links are: ${LINK_NAMES.map((l) => `'${l}'`).join(', ')})`,
      'link',
    );
  }
  return LINKS[name];
}

/** The link with integer code `code`. */
export function linkFromCode(code: number): Link {
  const name = LINK_NAMES[code];
  if (name === undefined) throw new OptionError(`unknown link code ${code}`, 'link');
  return LINKS[name];
}

// ---------------------------------------------------------------------------------------------
// Vectorised forms over [0, n) of Float64Arrays (what PIRLS calls once per iteration)

/** mu[i] := linkinv(eta[i]) for i < n. */
export function linkinvRange(link: Link, n: number, eta: Float64Array, mu: Float64Array): void {
  const f = link.linkinv;
  for (let i = 0; i < n; i++) mu[i] = f(eta[i]);
}

/** out[i] := dmu/deta at eta[i] for i < n. */
export function muEtaRange(link: Link, n: number, eta: Float64Array, out: Float64Array): void {
  const f = link.muEta;
  for (let i = 0; i < n; i++) out[i] = f(eta[i]);
}

/** eta[i] := linkfun(mu[i]) for i < n. */
export function linkfunRange(link: Link, n: number, mu: Float64Array, eta: Float64Array): void {
  const f = link.linkfun;
  for (let i = 0; i < n; i++) eta[i] = f(mu[i]);
}

/** R's valideta over the first n elements. */
export function validEtaRange(link: Link, n: number, eta: Float64Array): boolean {
  for (let i = 0; i < n; i++) if (!link.validEta(eta[i])) return false;
  return true;
}
