/**
 * Dense Cholesky and friends on column-major f64 matrices (lower triangle).
 * Pointers are BYTE addresses; sizes and leading dimensions in elements. No allocation.
 */
import { axpyNeg, gemmAcc, syrkAcc, trsmRightLowerTrans } from './blas';

/** Column block of the blocked factorization. */
const NB: i32 = 64;

/**
 * Unblocked right-looking Cholesky of an n×n block. Returns 0, or j+1 when pivot j is not
 * positive (NaN included).
 */
function potf2(n: i32, a: usize, lda: i32): i32 {
  const la = (<usize>lda) << 3;
  for (let j = 0; j < n; j++) {
    const col = a + <usize>j * la + ((<usize>j) << 3);
    let d = load<f64>(col);
    if (!(d > 0.0)) return j + 1;
    d = Math.sqrt(d);
    store<f64>(col, d);
    const r = n - j - 1;
    for (let i = 1; i <= r; i++) {
      const p = col + ((<usize>i) << 3);
      store<f64>(p, load<f64>(p) / d);
    }
    // trailing update, column by column: A(c:n, c) -= A(c, j) · A(c:n, j)
    for (let c = 1; c <= r; c++) {
      const s = load<f64>(col + ((<usize>c) << 3));
      axpyNeg(r - c + 1, s, col + ((<usize>c) << 3), col + <usize>c * la + ((<usize>c) << 3));
    }
  }
  return 0;
}

/**
 * In-place lower Cholesky (left-looking, blocks of NB columns): for each block column,
 * update the diagonal block (syrk) and the panel below (gemm) with the finished columns to the
 * left, factor the diagonal block, then solve the panel (trsm). Returns 0 or j+1 at a
 * non-positive pivot in column j. The strict upper triangle is not touched.
 */
export function potrf(n: i32, a: usize, lda: i32): i32 {
  const la = (<usize>lda) << 3;
  for (let j = 0; j < n; j += NB) {
    const jb = min(NB, n - j);
    const ajj = a + <usize>j * la + ((<usize>j) << 3);
    const aj = a + ((<usize>j) << 3);
    if (j > 0) syrkAcc(jb, j, -1.0, aj, lda, ajj, lda);
    const info = potf2(jb, ajj, lda);
    if (info != 0) return info + j;
    const r = n - j - jb;
    if (r > 0) {
      const below = ajj + ((<usize>jb) << 3);
      if (j > 0) gemmAcc(r, jb, j, -1.0, aj + ((<usize>jb) << 3), lda, aj, lda, below, lda);
      trsmRightLowerTrans(r, jb, ajj, lda, below, lda);
    }
  }
  return 0;
}

/**
 * In-place inverse of a lower triangular matrix (LAPACK dtrti2, lower): from the last column
 * back, x := −L(j,j)⁻¹ · Linv(j+1:, j+1:) · L(j+1:, j), where the trailing block is already
 * inverted.
 */
export function trtriLower(n: i32, a: usize, lda: i32): void {
  const la = (<usize>lda) << 3;
  for (let j = n - 1; j >= 0; j--) {
    const col = a + <usize>j * la + ((<usize>j) << 3);
    const inv = 1.0 / load<f64>(col);
    store<f64>(col, inv);
    const x = col + 8;
    // x := T x with T = trailing inverted lower block (trmv, lower, non-unit), c descending
    for (let c = n - 1; c > j; c--) {
      const pc = x + ((<usize>(c - j - 1)) << 3);
      const t = load<f64>(pc);
      const tc = a + <usize>c * la + ((<usize>c) << 3);
      store<f64>(pc, t * load<f64>(tc));
      // x(c+1:) += t · T(c+1:, c)
      axpyNeg(n - c - 1, -t, tc + 8, pc + 8);
    }
    const s = -inv;
    for (let i = j + 1; i < n; i++) {
      const p = x + ((<usize>(i - j - 1)) << 3);
      store<f64>(p, s * load<f64>(p));
    }
  }
}

/** Σ log A(j,j) over the diagonal. */
export function sumLogDiag(n: i32, a: usize, lda: i32): f64 {
  const step = (<usize>lda + 1) << 3;
  let s = 0.0;
  let p = a;
  for (let j = 0; j < n; j++) {
    s += Math.log(load<f64>(p));
    p += step;
  }
  return s;
}
