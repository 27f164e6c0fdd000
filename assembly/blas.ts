/**
 * Dense BLAS-like kernels on column-major f64 matrices.
 *
 * Conventions: pointers are BYTE addresses; sizes and leading dimensions are in elements.
 * Nothing here allocates or validates. The SIMD build (ASC_FEATURE_SIMD) uses f64x2 paths; the
 * scalar build compiles the `else` branches only. Both builds accumulate every output element
 * in the same order (sequentially over the inner index, in chunks of KC), so they agree with
 * each other and with the TypeScript port up to rounding of library functions.
 *
 * gemm/syrk pack the current MC×KC block of A and 4×KC micro-panel of B into static scratch
 * (`memory.data`, part of the module's static data below `heapBase`, so still no runtime
 * allocation); the 4×4 register tile then streams contiguous memory. Packing only moves data,
 * so the summation order (and the TypeScript port, which does not pack) is unchanged. The
 * scratch makes the kernels non-reentrant, which is fine: one instance runs one call at a time.
 *
 * The hot loops live in small non-inlined functions (`tile44`, `axpy`, ...) so that V8's
 * dynamic tiering optimizes them after a few calls even while a long outer call is running.
 */

/** Rows/columns of the register tile. */
const MR: i32 = 4;
/** Inner-dimension chunk (packed B micro-panel 4×KC = 8 KiB stays in L1). */
export const KC: i32 = 256;
/** Row chunk (packed A block MC×KC = 256 KiB stays in L2 across the columns of C). */
export const MC: i32 = 128;

/** Static scratch (not a runtime allocation): the current MC×KC block of A, packed. */
const PACK: usize = memory.data(MC * KC * 8, 16);

/** Static scratch: the current 4×KC micro-panel of B, packed as [p][col]. */
const PACKB: usize = memory.data(KC * 4 * 8, 16);

/** Packs B(0:4, 0:kc) as [p][col]. */
function packB(kc: i32, b: usize, lb: usize): void {
  let dst = PACKB;
  for (let p = 0; p < kc; p++) {
    if (ASC_FEATURE_SIMD) {
      v128.store(dst, v128.load(b));
      v128.store(dst, v128.load(b, 16), 16);
    } else {
      store<f64>(dst, load<f64>(b));
      store<f64>(dst, load<f64>(b, 8), 8);
      store<f64>(dst, load<f64>(b, 16), 16);
      store<f64>(dst, load<f64>(b, 24), 24);
    }
    dst += 32;
    b += lb;
  }
}

/** Packs full 4-row strips of A(0:mc4, 0:kc) as [strip][p][row]. */
function packA(mc4: i32, kc: i32, a: usize, la: usize): void {
  let dst = PACK;
  for (let s = 0; s < mc4; s += 4) {
    let src = a + ((<usize>s) << 3);
    for (let p = 0; p < kc; p++) {
      if (ASC_FEATURE_SIMD) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        store<f64>(dst, load<f64>(src));
        store<f64>(dst, load<f64>(src, 8), 8);
        store<f64>(dst, load<f64>(src, 16), 16);
        store<f64>(dst, load<f64>(src, 24), 24);
      }
      dst += 32;
      src += la;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Register tiles: C[0:4, 0:4] += alpha · A[0:4, 0:k] · B[0:4, 0:k]ᵀ.
// `lower` (diagonal tiles of syrk): only elements with row >= column are written.

/** *p += v (tiny: binaryen inlines it). */
function addTo(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) + v);
}

/** Scalar half tile: 4 rows × 2 columns, eight independent accumulators. */
function tile42(
  k: i32,
  alpha: f64,
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  c: usize,
  ldc: usize,
  lower: i32,
  col0: i32,
): void {
  let c00 = 0.0,
    c10 = 0.0,
    c20 = 0.0,
    c30 = 0.0;
  let c01 = 0.0,
    c11 = 0.0,
    c21 = 0.0,
    c31 = 0.0;
  for (let p = 0; p < k; p++) {
    const a0 = load<f64>(a),
      a1 = load<f64>(a, 8),
      a2 = load<f64>(a, 16),
      a3 = load<f64>(a, 24);
    const b0 = load<f64>(b),
      b1 = load<f64>(b, 8);
    c00 += a0 * b0;
    c10 += a1 * b0;
    c20 += a2 * b0;
    c30 += a3 * b0;
    c01 += a0 * b1;
    c11 += a1 * b1;
    c21 += a2 * b1;
    c31 += a3 * b1;
    a += lda;
    b += ldb;
  }
  // column col0 (0 or 2) of the 4×4 tile, then col0 + 1
  if (!lower || col0 <= 0) addTo(c, alpha * c00);
  if (!lower || col0 <= 1) addTo(c + 8, alpha * c10);
  addTo(c + 16, alpha * c20);
  addTo(c + 24, alpha * c30);
  c += ldc;
  if (!lower || col0 + 1 <= 0) addTo(c, alpha * c01);
  if (!lower || col0 + 1 <= 1) addTo(c + 8, alpha * c11);
  if (!lower || col0 + 1 <= 2) addTo(c + 16, alpha * c21);
  addTo(c + 24, alpha * c31);
}

/** Full 4×4 tile (pointers in bytes, strides in bytes). */
function tile44(
  k: i32,
  alpha: f64,
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  c: usize,
  ldc: usize,
  lower: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    let c00 = f64x2.splat(0),
      c10 = f64x2.splat(0);
    let c01 = f64x2.splat(0),
      c11 = f64x2.splat(0);
    let c02 = f64x2.splat(0),
      c12 = f64x2.splat(0);
    let c03 = f64x2.splat(0),
      c13 = f64x2.splat(0);
    for (let p = 0; p < k; p++) {
      const a0 = v128.load(a);
      const a1 = v128.load(a, 16);
      let bj = v128.load64_splat(b);
      c00 = f64x2.add(c00, f64x2.mul(a0, bj));
      c10 = f64x2.add(c10, f64x2.mul(a1, bj));
      bj = v128.load64_splat(b, 8);
      c01 = f64x2.add(c01, f64x2.mul(a0, bj));
      c11 = f64x2.add(c11, f64x2.mul(a1, bj));
      bj = v128.load64_splat(b, 16);
      c02 = f64x2.add(c02, f64x2.mul(a0, bj));
      c12 = f64x2.add(c12, f64x2.mul(a1, bj));
      bj = v128.load64_splat(b, 24);
      c03 = f64x2.add(c03, f64x2.mul(a0, bj));
      c13 = f64x2.add(c13, f64x2.mul(a1, bj));
      a += lda;
      b += ldb;
    }
    const al = f64x2.splat(alpha);
    if (!lower) {
      v128.store(c, f64x2.add(v128.load(c), f64x2.mul(al, c00)));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c10)), 16);
      c += ldc;
      v128.store(c, f64x2.add(v128.load(c), f64x2.mul(al, c01)));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c11)), 16);
      c += ldc;
      v128.store(c, f64x2.add(v128.load(c), f64x2.mul(al, c02)));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c12)), 16);
      c += ldc;
      v128.store(c, f64x2.add(v128.load(c), f64x2.mul(al, c03)));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c13)), 16);
    } else {
      v128.store(c, f64x2.add(v128.load(c), f64x2.mul(al, c00)));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c10)), 16);
      c += ldc;
      addTo(c + 8, alpha * f64x2.extract_lane(c01, 1));
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c11)), 16);
      c += ldc;
      v128.store(c, f64x2.add(v128.load(c, 16), f64x2.mul(al, c12)), 16);
      c += ldc;
      addTo(c + 24, alpha * f64x2.extract_lane(c13, 1));
    }
  } else {
    tile42(k, alpha, a, lda, b, ldb, c, ldc, lower, 0);
    tile42(k, alpha, a, lda, b + 16, ldb, c + ldc * 2, ldc, lower, 2);
  }
}

/** Partial tile (mr, nr <= 4) at the matrix edge; same summation order as the full tiles. */
function tileEdge(
  mr: i32,
  nr: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: usize,
  b: usize,
  ldb: usize,
  c: usize,
  ldc: usize,
  lower: i32,
): void {
  for (let j = 0; j < nr; j++) {
    for (let i = 0; i < mr; i++) {
      if (lower && i < j) continue;
      let s = 0.0;
      let pa = a + ((<usize>i) << 3);
      let pb = b + ((<usize>j) << 3);
      for (let p = 0; p < k; p++) {
        s += load<f64>(pa) * load<f64>(pb);
        pa += lda;
        pb += ldb;
      }
      addTo(c + ((<usize>i) << 3) + <usize>j * ldc, alpha * s);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Blocked drivers (no beta): C += alpha · A·Bᵀ, and lower(C) += alpha · A·Aᵀ.

/** C (m×n) += alpha · A (m×k) · B (n×k)ᵀ. Byte pointers; ld* in elements. */
export function gemmAcc(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
): void {
  const la = (<usize>lda) << 3,
    lb = (<usize>ldb) << 3,
    lc = (<usize>ldc) << 3;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const ap = a + <usize>pc * la;
    const bp = b + <usize>pc * lb;
    for (let ic = 0; ic < m; ic += MC) {
      const mc = min(MC, m - ic);
      const mc4 = mc & ~3;
      packA(mc4, kc, ap + ((<usize>ic) << 3), la);
      for (let jc = 0; jc < n; jc += MR) {
        const nr = min(MR, n - jc);
        const bj = bp + ((<usize>jc) << 3);
        const cj = c + <usize>jc * lc;
        if (nr == MR) packB(kc, bj, lb);
        for (let ir = ic; ir < ic + mc; ir += MR) {
          const mr = min(MR, ic + mc - ir);
          const ai = ap + ((<usize>ir) << 3);
          const ci = cj + ((<usize>ir) << 3);
          if ((mr & nr) == MR)
            tile44(kc, alpha, PACK + <usize>(ir - ic) * <usize>kc * 8, 32, PACKB, 32, ci, lc, 0);
          else tileEdge(mr, nr, kc, alpha, ai, la, bj, lb, ci, lc, 0);
        }
      }
    }
  }
}

/** lower(C) (n×n) += alpha · A (n×k) · Aᵀ. Byte pointers; ld* in elements. */
export function syrkAcc(n: i32, k: i32, alpha: f64, a: usize, lda: i32, c: usize, ldc: i32): void {
  const la = (<usize>lda) << 3,
    lc = (<usize>ldc) << 3;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const ap = a + <usize>pc * la;
    for (let ic = 0; ic < n; ic += MC) {
      const iend = min(ic + MC, n);
      packA((iend - ic) & ~3, kc, ap + ((<usize>ic) << 3), la);
      for (let jc = 0; jc < iend; jc += MR) {
        const nr = min(MR, n - jc);
        const bj = ap + ((<usize>jc) << 3);
        const cj = c + <usize>jc * lc;
        if (nr == MR) packB(kc, bj, la);
        for (let ir = max(ic, jc); ir < iend; ir += MR) {
          const mr = min(MR, iend - ir);
          const diag = i32(ir == jc);
          const ai = ap + ((<usize>ir) << 3);
          const ci = cj + ((<usize>ir) << 3);
          if ((mr & nr) == MR)
            tile44(kc, alpha, PACK + <usize>(ir - ic) * <usize>kc * 8, 32, PACKB, 32, ci, lc, diag);
          else tileEdge(mr, nr, kc, alpha, ai, la, bj, la, ci, lc, diag);
        }
      }
    }
  }
}

/** C := beta · C for an m×n block (beta == 0 writes zeros, so NaNs in C do not survive). */
function scaleBlock(m: i32, n: i32, beta: f64, c: usize, ldc: i32, lower: i32): void {
  if (beta == 1.0) return;
  const lc = (<usize>ldc) << 3;
  for (let j = 0; j < n; j++) {
    const i0 = lower ? j : 0;
    let p = c + <usize>j * lc + ((<usize>i0) << 3);
    const end = c + <usize>j * lc + ((<usize>m) << 3);
    if (beta == 0.0) {
      for (; p < end; p += 8) store<f64>(p, 0.0);
    } else {
      for (; p < end; p += 8) store<f64>(p, beta * load<f64>(p));
    }
  }
}

/** Lower triangle of C := alpha · A·Aᵀ + beta · C, with A n×k and C n×n. */
export function syrkLower(
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  scaleBlock(n, n, beta, c, ldc, 1);
  if (alpha != 0.0) syrkAcc(n, k, alpha, a, lda, c, ldc);
}

/** C := alpha · A·Bᵀ + beta · C, with A m×k, B n×k and C m×n. */
export function gemmNT(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  scaleBlock(m, n, beta, c, ldc, 0);
  if (alpha != 0.0) gemmAcc(m, n, k, alpha, a, lda, b, ldb, c, ldc);
}

// ---------------------------------------------------------------------------------------------
// Level-1 helpers and triangular solves.

/** y[0:n] -= s · x[0:n] (contiguous). */
export function axpyNeg(n: i32, s: f64, x: usize, y: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f64x2.splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 3;
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(sv, v128.load(x + o))));
      v128.store(y + o, f64x2.sub(v128.load(y + o, 16), f64x2.mul(sv, v128.load(x + o, 16))), 16);
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 3;
      store<f64>(y + o, load<f64>(y + o) - s * load<f64>(x + o));
      store<f64>(y + o, load<f64>(y + o, 8) - s * load<f64>(x + o, 8), 8);
      store<f64>(y + o, load<f64>(y + o, 16) - s * load<f64>(x + o, 16), 16);
      store<f64>(y + o, load<f64>(y + o, 24) - s * load<f64>(x + o, 24), 24);
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    store<f64>(y + o, load<f64>(y + o) - s * load<f64>(x + o));
  }
}

/**
 * Dot product with four partial sums: element i goes to sum i % 4, combined as
 * (s0 + s1) + (s2 + s3). The TypeScript port uses the same order.
 */
export function dot(n: i32, x: usize, y: usize): f64 {
  let i = 0;
  let s = 0.0;
  if (ASC_FEATURE_SIMD) {
    let s01 = f64x2.splat(0),
      s23 = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 3;
      s01 = f64x2.add(s01, f64x2.mul(v128.load(x + o), v128.load(y + o)));
      s23 = f64x2.add(s23, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    }
    s =
      f64x2.extract_lane(s01, 0) +
      f64x2.extract_lane(s01, 1) +
      (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
  } else {
    let s0 = 0.0,
      s1 = 0.0,
      s2 = 0.0,
      s3 = 0.0;
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 3;
      s0 += load<f64>(x + o) * load<f64>(y + o);
      s1 += load<f64>(x + o, 8) * load<f64>(y + o, 8);
      s2 += load<f64>(x + o, 16) * load<f64>(y + o, 16);
      s3 += load<f64>(x + o, 24) * load<f64>(y + o, 24);
    }
    s = s0 + s1 + (s2 + s3);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/** x := L⁻¹ x (forward substitution, column oriented). */
export function trsvLower(n: i32, l: usize, ldl: i32, x: usize): void {
  const ll = (<usize>ldl) << 3;
  for (let j = 0; j < n; j++) {
    const pj = x + ((<usize>j) << 3);
    const col = l + <usize>j * ll + ((<usize>j) << 3);
    const xj = load<f64>(pj) / load<f64>(col);
    store<f64>(pj, xj);
    axpyNeg(n - j - 1, xj, col + 8, pj + 8);
  }
}

/** x := L⁻ᵀ x (backward substitution, dot-product oriented). */
export function trsvLowerTrans(n: i32, l: usize, ldl: i32, x: usize): void {
  const ll = (<usize>ldl) << 3;
  for (let j = n - 1; j >= 0; j--) {
    const pj = x + ((<usize>j) << 3);
    const col = l + <usize>j * ll + ((<usize>j) << 3);
    store<f64>(pj, (load<f64>(pj) - dot(n - j - 1, col + 8, pj + 8)) / load<f64>(col));
  }
}

/** Triangle width solved with row strips inside `trsmRightLowerTrans`. */
const TB: i32 = 16;

/**
 * B (m×w) := B · L⁻ᵀ for a small w×w lower L, four rows of B at a time so a strip stays in
 * registers/L1. Each element: x_j = (b_j − Σ_{p<j} L(j,p) x_p) / L(j,j), summed in order of p.
 */
function trsmStrip(m: i32, w: i32, l: usize, ll: usize, b: usize, lb: usize): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const bi = b + ((<usize>i) << 3);
    for (let j = 0; j < w; j++) {
      const bj = bi + <usize>j * lb;
      const lj = l + ((<usize>j) << 3);
      if (ASC_FEATURE_SIMD) {
        let x0 = v128.load(bj),
          x1 = v128.load(bj, 16);
        let bp = bi;
        let lp = lj;
        for (let p = 0; p < j; p++) {
          const s = v128.load64_splat(lp);
          x0 = f64x2.sub(x0, f64x2.mul(s, v128.load(bp)));
          x1 = f64x2.sub(x1, f64x2.mul(s, v128.load(bp, 16)));
          bp += lb;
          lp += ll;
        }
        const d = v128.load64_splat(lp);
        v128.store(bj, f64x2.div(x0, d));
        v128.store(bj, f64x2.div(x1, d), 16);
      } else {
        let x0 = load<f64>(bj),
          x1 = load<f64>(bj, 8),
          x2 = load<f64>(bj, 16),
          x3 = load<f64>(bj, 24);
        let bp = bi;
        let lp = lj;
        for (let p = 0; p < j; p++) {
          const s = load<f64>(lp);
          x0 -= s * load<f64>(bp);
          x1 -= s * load<f64>(bp, 8);
          x2 -= s * load<f64>(bp, 16);
          x3 -= s * load<f64>(bp, 24);
          bp += lb;
          lp += ll;
        }
        const d = load<f64>(lp);
        store<f64>(bj, x0 / d);
        store<f64>(bj, x1 / d, 8);
        store<f64>(bj, x2 / d, 16);
        store<f64>(bj, x3 / d, 24);
      }
    }
  }
  for (; i < m; i++) {
    const bi = b + ((<usize>i) << 3);
    for (let j = 0; j < w; j++) {
      let x = load<f64>(bi + <usize>j * lb);
      for (let p = 0; p < j; p++) {
        x -= load<f64>(l + ((<usize>j) << 3) + <usize>p * ll) * load<f64>(bi + <usize>p * lb);
      }
      store<f64>(bi + <usize>j * lb, x / load<f64>(l + ((<usize>j) << 3) + <usize>j * ll));
    }
  }
}

/** B := B · L⁻ᵀ for B m×n and L n×n lower triangular (non-unit); left-looking in blocks of TB. */
export function trsmRightLowerTrans(m: i32, n: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ll = (<usize>ldl) << 3,
    lb = (<usize>ldb) << 3;
  for (let jb = 0; jb < n; jb += TB) {
    const w = min(TB, n - jb);
    const bj = b + <usize>jb * lb;
    if (jb > 0) gemmAcc(m, w, jb, -1.0, b, ldb, l + ((<usize>jb) << 3), ldl, bj, ldb);
    trsmStrip(m, w, l + ((<usize>jb) << 3) + <usize>jb * ll, ll, bj, lb);
  }
}
