// The export surface of the WASM module: exactly the kernels of the contract (Kernels in
// src/backend/kernels.ts, under the same names and argument order) plus heapBase; no logic.
// src/backend/wasm/exports.ts checks this list against the contract at compile time. Every
// pointer argument is a BYTE address into the exported memory; sizes and leading dimensions
// are in elements.

// memory: where the host's heap starts
export { heapBase } from './memory';
// DenseKernels: BLAS-like dense linear algebra and Cholesky
export { dot, trsvLower, trsvLowerTrans, syrkLower, gemmNT, trsmRightLowerTrans } from './blas';
export { potrf, trtriLower, sumLogDiag } from './chol';
// GlmKernels' fixedPredictor: the fixed part of the linear predictor
export { fixedPredictor } from './predictor';
// GlmKernels: elementwise family / link updates, and the quadrature's per-group sums
export {
  glmWorkingWeightsResid,
  glmLinkinv,
  glmDevResid,
  glmMuDevSum,
  glmDevResidSum,
} from './glm';
export { groupSums } from './ghq';
// AgqKernels: the per-node steps of vector adaptive quadrature
export { agqShiftModes, agqGroupDeviance } from './agq';
export { agqAccumulate as agqNodeAccumulate } from './ghq';
// SystemKernels: whole-system steps over a system descriptor
export {
  systemCrossprod,
  systemCrossprodResponse,
  systemFactor,
  systemSolve,
  systemLogdetRe,
  systemLambdaU,
  systemAddRandomEffects,
} from './system';
// PirlsKernels: the PIRLS loop over a PIRLS descriptor
export { pirlsRun } from './pirls';
// GeeKernels: the per-cluster sums of GEE (marginal models)
export { geeResiduals, geeCrossprod, geeAlphaMoments } from './gee';
