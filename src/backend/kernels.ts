/**
 * The typed kernel contract. Two implementations with identical names and argument order:
 * `backend/js` (pure TypeScript over a Float64Array) and `backend/wasm` (AssemblyScript over
 * WebAssembly memory). Kernels never allocate and never validate: callers pass sizes and
 * offsets that are in range.
 *
 * Addressing: every matrix argument is an element OFFSET into the heap's f64 view (or i32 view
 * for integer arrays), not a byte pointer; the wasm adapter converts. Matrices are column-major
 * with an explicit leading dimension `ld` (element (i, j) lives at `off + i + j * ld`).
 * "Lower" kernels read and write only the lower triangle including the diagonal.
 */

/** Memory that kernels work on. Host-owned bump allocator; `reset()` frees everything. */
export interface Heap {
  /** View of the whole heap as doubles. Re-read after any `alloc*`: growth replaces the view. */
  readonly f64: Float64Array;
  /** View of the whole heap as 32-bit integers (same bytes as f64). */
  readonly i32: Int32Array;
  /** Reserve `n` doubles (zero-filled); returns an offset into `f64`. */
  allocF64(n: number): number;
  /** Reserve `n` int32s (zero-filled); returns an offset into `i32`. */
  allocI32(n: number): number;
  /** Release every allocation (the views stay valid). */
  reset(): void;
}

/** Dense linear algebra used on the hot path. Offsets and `ld`s in elements (see module doc). */
export interface DenseKernels {
  /**
   * In-place lower Cholesky of the n×n symmetric matrix whose lower triangle is at `a`.
   * Returns 0 on success or j+1 when the pivot of column j is not positive (the factor is then
   * garbage). The strict upper triangle is not touched.
   */
  potrf(n: number, a: number, lda: number): number;
  /** B := B · L^{-T} for B m×n and L n×n lower triangular (non-unit). */
  trsmRightLowerTrans(m: number, n: number, l: number, ldl: number, b: number, ldb: number): void;
  /** x := L^{-1} x for L n×n lower triangular, x contiguous. */
  trsvLower(n: number, l: number, ldl: number, x: number): void;
  /** x := L^{-T} x for L n×n lower triangular, x contiguous. */
  trsvLowerTrans(n: number, l: number, ldl: number, x: number): void;
  /** Lower triangle of C := alpha · A·Aᵀ + beta · C, with A n×k and C n×n. */
  syrkLower(
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  /** C := alpha · A·Bᵀ + beta · C, with A m×k, B n×k and C m×n. */
  gemmNT(
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  /** In-place inverse of the n×n lower triangular matrix at `a` (lower triangle only). */
  trtriLower(n: number, a: number, lda: number): void;
  /** Sum of log of the diagonal of the n×n matrix at `a` (log-determinant of a triangular factor). */
  sumLogDiag(n: number, a: number, lda: number): number;
  /** Dot product of n contiguous doubles at x and y. */
  dot(n: number, x: number, y: number): number;
}

/** Every kernel a backend provides. Model-specific kernels are added here as they are written. */
export interface Kernels extends DenseKernels {}

/** A loaded backend: its name, its memory and its kernels. */
export interface Backend {
  readonly name: 'wasm' | 'js';
  /** For wasm: 'simd' or 'scalar' build; for js: 'js'. */
  readonly variant: 'simd' | 'scalar' | 'js';
  readonly heap: Heap;
  readonly kernels: Kernels;
}
