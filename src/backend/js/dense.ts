/**
 * Pure TypeScript dense kernels over one Float64Array, element offsets, column-major.
 * Same algorithms and the same summation order as `assembly/blas.ts` / `assembly/chol.ts`
 * (register tiles of 4×2 with eight accumulators, inner-dimension chunks of KC, left-looking
 * blocked Cholesky), so both backends agree up to rounding of `log`.
 */

const MR = 4;
const KC = 256;
const MC = 128;
const TB = 16;
const NB = 64;

/** Half tile: C[0:4, 0:2] += alpha · A[0:4, 0:k] · B[0:2, 0:k]ᵀ; `col0` = column of the half. */
function tile42(
  x: Float64Array,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  lower: boolean,
  col0: number,
): void {
  let c00 = 0,
    c10 = 0,
    c20 = 0,
    c30 = 0,
    c01 = 0,
    c11 = 0,
    c21 = 0,
    c31 = 0;
  for (let p = 0; p < k; p++) {
    const a0 = x[a],
      a1 = x[a + 1],
      a2 = x[a + 2],
      a3 = x[a + 3];
    const b0 = x[b],
      b1 = x[b + 1];
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
  if (!lower || col0 <= 0) x[c] += alpha * c00;
  if (!lower || col0 <= 1) x[c + 1] += alpha * c10;
  x[c + 2] += alpha * c20;
  x[c + 3] += alpha * c30;
  c += ldc;
  if (!lower || col0 + 1 <= 0) x[c] += alpha * c01;
  if (!lower || col0 + 1 <= 1) x[c + 1] += alpha * c11;
  if (!lower || col0 + 1 <= 2) x[c + 2] += alpha * c21;
  x[c + 3] += alpha * c31;
}

function tileEdge(
  x: Float64Array,
  mr: number,
  nr: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
  lower: boolean,
): void {
  for (let j = 0; j < nr; j++) {
    for (let i = 0; i < mr; i++) {
      if (lower && i < j) continue;
      let s = 0;
      let pa = a + i;
      let pb = b + j;
      for (let p = 0; p < k; p++) {
        s += x[pa] * x[pb];
        pa += lda;
        pb += ldb;
      }
      x[c + i + j * ldc] += alpha * s;
    }
  }
}

/** C (m×n) += alpha · A (m×k) · B (n×k)ᵀ. */
export function gemmAcc(
  x: Float64Array,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  c: number,
  ldc: number,
): void {
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    const ap = a + pc * lda;
    const bp = b + pc * ldb;
    for (let ic = 0; ic < m; ic += MC) {
      const iend = Math.min(ic + MC, m);
      for (let jc = 0; jc < n; jc += MR) {
        const nr = Math.min(MR, n - jc);
        const bj = bp + jc;
        const cj = c + jc * ldc;
        for (let ir = ic; ir < iend; ir += MR) {
          const mr = Math.min(MR, iend - ir);
          if (mr === MR && nr === MR) {
            tile42(x, kc, alpha, ap + ir, lda, bj, ldb, cj + ir, ldc, false, 0);
            tile42(x, kc, alpha, ap + ir, lda, bj + 2, ldb, cj + ir + 2 * ldc, ldc, false, 2);
          } else {
            tileEdge(x, mr, nr, kc, alpha, ap + ir, lda, bj, ldb, cj + ir, ldc, false);
          }
        }
      }
    }
  }
}

/** lower(C) (n×n) += alpha · A (n×k) · Aᵀ. */
export function syrkAcc(
  x: Float64Array,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  c: number,
  ldc: number,
): void {
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    const ap = a + pc * lda;
    for (let ic = 0; ic < n; ic += MC) {
      const iend = Math.min(ic + MC, n);
      for (let jc = 0; jc < iend; jc += MR) {
        const nr = Math.min(MR, n - jc);
        const bj = ap + jc;
        const cj = c + jc * ldc;
        for (let ir = Math.max(ic, jc); ir < iend; ir += MR) {
          const mr = Math.min(MR, iend - ir);
          const diag = ir === jc;
          if (mr === MR && nr === MR) {
            tile42(x, kc, alpha, ap + ir, lda, bj, lda, cj + ir, ldc, diag, 0);
            tile42(x, kc, alpha, ap + ir, lda, bj + 2, lda, cj + ir + 2 * ldc, ldc, diag, 2);
          } else {
            tileEdge(x, mr, nr, kc, alpha, ap + ir, lda, bj, lda, cj + ir, ldc, diag);
          }
        }
      }
    }
  }
}

function scaleBlock(
  x: Float64Array,
  m: number,
  n: number,
  beta: number,
  c: number,
  ldc: number,
  lower: boolean,
): void {
  if (beta === 1) return;
  for (let j = 0; j < n; j++) {
    const col = c + j * ldc;
    if (beta === 0) x.fill(0, col + (lower ? j : 0), col + m);
    else for (let i = lower ? j : 0; i < m; i++) x[col + i] *= beta;
  }
}

export function syrkLower(
  x: Float64Array,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  beta: number,
  c: number,
  ldc: number,
): void {
  scaleBlock(x, n, n, beta, c, ldc, true);
  if (alpha !== 0) syrkAcc(x, n, k, alpha, a, lda, c, ldc);
}

export function gemmNT(
  x: Float64Array,
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
): void {
  scaleBlock(x, m, n, beta, c, ldc, false);
  if (alpha !== 0) gemmAcc(x, m, n, k, alpha, a, lda, b, ldb, c, ldc);
}

/** y[0:n] -= s · x[0:n]. */
function axpyNeg(x: Float64Array, n: number, s: number, px: number, py: number): void {
  for (let i = 0; i < n; i++) x[py + i] -= s * x[px + i];
}

/** Dot product with four partial sums combined as (s0 + s1) + (s2 + s3), like the WASM build. */
export function dot(x: Float64Array, n: number, px: number, py: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[px + i] * x[py + i];
    s1 += x[px + i + 1] * x[py + i + 1];
    s2 += x[px + i + 2] * x[py + i + 2];
    s3 += x[px + i + 3] * x[py + i + 3];
  }
  let s = s0 + s1 + (s2 + s3);
  for (; i < n; i++) s += x[px + i] * x[py + i];
  return s;
}

export function trsvLower(x: Float64Array, n: number, l: number, ldl: number, v: number): void {
  for (let j = 0; j < n; j++) {
    const col = l + j * ldl + j;
    const xj = x[v + j] / x[col];
    x[v + j] = xj;
    axpyNeg(x, n - j - 1, xj, col + 1, v + j + 1);
  }
}

export function trsvLowerTrans(
  x: Float64Array,
  n: number,
  l: number,
  ldl: number,
  v: number,
): void {
  for (let j = n - 1; j >= 0; j--) {
    const col = l + j * ldl + j;
    x[v + j] = (x[v + j] - dot(x, n - j - 1, col + 1, v + j + 1)) / x[col];
  }
}

/** B (m×w) := B · L⁻ᵀ for a small w×w lower L, four rows at a time. */
function trsmStrip(
  x: Float64Array,
  m: number,
  w: number,
  l: number,
  ldl: number,
  b: number,
  ldb: number,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const bi = b + i;
    for (let j = 0; j < w; j++) {
      const bj = bi + j * ldb;
      let x0 = x[bj],
        x1 = x[bj + 1],
        x2 = x[bj + 2],
        x3 = x[bj + 3];
      let bp = bi;
      let lp = l + j;
      for (let p = 0; p < j; p++) {
        const s = x[lp];
        x0 -= s * x[bp];
        x1 -= s * x[bp + 1];
        x2 -= s * x[bp + 2];
        x3 -= s * x[bp + 3];
        bp += ldb;
        lp += ldl;
      }
      const d = x[lp];
      x[bj] = x0 / d;
      x[bj + 1] = x1 / d;
      x[bj + 2] = x2 / d;
      x[bj + 3] = x3 / d;
    }
  }
  for (; i < m; i++) {
    const bi = b + i;
    for (let j = 0; j < w; j++) {
      let v = x[bi + j * ldb];
      for (let p = 0; p < j; p++) v -= x[l + j + p * ldl] * x[bi + p * ldb];
      x[bi + j * ldb] = v / x[l + j + j * ldl];
    }
  }
}

export function trsmRightLowerTrans(
  x: Float64Array,
  m: number,
  n: number,
  l: number,
  ldl: number,
  b: number,
  ldb: number,
): void {
  for (let jb = 0; jb < n; jb += TB) {
    const w = Math.min(TB, n - jb);
    const bj = b + jb * ldb;
    if (jb > 0) gemmAcc(x, m, w, jb, -1, b, ldb, l + jb, ldl, bj, ldb);
    trsmStrip(x, m, w, l + jb + jb * ldl, ldl, bj, ldb);
  }
}

function potf2(x: Float64Array, n: number, a: number, lda: number): number {
  for (let j = 0; j < n; j++) {
    const col = a + j * lda + j;
    let d = x[col];
    if (!(d > 0)) return j + 1;
    d = Math.sqrt(d);
    x[col] = d;
    const r = n - j - 1;
    for (let i = 1; i <= r; i++) x[col + i] /= d;
    for (let c = 1; c <= r; c++) {
      axpyNeg(x, r - c + 1, x[col + c], col + c, col + c * lda + c);
    }
  }
  return 0;
}

export function potrf(x: Float64Array, n: number, a: number, lda: number): number {
  for (let j = 0; j < n; j += NB) {
    const jb = Math.min(NB, n - j);
    const ajj = a + j * lda + j;
    const aj = a + j;
    if (j > 0) syrkAcc(x, jb, j, -1, aj, lda, ajj, lda);
    const info = potf2(x, jb, ajj, lda);
    if (info !== 0) return info + j;
    const r = n - j - jb;
    if (r > 0) {
      const below = ajj + jb;
      if (j > 0) gemmAcc(x, r, jb, j, -1, aj + jb, lda, aj, lda, below, lda);
      trsmRightLowerTrans(x, r, jb, ajj, lda, below, lda);
    }
  }
  return 0;
}

export function trtriLower(x: Float64Array, n: number, a: number, lda: number): void {
  for (let j = n - 1; j >= 0; j--) {
    const col = a + j * lda + j;
    const inv = 1 / x[col];
    x[col] = inv;
    const v = col + 1;
    for (let c = n - 1; c > j; c--) {
      const pc = v + (c - j - 1);
      const t = x[pc];
      const tc = a + c * lda + c;
      x[pc] = t * x[tc];
      axpyNeg(x, n - c - 1, -t, tc + 1, pc + 1);
    }
    const s = -inv;
    for (let i = 0; i < n - j - 1; i++) x[v + i] *= s;
  }
}

export function sumLogDiag(x: Float64Array, n: number, a: number, lda: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.log(x[a + j * (lda + 1)]);
  return s;
}
