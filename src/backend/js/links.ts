/**
 * Scalar GLM link functions by link code: port of the link section of assembly/glm.ts (R's
 * make.link, with the clamps of R's family.c), used by the js GLM kernels and, for the same
 * numbers on the host, by src/model/links.ts. Codes are those of assembly/codes.ts.
 */
import {
  LINK_CAUCHIT,
  LINK_CLOGLOG,
  LINK_IDENTITY,
  LINK_INVERSE,
  LINK_LOG,
  LINK_LOGIT,
  LINK_PROBIT,
  LINK_SQRT,
} from '../../../assembly/codes';
import { normCdf, normDensity, normQuantile } from './normal';

/** .Machine$double.eps: the floor R puts under mu and dmu/deta. */
export const DBL_EPSILON = 2.220446049250313e-16;
const INVEPS = 1.0 / DBL_EPSILON;
/** logit: beyond |eta| = 30, R's family.c clamps exp(eta) to eps or 1/eps. */
export const THRESH = 30.0;
export const MTHRESH = -30.0;
// -qnorm(DBL_EPSILON) and 1 / tan(pi * DBL_EPSILON) = -qcauchy(DBL_EPSILON)
const PROBIT_THRESH = 8.125890664701906;
const CAUCHIT_THRESH = 1433540284805664.8;

/** Cauchy distribution function, accurate in both tails (R's pcauchy for finite x). */
export function pcauchy(x: number): number {
  if (Math.abs(x) > 1.0) {
    const y = Math.atan(1.0 / x) / Math.PI;
    return x > 0.0 ? 0.5 - y + 0.5 : -y;
  }
  return 0.5 + Math.atan(x) / Math.PI;
}

/** g(mu) for link code `link`. */
export function linkfun1(link: number, mu: number): number {
  switch (link) {
    case LINK_IDENTITY:
      return mu;
    case LINK_LOG:
      return Math.log(mu);
    case LINK_LOGIT:
      return Math.log(mu / (1.0 - mu));
    case LINK_PROBIT:
      return normQuantile(mu);
    case LINK_CLOGLOG:
      return Math.log(-Math.log(1.0 - mu));
    case LINK_CAUCHIT: {
      if (mu === 0.5) return 0.0;
      if (mu > 0.5) return 1.0 / Math.tan(Math.PI * (1.0 - mu));
      return -1.0 / Math.tan(Math.PI * mu);
    }
    case LINK_INVERSE:
      return 1.0 / mu;
    case LINK_SQRT:
      return Math.sqrt(mu);
    default:
      return 1.0 / (mu * mu);
  }
}

/** g^{-1}(eta) for link code `link`, clamped as R. */
export function linkinv1(link: number, eta: number): number {
  switch (link) {
    case LINK_IDENTITY:
      return eta;
    case LINK_LOG:
      return Math.max(Math.exp(eta), DBL_EPSILON);
    case LINK_LOGIT: {
      const tmp = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
      return tmp / (1.0 + tmp);
    }
    case LINK_PROBIT:
      return normCdf(Math.min(Math.max(eta, -PROBIT_THRESH), PROBIT_THRESH));
    case LINK_CLOGLOG:
      return Math.max(Math.min(-Math.expm1(-Math.exp(eta)), 1.0 - DBL_EPSILON), DBL_EPSILON);
    case LINK_CAUCHIT:
      return pcauchy(Math.min(Math.max(eta, -CAUCHIT_THRESH), CAUCHIT_THRESH));
    case LINK_INVERSE:
      return 1.0 / eta;
    case LINK_SQRT:
      return eta * eta;
    default:
      return 1.0 / Math.sqrt(eta);
  }
}

/** dmu/deta at eta for link code `link`, as R. */
export function muEta1(link: number, eta: number): number {
  switch (link) {
    case LINK_IDENTITY:
      return 1.0;
    case LINK_LOG:
      return Math.max(Math.exp(eta), DBL_EPSILON);
    case LINK_LOGIT: {
      const opexp = 1.0 + Math.exp(eta);
      return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
    }
    case LINK_PROBIT:
      return Math.max(normDensity(eta), DBL_EPSILON);
    case LINK_CLOGLOG: {
      const e = Math.min(eta, 700.0);
      return Math.max(Math.exp(e) * Math.exp(-Math.exp(e)), DBL_EPSILON);
    }
    case LINK_CAUCHIT:
      return Math.max(1.0 / (Math.PI * (1.0 + eta * eta)), DBL_EPSILON);
    case LINK_INVERSE:
      return -1.0 / (eta * eta);
    case LINK_SQRT:
      return 2.0 * eta;
    default:
      return -1.0 / (2.0 * Math.pow(eta, 1.5));
  }
}
