/**
 * Memory layout. The host owns allocation (a bump allocator in `src/backend/wasm/heap.ts`);
 * this module only tells it where free memory starts. Kernels never allocate.
 */

/** First free byte above static data, aligned to 16 so f64x2 blocks can start there. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
