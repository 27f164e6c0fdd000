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
  /** Bytes reserved since the last `reset()` (both heaps already track it). */
  readonly used: number;
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

/**
 * Kernels of the blocked mixed-model system (see src/model/layout.ts for the layout).
 * Tail-row metadata arrays (i32, one entry per tail row r): `rowT[r]` is the f64 offset of the
 * T matrix of r's random-effects block, or -1 for the X and y rows (which Λ leaves alone);
 * `rowStart[r]` is the tail row of column 0 of r's level; `rowV[r]` is that block's v.
 */
export interface BlockKernels {
  /**
   * For nl diagonal v×v blocks at `a` (each v·v, column-major): L_l := chol(Tᵀ A_l T + I), written
   * at `l`. Returns 0, or the failing level + 1.
   */
  inflateDiagBlocks(nl: number, v: number, a: number, l: number, tm: number): number;
  /**
   * For each level of block 1, left-multiply its sparse column block of L21 by Λ_tailᵀ:
   * rows listed in rowIdx[rowPtr[l]..rowPtr[l+1]] (groups of one level are contiguous).
   */
  scaleTailRows(
    nl: number,
    v1: number,
    rowPtr: number,
    rowIdx: number,
    vals: number,
    rowT: number,
    rowStart: number,
    rowV: number,
  ): void;
  /** For each level: V_l := V_l · T1 · L11_l^{-T} (V_l is len_l × v1 with ld = len_l). */
  rightScaleSolve(
    nl: number,
    v1: number,
    rowPtr: number,
    vals: number,
    tm: number,
    l11: number,
  ): void;
  /** M (t×t, full storage, ld t) := Λ_tailᵀ M Λ_tail + I on the random-effects diagonal. */
  scaleInflateTail(t: number, m: number, rowT: number, rowStart: number, rowV: number): void;
  /** Lower triangle of C -= Σ_l V_l V_lᵀ, scattered by rowIdx. */
  sparseSyrkSub(
    nl: number,
    v1: number,
    rowPtr: number,
    rowIdx: number,
    vals: number,
    c: number,
    ldc: number,
  ): void;
  /** Σ log of the diagonals of nl lower-triangular v×v blocks. */
  sumLogDiagBlocks(nl: number, v: number, l: number): number;
  /**
   * Back-substitution for block 1 once the tail part x2 is known: for each level,
   * x1_l := L11_l^{-T} (c_l - V_lᵀ x2[rows]) where c_l is V_l's last row (the response row)
   * and the sum runs over all rows but the last.
   */
  solveFirstBlock(
    nl: number,
    v1: number,
    rowPtr: number,
    rowIdx: number,
    l11: number,
    vals: number,
    x2: number,
    x1: number,
  ): void;
}

/**
 * Cross-products [Z X y]ᵀ W [Z X y] in the blocked layout, one pass over the n observations.
 * Per observation i: level refs1[i] of block 1 with values z1[i·v1 ..]; for each tail block k,
 * its tail row tailRow[i·nTail + k] and position tailPos[i·nTail + k] within the level's sparse
 * column, v = tailV[k] values in zTail (row-major n × sumVt); x is row-major n×p; y and w length
 * n (w < 0 offset means unit weights). Outputs are zeroed first; a22 is written in full storage.
 * Scratch: i32 of 2·(sumVt + p + 1), f64 of sumVt + p + 1.
 */
export interface CrossprodKernels {
  accumulateCrossprod(
    n: number,
    v1: number,
    refs1: number,
    z1: number,
    nTail: number,
    tailRow: number,
    tailPos: number,
    tailV: number,
    zTail: number,
    sumVt: number,
    p: number,
    x: number,
    y: number,
    w: number,
    nl1: number,
    rowPtr: number,
    t: number,
    a11: number,
    a21: number,
    a22: number,
    scratchI32: number,
    scratchF64: number,
  ): void;
}

/**
 * Linear predictor on the observations: out[i] := base[i] + z1[i]·b1[refs1[i]] + Σ_k zTail_k[i]·
 * bTail[tailRow[i, k]], with b1 (nl1·v1) and bTail (qt) the random effects b = Λu in layout order.
 * Same per-observation arrays as CrossprodKernels.
 */
export interface PredictorKernels {
  addRandomEffects(
    n: number,
    v1: number,
    refs1: number,
    z1: number,
    nTail: number,
    tailRow: number,
    tailV: number,
    zTail: number,
    sumVt: number,
    b1: number,
    bTail: number,
    base: number,
    out: number,
  ): void;
}

/**
 * Elementwise GLM kernels over n observations. Family and link are the integer codes of
 * assembly/codes.ts (FAMILY_*, LINK_*; on the host FamilyCode in src/model/family.ts and LinkCode
 * in src/model/links.ts); `nbTheta` is the negative binomial θ (ignored by other families). An
 * offset argument of -1 means "none".
 */
export interface GlmKernels {
  /**
   * From eta: mu := linkinv(eta), w := priorWt · muEta² / V(mu), and the working response
   * z := eta - base + (y - mu) / muEta (base = the part of eta held fixed; -1 for none).
   */
  glmWorkingWeightsResid(
    family: number,
    link: number,
    n: number,
    y: number,
    eta: number,
    base: number,
    mu: number,
    priorWt: number,
    w: number,
    z: number,
    nbTheta: number,
  ): void;
  /** mu := linkinv(eta). */
  glmLinkinv(link: number, n: number, eta: number, mu: number): void;
  /** out := dev.resids(y, mu, wt). */
  glmDevResid(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    out: number,
    nbTheta: number,
  ): void;
  /** mu := linkinv(eta), returning Σ dev.resids(y, mu, wt) (one pass). */
  glmMuDevSum(
    family: number,
    link: number,
    n: number,
    y: number,
    eta: number,
    mu: number,
    wt: number,
    nbTheta: number,
  ): number;
  /** Σ dev.resids(y, mu, wt): the deviance. */
  glmDevResidSum(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    nbTheta: number,
  ): number;
  /**
   * Per-group sums for adaptive quadrature: out[g] := Σ values[i] over the i with group[i] = g
   * (group: i32 level indices), plus extra[g]² (extra -1: none). out has nGroups values.
   */
  groupSums(
    n: number,
    values: number,
    group: number,
    nGroups: number,
    out: number,
    extra: number,
  ): void;
  /** out := base + X β for row-major n×p X (base -1: none). */
  fixedPredictor(n: number, p: number, x: number, beta: number, base: number, out: number): void;
}

/**
 * Whole-system kernels over a system descriptor `sd` (an i32 record in the heap; fields in
 * assembly/descriptor.ts): the recipe steps of the mixed-model system as single calls.
 */
export interface SystemKernels {
  /** A := [Z X y]ᵀ W [Z X y] from the resident rows (unit weights unless `weighted` is 1). */
  systemCrossprod(sd: number, weighted: number): void;
  /**
   * Only the parts of A that involve the response column y, from the current y (and weights as
   * in systemCrossprod): the y row of each level's column block of A21 (the last row of its
   * rowIdx range, tail row t-1) and row and column t-1 of A22 (Z_tailᵀWy, XᵀWy, yᵀWy, both
   * triangles). Every other entry of A is left untouched, so after a full systemCrossprod this
   * gives exactly what systemCrossprod would with the new y: a refit with a new response
   * re-uses the Z and X cross-products (the weights must be those A was formed with).
   */
  systemCrossprodResponse(sd: number, weighted: number): void;
  /** L := the blocked Cholesky factor of Λᵀ A Λ + I (T matrices as set); 0 or a failure code. */
  systemFactor(sd: number): number;
  /** Solves Lᵀ x = c into the descriptor's x1, x2; with fixedBeta = 1 the β part is held at 0. */
  systemSolve(sd: number, fixedBeta: number): void;
  /** Σ log diag of L over the random-effects part (half of log det L_θ²). */
  systemLogdetRe(sd: number): number;
  /** b := Λ u block by block (u, b of length q in layout order). */
  systemLambdaU(sd: number, u: number, b: number): void;
}

/**
 * Penalised iteratively reweighted least squares to convergence, entirely in the backend: the
 * PIRLS descriptor `pd` (fields in assembly/descriptor.ts) names the two systems, the family,
 * the resident buffers and the state. `joint` 1 updates u and β, 0 only u (β fixed);
 * `fromData` 1 starts from the family's initial μ already in the μ and η buffers. Returns a
 * PIRLS status code (assembly/descriptor.ts).
 */
export interface PirlsKernels {
  pirlsRun(pd: number, joint: number, fromData: number): number;
}

/** Every kernel a backend provides. */
export interface Kernels
  extends DenseKernels,
    BlockKernels,
    CrossprodKernels,
    PredictorKernels,
    GlmKernels,
    SystemKernels,
    PirlsKernels {}

/** The kernels below the whole-system level (what the system and PIRLS kernels are built on). */
export type BaseKernels = Omit<Kernels, keyof SystemKernels | keyof PirlsKernels>;

/** A loaded backend: its name, its memory and its kernels. */
export interface Backend {
  readonly name: 'wasm' | 'js';
  /** For wasm: 'simd' or 'scalar' build; for js: 'js'. */
  readonly variant: 'simd' | 'scalar' | 'js';
  readonly heap: Heap;
  readonly kernels: Kernels;
}
