/**
 * Post-fit convergence checks, as lme4's checkConv: the scaled gradient of the objective at the
 * optimum and the eigenvalues of its Hessian (both by finite differences, in the optimizer's
 * coordinates, which are scale-free here). Unlike lme4, parameters on their boundary (a variance
 * at 0) are left out: a non-zero gradient there is what a constrained optimum looks like, and
 * lme4's "unable to evaluate scaled gradient" on singular fits is a false alarm.
 */
import { symmetricEigen } from '../math/eigen';
import { choleskyLower, solveLowerTrans } from '../math/cholesky';
import type { CheckControl } from './control';
import type { Derivatives } from './hessian';

export interface ConvergenceCheck {
  /** False when a check says the optimizer stopped short of the optimum. */
  converged: boolean;
  /** Messages for the user (warnings about identifiability included); empty when all is well. */
  messages: string[];
}

/** lme4's checks of the gradient and Hessian at the optimum, restricted to interior parameters. */
export function checkConvergence(
  d: Derivatives,
  interior: readonly boolean[],
  checks: CheckControl,
): ConvergenceCheck {
  const idx = interior.flatMap((ok, i) => (ok ? [i] : []));
  if (idx.length === 0) return { converged: true, messages: [] };
  const g = idx.map((i) => d.gradient[i]);
  const H = idx.map((i) => idx.map((j) => d.hessian[i][j]));
  if (g.some((v) => !Number.isFinite(v)) || H.some((r) => r.some((v) => !Number.isFinite(v)))) {
    return {
      converged: false,
      messages: ['Model failed to converge: the gradient or Hessian at the optimum is not finite'],
    };
  }
  const out: string[] = [];
  let converged = true;
  const n = idx.length;
  // lme4's solve(chol(H), g) with H = RᵀR, R = Lᵀ: the scaled gradient R⁻¹ g = L⁻ᵀ g
  const L = choleskyLower(H.flat(), n);
  if (L === null) {
    out.push('unable to evaluate scaled gradient');
    converged = false;
  } else {
    const sc = [...g];
    solveLowerTrans(L, n, sc);
    let worst = 0;
    let at = -1;
    sc.forEach((v, k) => {
      const m = Math.min(Math.abs(v), Math.abs(g[k]));
      if (m > worst) {
        worst = m;
        at = k;
      }
    });
    if (worst > checks.gradTol) {
      converged = false;
      out.push(
        `Model failed to converge with max|grad| = ${formatG(worst)} (tol = ${formatG(checks.gradTol)}, component ${idx[at] + 1})`,
      );
    }
  }
  const ev = symmetricEigen(H).values;
  const negative = ev.filter((e) => e < -checks.hessTol).length;
  if (negative > 0) {
    converged = false;
    out.push(
      `Model failed to converge: degenerate Hessian with ${negative} negative eigenvalue${negative === 1 ? '' : 's'}`,
    );
  } else if (L === null || ev.some((e) => Math.abs(e) < checks.hessTol)) {
    out.push('Hessian is numerically singular: parameters are not uniquely determined');
  } else {
    const max = Math.max(...ev);
    const min = Math.min(...ev);
    if (max * checks.hessTol > 1) {
      out.push('Model is nearly unidentifiable: very large eigenvalue - Rescale variables?');
    } else if (min / max < checks.hessTol) {
      out.push('Model is nearly unidentifiable: large eigenvalue ratio - Rescale variables?');
    }
  }
  return { converged, messages: out };
}

/** R's %g with 6 significant digits. */
function formatG(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
