// The export surface of the WASM module: re-exports only. Every pointer argument is a BYTE
// address into the exported memory; sizes and leading dimensions are in elements.
export { heapBase } from './memory';
export { dot, trsvLower, trsvLowerTrans, syrkLower, gemmNT, trsmRightLowerTrans } from './blas';
export { potrf, trtriLower, sumLogDiag } from './chol';
// model kernels (written alongside; their TS adapters live in src/backend/wasm/)
export * from './blocks';
export * from './crossprod';
export * from './predictor';
export * from './glm';
export * from './ghq';
export * from './system';
export * from './pirls';
