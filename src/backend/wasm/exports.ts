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
}
