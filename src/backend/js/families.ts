/**
 * Scalar GLM family functions by family code: port of the family section of assembly/glm.ts
 * (R's family objects and MASS::negative.binomial), used by the js GLM kernels and, for the
 * same numbers on the host, by src/model/family.ts. Codes are those of assembly/codes.ts;
 * `theta` is the negative binomial θ (the other families ignore it).
 */
import {
  FAMILY_BINOMIAL,
  FAMILY_GAMMA,
  FAMILY_GAUSSIAN,
  FAMILY_INVERSE_GAUSSIAN,
  FAMILY_POISSON,
} from '../../../assembly/codes';

/** Variance function V(mu) for family code `family`. */
export function variance1(family: number, mu: number, theta: number): number {
  switch (family) {
    case FAMILY_GAUSSIAN:
      return 1.0;
    case FAMILY_BINOMIAL:
      return mu * (1.0 - mu);
    case FAMILY_POISSON:
      return mu;
    case FAMILY_GAMMA:
      return mu * mu;
    case FAMILY_INVERSE_GAUSSIAN:
      return mu * mu * mu;
    default:
      return mu + (mu * mu) / theta;
  }
}

/** y log(y / mu), taken as 0 at y = 0 (R's y_log_y in family.c). */
function yLogY(y: number, mu: number): number {
  return y !== 0.0 ? y * Math.log(y / mu) : 0.0;
}

/** R's family$dev.resids(y, mu, wt) for one observation. */
export function devResid1(
  family: number,
  y: number,
  mu: number,
  wt: number,
  theta: number,
): number {
  switch (family) {
    case FAMILY_GAUSSIAN: {
      const r = y - mu;
      return wt * (r * r);
    }
    case FAMILY_BINOMIAL:
      return 2.0 * wt * (yLogY(y, mu) + yLogY(1.0 - y, 1.0 - mu));
    case FAMILY_POISSON:
      return y > 0.0 ? 2.0 * (wt * (y * Math.log(y / mu) - (y - mu))) : 2.0 * mu * wt;
    case FAMILY_GAMMA:
      return -2.0 * wt * (Math.log(y === 0.0 ? 1.0 : y / mu) - (y - mu) / mu);
    case FAMILY_INVERSE_GAUSSIAN: {
      const r = y - mu;
      return (wt * (r * r)) / (y * mu * mu);
    }
    default:
      return (
        2.0 *
        wt *
        (y * Math.log(Math.max(1.0, y) / mu) - (y + theta) * Math.log((y + theta) / (mu + theta)))
      );
  }
}
