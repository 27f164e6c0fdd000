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
 * Adaptive Gauss–Hermite quadrature for vector random effects on one grouping factor (v effects
 * per level, level-major u): the per-node steps of the product rule over all groups at once.
 */
export interface AgqKernels {
  /**
   * u[g·v + r] := u0[g·v + r] + Σ_c S_g[r + c·v] z[c] for g < nGroups, with S_g the v×v
   * column-major matrix at scale + g·v² (the node z moved to each group's mode and scaled).
   */
  agqShiftModes(nGroups: number, v: number, u0: number, scale: number, z: number, u: number): void;
  /**
   * out[g] := Σ values[i] over the i < n with group[i] = g (i32 levels), plus Σ_r u[g·v + r]²:
   * each group's conditional deviance at a node. out has nGroups values.
   */
  agqGroupDeviance(
    n: number,
    values: number,
    group: number,
    nGroups: number,
    v: number,
    u: number,
    out: number,
  ): void;
  /** mult[g] += exp(logFactor − (devc[g] − devc0[g]) / 2) for g < nGroups. */
  agqNodeAccumulate(
    nGroups: number,
    devc: number,
    devc0: number,
    logFactor: number,
    mult: number,
  ): void;
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
   * in systemCrossprod): the y row of every sparse panel and row and column t-1 of A22. Every
   * other entry of A is left untouched, so after a full systemCrossprod this gives exactly what
   * systemCrossprod would with the new y: a refit with a new response re-uses the Z and X
   * cross-products (the weights must be those A was formed with).
   */
  systemCrossprodResponse(sd: number, weighted: number): void;
  /**
   * L := the sparse Cholesky factor of Λᵀ A Λ + I (T matrices as set, symbolic structure of
   * src/model/layout.ts): 0, or a positive failure code (the factor is then unusable).
   */
  systemFactor(sd: number): number;
  /** Solves Lᵀ x = c into the descriptor's x (u, then β); with fixedBeta = 1, β is held at 0. */
  systemSolve(sd: number, fixedBeta: number): void;
  /** Σ log diag of L over the random-effects part (half of log det L_θ²). */
  systemLogdetRe(sd: number): number;
  /** b := Λ u block by block (u, b of length q in layout order). */
  systemLambdaU(sd: number, u: number, b: number): void;
  /** out[i] := base[i] + Σ_k z_k[i]·b[level of i in block k] (b = Λu in layout order). */
  systemAddRandomEffects(sd: number, b: number, base: number, out: number): void;
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

/**
 * GEE kernels (assembly/gee.ts, src/backend/js/gee.ts): the n-row passes of geepack's Fisher
 * scoring for a marginal model. Rows are sorted by cluster; cluster c holds rows start[c] ..
 * start[c+1]-1 (start: nClusters+1 int32s). `corstr` is a CORSTR_* code of
 * assembly/geecodes.ts; x is row-major n×p; offset -1 = none; wave holds each row's 1-based wave
 * (doubles, ascending within a cluster); alpha is ρ at alpha[0] (exchangeable, ar1) or the
 * nWaves×nWaves working correlation matrix (unstructured, column-major).
 */
export interface GeeKernels {
  /**
   * pr := Pearson residuals (y - μ)/√V(μ) at η = offset + Xβ; sums[0..3] := Σ w pr², Σ w,
   * Σ pr², the deviance Σ dev.resids(y, μ, w). Returns the number of rows whose μ is invalid for the family (geepack's validmu).
   */
  geeResiduals(
    family: number,
    link: number,
    n: number,
    p: number,
    x: number,
    beta: number,
    offset: number,
    y: number,
    w: number,
    pr: number,
    sums: number,
  ): number;
  /**
   * h := Σ D_iᵀ R_i⁻¹ D_i (lower triangle of p×p), g := Σ D_iᵀ R_i⁻¹ r_i and, unless meat is
   * -1, meat := Σ U_i U_iᵀ (U_i = D_iᵀ R_i⁻¹ r_i; lower triangle), with D_i = diag(√(w/(φV))
   * dμ/dη) X_i and r_i = √(w/(φV)) (y - μ). scratch: maxS·(p+1) + maxS² + p doubles. Returns
   * 0, or c+1 when the working correlation of cluster c is not positive definite.
   */
  geeCrossprod(
    family: number,
    link: number,
    corstr: number,
    nClusters: number,
    p: number,
    start: number,
    x: number,
    beta: number,
    offset: number,
    y: number,
    w: number,
    wave: number,
    phi: number,
    alpha: number,
    nWaves: number,
    h: number,
    g: number,
    meat: number,
    scratch: number,
  ): number;
  /**
   * The correlation equation's sums (geepack's update_alpha): over pairs j < k within
   * clusters, h[m] := Σ w_j w_k E_jk² and g[m] := Σ w_j w_k E_jk (pr_j pr_k/φ - ρ_jk), one m
   * per correlation parameter (1 for exchangeable and ar1; nWaves(nWaves-1)/2 for unstructured,
   * in geepack's order 1:2, 1:3, ..., 2:3, ...). E_jk = dρ_jk/dα.
   */
  geeAlphaMoments(
    corstr: number,
    nClusters: number,
    start: number,
    pr: number,
    w: number,
    wave: number,
    phi: number,
    alpha: number,
    nWaves: number,
    h: number,
    g: number,
  ): void;
}

/** Every kernel a backend provides. */
export interface Kernels
  extends DenseKernels,
    GlmKernels,
    SystemKernels,
    PirlsKernels,
    AgqKernels,
    GeeKernels {}

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
