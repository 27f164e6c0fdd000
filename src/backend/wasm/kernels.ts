import { createJsKernels } from '../js/kernels';
import type { DenseKernels, Heap, Kernels } from '../kernels';
import type { WasmExports } from './exports';

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

/**
 * Every kernel of the wasm backend. Kernel groups that have no WASM adapter yet (block, cross
 * product, predictor, GLM) run their TypeScript implementation over the same WASM memory
 * (through `heap`'s views), which is correct, just not accelerated; each group's WASM adapter
 * overrides them here once written.
 */
export function createWasmKernels(ex: WasmExports, heap: Heap): Kernels {
  return { ...createJsKernels(heap), ...createWasmDenseKernels(ex) };
}
