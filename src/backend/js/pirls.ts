/**
 * Pure-TypeScript PIRLS driver kernel (contract: PirlsKernels in ../kernels.ts); the reference
 * for assembly/pirls.ts. One call runs PIRLS to convergence over the resident buffers named by
 * the PIRLS descriptor: linear predictor, μ and deviance, working weights and response, the
 * penalised update through the blocked Cholesky, step halving and the convergence test.
 */
import * as D from '../../../assembly/descriptor';
import type { BaseKernels, Heap, PirlsKernels, SystemKernels } from '../kernels';

export function makeJsPirlsKernel(heap: Heap, k: BaseKernels & SystemKernels): PirlsKernels {
  return {
    pirlsRun(pd, joint, fromData) {
      const g = (i: number) => heap.i32[pd + i];
      const sdJ = g(D.PIRLS_SYS_JOINT);
      const sd = joint ? sdJ : g(D.PIRLS_SYS_U);
      const s = (desc: number, i: number) => heap.i32[desc + i];
      const n = s(sdJ, D.SYS_N);
      const q = g(D.PIRLS_Q);
      const p = g(D.PIRLS_P);
      const family = g(D.PIRLS_FAMILY);
      const link = g(D.PIRLS_LINK);
      const reals = g(D.PIRLS_REALS);
      const nbTheta = heap.f64[reals + D.PIRLS_REAL_NB_THETA];
      const tol = heap.f64[reals + D.PIRLS_REAL_TOL];
      const noise = heap.f64[reals + D.PIRLS_REAL_NOISE];
      const [y, priorWt, offset, fixed, eta, mu] = [
        g(D.PIRLS_Y),
        g(D.PIRLS_PRIOR_WT),
        g(D.PIRLS_OFFSET),
        g(D.PIRLS_FIXED),
        g(D.PIRLS_ETA),
        g(D.PIRLS_MU),
      ];
      const [u, uNew, beta, betaNew, b] = [
        g(D.PIRLS_U),
        g(D.PIRLS_U_NEW),
        g(D.PIRLS_BETA),
        g(D.PIRLS_BETA_NEW),
        g(D.PIRLS_B),
      ];
      const x = s(sd, D.SYS_XSOL); // u (q), then β (p)

      /** fixed := offset + X β. */
      const setFixed = (bet: number) => k.fixedPredictor(n, p, s(sdJ, D.SYS_X), bet, offset, fixed);
      /** η, μ at spherical effects `uv` (fixed as set); returns Σ devResid + |u|². */
      const penalisedDeviance = (uv: number): number => {
        k.systemLambdaU(sdJ, uv, b);
        k.systemAddRandomEffects(sdJ, b, fixed, eta);
        const f = heap.f64;
        let uu = 0;
        for (let j = 0; j < q; j++) uu += f[uv + j] * f[uv + j];
        return k.glmMuDevSum(family, link, n, y, eta, mu, priorWt, nbTheta) + uu;
      };
      /** a := (a + b) / 2 over len values (a step halving). */
      const halve = (a: number, bb: number, len: number) => {
        const f = heap.f64;
        for (let j = 0; j < len; j++) f[bb + j] = (f[a + j] + f[bb + j]) / 2;
      };
      /** Largest |b - a| relative to max(1, |b|). */
      const maxStep = (a: number, bb: number, len: number): number => {
        const f = heap.f64;
        let m = 0;
        for (let j = 0; j < len; j++) {
          m = Math.max(m, Math.abs(f[bb + j] - f[a + j]) / Math.max(1, Math.abs(f[bb + j])));
        }
        return m;
      };

      let pdevOld = Infinity;
      if (!fromData) {
        setFixed(beta);
        pdevOld = penalisedDeviance(u);
      }
      let converged = false;
      let prevStep = Infinity;
      let iterations = 0;
      const maxIter = g(D.PIRLS_MAX_ITER);
      while (iterations < maxIter && !converged) {
        iterations++;
        k.glmWorkingWeightsResid(
          family,
          link,
          n,
          y,
          eta,
          joint ? offset : fixed,
          mu,
          priorWt,
          s(sd, D.SYS_W),
          s(sd, D.SYS_Y),
          nbTheta,
        );
        k.systemCrossprod(sd, 1);
        heap.i32[pd + D.PIRLS_OUT_FACTORED] = joint;
        if (k.systemFactor(sd) !== 0) return D.PIRLS_NOT_PD;
        k.systemSolve(sd, joint ? 0 : 1);
        const f = heap.f64;
        f.copyWithin(uNew, x, x + q);
        if (joint) {
          f.copyWithin(betaNew, x + q, x + q + p);
          setFixed(betaNew);
        }
        let pdev = penalisedDeviance(uNew);
        // Step halving while the penalised deviance goes up (lme4: at most 10 halvings). Rises
        // at the rounding level of pdev are not rises: near the mode pdev is flat, and halving
        // a good Newton step there would leave u short of the mode.
        const slack = 1e-11 * Math.abs(pdevOld);
        for (let h = 0; h < 10 && !(pdev <= pdevOld + slack); h++) {
          halve(u, uNew, q);
          if (joint) {
            halve(beta, betaNew, p);
            setFixed(betaNew);
          }
          pdev = penalisedDeviance(uNew);
        }
        if (!(pdev <= pdevOld + slack)) return D.PIRLS_STEP_FAILED;
        // pdev is stationary at the mode, so it cannot see a small error in u, but log|L| can
        // (to first order): convergence is judged on the step in (u, β).
        // A step below `noise` that is no smaller than the last one is rounding noise: converged.
        const step = maxStep(u, uNew, q) + (joint ? maxStep(beta, betaNew, p) : 0);
        converged = step <= tol || (step <= noise && step >= prevStep);
        prevStep = step;
        heap.f64.copyWithin(u, uNew, uNew + q);
        if (joint) heap.f64.copyWithin(beta, betaNew, betaNew + p);
        pdevOld = pdev;
      }
      heap.f64[reals + D.PIRLS_REAL_PDEV] = pdevOld;
      heap.i32[pd + D.PIRLS_OUT_ITER] = iterations;
      return converged ? D.PIRLS_OK : D.PIRLS_NO_CONVERGENCE;
    },
  };
}
