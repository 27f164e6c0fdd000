/**
 * The raw exports of `build/glmm.wasm` / `build/glmm-simd.wasm` (see `assembly/index.ts`).
 * Pointers are BYTE addresses (unsigned; read returned pointers with `>>> 0`); sizes and
 * leading dimensions are in elements.
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  potrf(n: number, a: number, lda: number): number;
  trsmRightLowerTrans(m: number, n: number, l: number, ldl: number, b: number, ldb: number): void;
  trsvLower(n: number, l: number, ldl: number, x: number): void;
  trsvLowerTrans(n: number, l: number, ldl: number, x: number): void;
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
  trtriLower(n: number, a: number, lda: number): void;
  sumLogDiag(n: number, a: number, lda: number): number;
  dot(n: number, x: number, y: number): number;
  // mixed-model kernels (assembly/blocks.ts, crossprod.ts, predictor.ts, glm.ts)
  inflateDiagBlocks(nl: number, v: number, a: number, l: number, tm: number): number;
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
  rightScaleSolve(
    nl: number,
    v1: number,
    rowPtr: number,
    vals: number,
    tm: number,
    l11: number,
  ): void;
  scaleInflateTail(t: number, m: number, rowT: number, rowStart: number, rowV: number): void;
  sparseSyrkSub(
    nl: number,
    v1: number,
    rowPtr: number,
    rowIdx: number,
    vals: number,
    c: number,
    ldc: number,
  ): void;
  sumLogDiagBlocks(nl: number, v: number, l: number): number;
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
    sI: number,
    sF: number,
  ): void;
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
  fixedPredictor(n: number, p: number, x: number, beta: number, base: number, out: number): void;
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
  glmLinkinv(link: number, n: number, eta: number, mu: number): void;
  glmDevResid(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    out: number,
    nbTheta: number,
  ): void;
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
  glmDevResidSum(
    family: number,
    n: number,
    y: number,
    mu: number,
    wt: number,
    nbTheta: number,
  ): number;
}
