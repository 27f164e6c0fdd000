import type { BaseKernels, DenseKernels, Heap, Kernels } from '../kernels';
import { makeJsPirlsKernel } from './pirls';
import { makeJsSystemKernels } from './system';
import * as d from './dense';
import { makeJsGlmKernels } from './glm';
import { makeJsGeeKernels } from './gee';
import { makeJsAgqKernels } from './agq';

/**
 * The pure TypeScript dense kernels over `heap.f64`. The view is read on every call, so heap
 * growth between calls is harmless.
 */
export function createJsDenseKernels(heap: Heap): DenseKernels {
  return {
    potrf: (n, a, lda) => d.potrf(heap.f64, n, a, lda),
    trsmRightLowerTrans: (m, n, l, ldl, b, ldb) =>
      d.trsmRightLowerTrans(heap.f64, m, n, l, ldl, b, ldb),
    trsvLower: (n, l, ldl, x) => d.trsvLower(heap.f64, n, l, ldl, x),
    trsvLowerTrans: (n, l, ldl, x) => d.trsvLowerTrans(heap.f64, n, l, ldl, x),
    syrkLower: (n, k, alpha, a, lda, beta, c, ldc) =>
      d.syrkLower(heap.f64, n, k, alpha, a, lda, beta, c, ldc),
    gemmNT: (m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
      d.gemmNT(heap.f64, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc),
    trtriLower: (n, a, lda) => d.trtriLower(heap.f64, n, a, lda),
    sumLogDiag: (n, a, lda) => d.sumLogDiag(heap.f64, n, a, lda),
    dot: (n, x, y) => d.dot(heap.f64, n, x, y),
  };
}

/** Every kernel of the pure TypeScript backend, over `heap` (any Heap, including a WASM one). */
export function createJsKernels(heap: Heap): Kernels {
  const base: BaseKernels = {
    ...createJsDenseKernels(heap),
    ...makeJsGlmKernels(heap),
    ...makeJsGeeKernels(heap),
    ...makeJsAgqKernels(heap),
  };
  const withSystem = { ...base, ...makeJsSystemKernels(heap, base) };
  return { ...withSystem, ...makeJsPirlsKernel(heap, withSystem) };
}
