/**
 * Naive reference implementations (textbook loops, column-major, element offsets) and test
 * helpers shared by the backend tests.
 */
import { createBackend } from '../../src/backend/load';
import type { Backend } from '../../src/backend/kernels';

/** Every backend configuration the tests run on. */
export const BACKENDS: { label: string; make: () => Backend }[] = [
  { label: 'js', make: () => createBackend('js') },
  { label: 'wasm scalar', make: () => createBackend('wasm', { simd: false }) },
  { label: 'wasm simd', make: () => createBackend('wasm', { simd: true }) },
];

/** Deterministic uniform(-1, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

export function randomArray(n: number, r: () => number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = r();
  return x;
}

/** Well-conditioned lower triangular n×n (diagonal in [1, 2]) written at `off` with `ld`. */
export function fillLower(x: Float64Array, n: number, off: number, ld: number, r: () => number) {
  for (let j = 0; j < n; j++) {
    x[off + j + j * ld] = 1.5 + 0.5 * r();
    for (let i = j + 1; i < n; i++) x[off + i + j * ld] = r() / Math.sqrt(n);
  }
}

/** SPD n×n (lower and upper filled) = M Mᵀ / n + I, written at `off` with `ld`. */
export function fillSpd(x: Float64Array, n: number, off: number, ld: number, r: () => number) {
  const m = randomArray(n * n, r);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += m[i + p * n] * m[j + p * n];
      x[off + i + j * ld] = s / n + (i === j ? 1 : 0);
    }
  }
}

export function refPotrf(x: Float64Array, n: number, a: number, lda: number): number {
  for (let j = 0; j < n; j++) {
    let d = x[a + j + j * lda];
    for (let p = 0; p < j; p++) d -= x[a + j + p * lda] ** 2;
    if (!(d > 0)) return j + 1;
    d = Math.sqrt(d);
    x[a + j + j * lda] = d;
    for (let i = j + 1; i < n; i++) {
      let s = x[a + i + j * lda];
      for (let p = 0; p < j; p++) s -= x[a + i + p * lda] * x[a + j + p * lda];
      x[a + i + j * lda] = s / d;
    }
  }
  return 0;
}

export function refTrsmRightLowerTrans(
  x: Float64Array,
  m: number,
  n: number,
  l: number,
  ldl: number,
  b: number,
  ldb: number,
) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = x[b + i + j * ldb];
      for (let p = 0; p < j; p++) s -= x[b + i + p * ldb] * x[l + j + p * ldl];
      x[b + i + j * ldb] = s / x[l + j + j * ldl];
    }
  }
}

export function refTrsvLower(x: Float64Array, n: number, l: number, ldl: number, v: number) {
  for (let i = 0; i < n; i++) {
    let s = x[v + i];
    for (let p = 0; p < i; p++) s -= x[l + i + p * ldl] * x[v + p];
    x[v + i] = s / x[l + i + i * ldl];
  }
}

export function refTrsvLowerTrans(x: Float64Array, n: number, l: number, ldl: number, v: number) {
  for (let i = n - 1; i >= 0; i--) {
    let s = x[v + i];
    for (let p = i + 1; p < n; p++) s -= x[l + p + i * ldl] * x[v + p];
    x[v + i] = s / x[l + i + i * ldl];
  }
}

export function refSyrkLower(
  x: Float64Array,
  n: number,
  k: number,
  alpha: number,
  a: number,
  lda: number,
  beta: number,
  c: number,
  ldc: number,
) {
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += x[a + i + p * lda] * x[a + j + p * lda];
      const old = beta === 0 ? 0 : beta * x[c + i + j * ldc];
      x[c + i + j * ldc] = alpha * s + old;
    }
  }
}

export function refGemmNT(
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
) {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += x[a + i + p * lda] * x[b + j + p * ldb];
      const old = beta === 0 ? 0 : beta * x[c + i + j * ldc];
      x[c + i + j * ldc] = alpha * s + old;
    }
  }
}

/** Inverse of lower L by solving L X = I column by column (lower triangle written back). */
export function refTrtriLower(x: Float64Array, n: number, a: number, lda: number) {
  const inv = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let p = c; p < i; p++) s -= x[a + i + p * lda] * inv[p + c * n];
      inv[i + c * n] = s / x[a + i + i * lda];
    }
  }
  for (let c = 0; c < n; c++) for (let i = c; i < n; i++) x[a + i + c * lda] = inv[i + c * n];
}

export function refSumLogDiag(x: Float64Array, n: number, a: number, lda: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.log(x[a + j + j * lda]);
  return s;
}

export function refDot(x: Float64Array, n: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[a + i] * x[b + i];
  return s;
}

/** max |x − y| / max(1, max |y|): a relative error that is robust to tiny entries. */
export function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let num = 0;
  let den = 1;
  for (let i = 0; i < y.length; i++) {
    if (Object.is(x[i], y[i])) continue; // equal, including NaN where both are NaN
    const d = Math.abs(x[i] - y[i]);
    if (!(d <= num)) num = d; // NaN propagates as a large error
  }
  for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i])) den = Math.max(den, Math.abs(y[i]));
  return num / den;
}

/**
 * Runs `kernel` on `backend` over a copy of `input` placed at a non-zero, odd element offset
 * (so SIMD loads are unaligned), returning the buffer afterwards and the kernel's result.
 */
export function runOn(
  backend: Backend,
  input: Float64Array,
  kernel: (k: Backend['kernels'], base: number) => number | void,
): { out: Float64Array; result: number | void } {
  backend.heap.reset();
  backend.heap.allocF64(3);
  const base = backend.heap.allocF64(input.length + 1) + 1;
  backend.heap.f64.set(input, base);
  const result = kernel(backend.kernels, base);
  return { out: backend.heap.f64.slice(base, base + input.length), result };
}

/**
 * max |a - b| / max |b| (array-scaled relative error; NaN anywhere fails); equal entries count
 * as 0 even when infinite.
 */
export function arrayRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) return Infinity;
    if (a[i] !== b[i]) num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num === 0 ? 0 : num / (den || 1);
}
