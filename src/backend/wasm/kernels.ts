import type { DenseKernels, Kernels } from '../kernels';
import type { WasmExports } from './exports';
import { createWasmGeeKernels } from './gee';

/**
 * Adapter from the element-offset contract to the WASM exports' byte pointers
 * (f64 offset × 8). Closures over the exports; nothing is allocated per call.
 */
export function createWasmDenseKernels(ex: WasmExports): DenseKernels {
  return {
    potrf: (n, a, lda) => ex.potrf(n, a * 8, lda),
    trsmRightLowerTrans: (m, n, l, ldl, b, ldb) =>
      ex.trsmRightLowerTrans(m, n, l * 8, ldl, b * 8, ldb),
    trsvLower: (n, l, ldl, x) => ex.trsvLower(n, l * 8, ldl, x * 8),
    trsvLowerTrans: (n, l, ldl, x) => ex.trsvLowerTrans(n, l * 8, ldl, x * 8),
    syrkLower: (n, k, alpha, a, lda, beta, c, ldc) =>
      ex.syrkLower(n, k, alpha, a * 8, lda, beta, c * 8, ldc),
    gemmNT: (m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
      ex.gemmNT(m, n, k, alpha, a * 8, lda, b * 8, ldb, beta, c * 8, ldc),
    trtriLower: (n, a, lda) => ex.trtriLower(n, a * 8, lda),
    sumLogDiag: (n, a, lda) => ex.sumLogDiag(n, a * 8, lda),
    dot: (n, x, y) => ex.dot(n, x * 8, y * 8),
  };
}

/** An optional f64 offset (-1 = none) as a byte pointer (0 = none; byte 0 is never heap). */
const optionalPtr = (off: number): number => (off < 0 ? 0 : off * 8);

/** The mixed-model kernels (system, PIRLS, GLM) over the WASM exports. */
export function createWasmModelKernels(ex: WasmExports): Omit<Kernels, keyof DenseKernels> {
  return {
    glmWorkingWeightsResid: (family, link, n, y, eta, base, mu, priorWt, w, z, nbTheta) =>
      ex.glmWorkingWeightsResid(
        family,
        link,
        n,
        y * 8,
        eta * 8,
        optionalPtr(base),
        mu * 8,
        priorWt * 8,
        w * 8,
        z * 8,
        nbTheta,
      ),
    glmLinkinv: (link, n, eta, mu) => ex.glmLinkinv(link, n, eta * 8, mu * 8),
    glmDevResid: (family, n, y, mu, wt, out, nbTheta) =>
      ex.glmDevResid(family, n, y * 8, mu * 8, wt * 8, out * 8, nbTheta),
    glmMuDevSum: (family, link, n, y, eta, mu, wt, nbTheta) =>
      ex.glmMuDevSum(family, link, n, y * 8, eta * 8, mu * 8, wt * 8, nbTheta),
    glmDevResidSum: (family, n, y, mu, wt, nbTheta) =>
      ex.glmDevResidSum(family, n, y * 8, mu * 8, wt * 8, nbTheta),
    systemCrossprod: (sd, weighted) => ex.systemCrossprod(sd * 4, weighted),
    systemCrossprodResponse: (sd, weighted) => ex.systemCrossprodResponse(sd * 4, weighted),
    systemFactor: (sd) => ex.systemFactor(sd * 4),
    systemSolve: (sd, fixedBeta) => ex.systemSolve(sd * 4, fixedBeta),
    systemLogdetRe: (sd) => ex.systemLogdetRe(sd * 4),
    systemLambdaU: (sd, u, b) => ex.systemLambdaU(sd * 4, u * 8, b * 8),
    systemAddRandomEffects: (sd, b, base, out) =>
      ex.systemAddRandomEffects(sd * 4, b * 8, base * 8, out * 8),
    pirlsRun: (pd, joint, fromData) => ex.pirlsRun(pd * 4, joint, fromData),
    groupSums: (n, values, group, nGroups, out, extra) =>
      ex.groupSums(n, values * 8, group * 4, nGroups, out * 8, optionalPtr(extra)),
    fixedPredictor: (n, p, x, beta, base, out) =>
      ex.fixedPredictor(n, p, x * 8, beta * 8, optionalPtr(base), out * 8),
    ...createWasmGeeKernels(ex),
    agqShiftModes: (nGroups, v, u0, scale, z, u) =>
      ex.agqShiftModes(nGroups, v, u0 * 8, scale * 8, z * 8, u * 8),
    agqGroupDeviance: (n, values, group, nGroups, v, u, out) =>
      ex.agqGroupDeviance(n, values * 8, group * 4, nGroups, v, u * 8, out * 8),
    agqNodeAccumulate: (nGroups, devc, devc0, logFactor, mult) =>
      ex.agqNodeAccumulate(nGroups, devc * 8, devc0 * 8, logFactor, mult * 8),
  };
}

/** Every kernel of the wasm backend. */
export function createWasmKernels(ex: WasmExports): Kernels {
  return { ...createWasmDenseKernels(ex), ...createWasmModelKernels(ex) };
}
