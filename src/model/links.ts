/**
 * GLM link functions, numerically as R's `make.link` (and its C helpers for logit): the same
 * clamps of eta and mu, so that PIRLS iterates and deviances match lme4's.
 *
 * Every link is also known by an integer code shared with the kernels (`assembly/codes.ts`),
 * see {@link LinkCode}. The inverse link and its derivative are the kernels' own scalar
 * functions (`src/backend/js/links.ts`, the port of `assembly/glm.ts`), so host and kernels
 * compute the same numbers.
 */

import * as C from '../../assembly/codes';
import { linkfun1, linkinv1, muEta1 } from '../backend/js/links';
import { OptionError } from '../errors';

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

/** Integer codes of the links: the LINK_* constants of `assembly/codes.ts`. */
export const LinkCode = {
  identity: C.LINK_IDENTITY,
  log: C.LINK_LOG,
  logit: C.LINK_LOGIT,
  probit: C.LINK_PROBIT,
  cloglog: C.LINK_CLOGLOG,
  cauchit: C.LINK_CAUCHIT,
  inverse: C.LINK_INVERSE,
  sqrt: C.LINK_SQRT,
  '1/mu^2': C.LINK_INVSQUARE,
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

/** Cauchy quantile, as R's qcauchy(p) for 0 < p < 1 (exact at 1/4 and 3/4, unlike the kernel). */
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

const always = () => true;
const positive = (eta: number) => Number.isFinite(eta) && eta > 0;

/** The link `name` over the kernels' scalar functions for its code. */
function kernelLink(
  name: LinkName,
  validEta: (eta: number) => boolean,
  linkfun?: (mu: number) => number,
): Link {
  const code = LinkCode[name];
  return {
    name,
    code,
    linkfun: linkfun ?? ((mu) => linkfun1(code, mu)),
    linkinv: (eta) => linkinv1(code, eta),
    muEta: (eta) => muEta1(code, eta),
    validEta,
  };
}

const LINKS: Readonly<Record<LinkName, Link>> = {
  identity: kernelLink('identity', always),
  log: kernelLink('log', always),
  logit: kernelLink('logit', always),
  probit: kernelLink('probit', always),
  cloglog: kernelLink('cloglog', always),
  cauchit: kernelLink('cauchit', always, qcauchy),
  inverse: kernelLink('inverse', (eta) => Number.isFinite(eta) && eta !== 0),
  sqrt: kernelLink('sqrt', positive),
  '1/mu^2': kernelLink('1/mu^2', positive),
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
