import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/kernels';
import {
  BACKENDS,
  fillLower,
  fillSpd,
  randomArray,
  refDot,
  refGemmNT,
  refPotrf,
  refSumLogDiag,
  refSyrkLower,
  refTrsmRightLowerTrans,
  refTrsvLower,
  refTrsvLowerTrans,
  refTrtriLower,
  relErr,
  rng,
  runOn,
} from './reference';

const SIZES = [1, 2, 3, 7, 33, 130];
/** Backends vs naive reference (different summation order). */
const TOL_REF = 1e-11;
/** Backends vs each other (same algorithm; only library rounding differs). */
const TOL_CROSS = 1e-12;

const backends = BACKENDS.map((b) => ({ label: b.label, backend: b.make() }));

type Kernel = (k: Backend['kernels'], base: number) => number | void;

/**
 * Runs `kernel` on every backend and `reference` on a plain copy; checks the outputs and
 * results against the reference and against each other, and that every element the reference
 * leaves alone (padding rows, upper triangles, ...) is bit-for-bit untouched.
 */
function check(
  input: Float64Array,
  kernel: Kernel,
  reference: (x: Float64Array) => number | void,
  tolRef = TOL_REF,
) {
  const ref = input.slice();
  const refResult = reference(ref);
  const outs: { label: string; out: Float64Array; result: number | void }[] = [];
  for (const { label, backend } of backends) {
    const { out, result } = runOn(backend, input, kernel);
    outs.push({ label, out, result });
    expect(relErr(out, ref), `${label} vs reference`).toBeLessThanOrEqual(tolRef);
    for (let i = 0; i < input.length; i++) {
      if (ref[i] === input[i] && !Object.is(out[i], input[i])) {
        throw new Error(`${label}: element ${i} should be untouched`);
      }
    }
    if (typeof refResult === 'number') {
      expect(typeof result).toBe('number');
      expect(relErr([result as number], [refResult]), `${label} result`).toBeLessThanOrEqual(
        tolRef,
      );
    }
  }
  const js = outs[0];
  for (const o of outs.slice(1)) {
    expect(relErr(o.out, js.out), `${o.label} vs js`).toBeLessThanOrEqual(TOL_CROSS);
    if (typeof js.result === 'number') {
      expect(
        relErr([o.result as number], [js.result]),
        `${o.label} vs js result`,
      ).toBeLessThanOrEqual(TOL_CROSS);
    }
  }
}

describe('dense kernels agree with a naive reference and across backends', () => {
  it('backends are the expected variants', () => {
    expect(backends.map((b) => b.backend.variant)).toEqual(['js', 'scalar', 'simd']);
  });

  for (const n of [...SIZES, 200]) {
    it(`potrf n=${n}`, () => {
      const r = rng(n);
      const lda = n + 3;
      const input = randomArray(lda * n, r); // junk in padding rows and upper triangle
      const spd = new Float64Array(lda * n);
      fillSpd(spd, n, 0, lda, r);
      for (let j = 0; j < n; j++) for (let i = j; i < n; i++) input[i + j * lda] = spd[i + j * lda];
      check(
        input,
        (k, b) => k.potrf(n, b, lda),
        (x) => refPotrf(x, n, 0, lda),
      );
    });
  }

  for (const n of [1, 7, 130]) {
    for (const bad of [0, 1, 5, 63, 64, 70, 129].filter((j) => j < n)) {
      it(`potrf n=${n} reports non-positive pivot in column ${bad}`, () => {
        const r = rng(1000 + n + bad);
        // A = L Lᵀ with A(bad, bad) lowered by L(bad,bad)² + 1: pivot `bad` is exactly -1
        const l = new Float64Array(n * n);
        fillLower(l, n, 0, n, r);
        const input = new Float64Array(n * n);
        for (let j = 0; j < n; j++) {
          for (let i = j; i < n; i++) {
            let s = 0;
            for (let p = 0; p <= j; p++) s += l[i + p * n] * l[j + p * n];
            input[i + j * n] = s;
          }
        }
        input[bad + bad * n] -= l[bad + bad * n] ** 2 + 1;
        for (const { label, backend } of backends) {
          const { result } = runOn(backend, input, (k, b) => k.potrf(n, b, n));
          expect(result, label).toBe(bad + 1);
        }
        expect(refPotrf(input.slice(), n, 0, n)).toBe(bad + 1);
      });
    }
  }

  it('potrf reports a NaN pivot', () => {
    const n = 9;
    const input = new Float64Array(n * n);
    fillSpd(input, n, 0, n, rng(5));
    input[4 + 4 * n] = NaN;
    for (const { label, backend } of backends) {
      expect(runOn(backend, input, (k, b) => k.potrf(n, b, n)).result, label).toBe(5);
    }
  });

  const shapes: [number, number][] = [
    [1, 1],
    [2, 3],
    [7, 7],
    [33, 5],
    [130, 33],
    [3, 130],
    [131, 130],
  ];
  for (const [m, n] of shapes) {
    it(`trsmRightLowerTrans m=${m} n=${n}`, () => {
      const r = rng(m * 1000 + n);
      const ldl = n + 2;
      const ldb = m + 5;
      const l = ldb * n; // L after B
      const input = randomArray(ldb * n + ldl * n, r);
      fillLower(input, n, l, ldl, r);
      check(
        input,
        (k, b) => k.trsmRightLowerTrans(m, n, b + l, ldl, b, ldb),
        (x) => refTrsmRightLowerTrans(x, m, n, l, ldl, 0, ldb),
      );
    });
  }

  for (const n of SIZES) {
    it(`trsvLower / trsvLowerTrans n=${n}`, () => {
      const r = rng(77 + n);
      const ldl = n + 1;
      const v = ldl * n;
      const input = randomArray(ldl * n + n, r);
      fillLower(input, n, 0, ldl, r);
      check(
        input,
        (k, b) => k.trsvLower(n, b, ldl, b + v),
        (x) => refTrsvLower(x, n, 0, ldl, v),
      );
      check(
        input,
        (k, b) => k.trsvLowerTrans(n, b, ldl, b + v),
        (x) => refTrsvLowerTrans(x, n, 0, ldl, v),
      );
    });
  }

  const syrkShapes: [number, number][] = [
    [1, 1],
    [2, 1],
    [3, 7],
    [7, 3],
    [33, 130],
    [130, 33],
    [130, 300],
  ];
  for (const [n, k] of syrkShapes) {
    for (const [alpha, beta] of [
      [1, 0],
      [-1, 1],
      [0.5, -2],
    ]) {
      it(`syrkLower n=${n} k=${k} alpha=${alpha} beta=${beta}`, () => {
        const r = rng(n * 31 + k);
        const lda = n + 3;
        const ldc = n + 1;
        const c = lda * k;
        const input = randomArray(lda * k + ldc * n, r);
        if (beta === 0) for (let i = c; i < input.length; i += 7) input[i] = NaN; // must not leak
        check(
          input,
          (kk, b) => kk.syrkLower(n, k, alpha, b, lda, beta, b + c, ldc),
          (x) => refSyrkLower(x, n, k, alpha, 0, lda, beta, c, ldc),
        );
      });
    }
  }

  const gemmShapes: [number, number, number][] = [
    [1, 1, 1],
    [2, 3, 1],
    [3, 2, 7],
    [7, 7, 7],
    [33, 5, 130],
    [130, 33, 3],
    [131, 130, 140],
    [4, 4, 260],
  ];
  for (const [m, n, k] of gemmShapes) {
    for (const [alpha, beta] of [
      [1, 0],
      [-1, 1],
      [0.5, -2],
    ]) {
      it(`gemmNT m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}`, () => {
        const r = rng(m * 7 + n * 13 + k);
        const lda = m + 2;
        const ldb = n + 3;
        const ldc = m + 1;
        const b = lda * k;
        const c = b + ldb * k;
        const input = randomArray(c + ldc * n, r);
        if (beta === 0) for (let i = c; i < input.length; i += 5) input[i] = NaN;
        check(
          input,
          (kk, base) => kk.gemmNT(m, n, k, alpha, base, lda, base + b, ldb, beta, base + c, ldc),
          (x) => refGemmNT(x, m, n, k, alpha, 0, lda, b, ldb, beta, c, ldc),
        );
      });
    }
  }

  it('gemmNT with alpha = 0 only scales C', () => {
    const input = randomArray(3 * 4 * 3, rng(3));
    check(
      input,
      (k, b) => k.gemmNT(3, 4, 4, 0, b, 3, b + 12, 3, 2, b + 24, 3),
      (x) => {
        for (let i = 24; i < 36; i++) x[i] *= 2;
      },
    );
  });

  for (const n of SIZES) {
    it(`trtriLower n=${n}`, () => {
      const r = rng(500 + n);
      const lda = n + 2;
      const input = randomArray(lda * n, r);
      fillLower(input, n, 0, lda, r);
      check(
        input,
        (k, b) => k.trtriLower(n, b, lda),
        (x) => refTrtriLower(x, n, 0, lda),
      );
    });

    it(`sumLogDiag and dot n=${n}`, () => {
      const r = rng(900 + n);
      const lda = n + 4;
      const input = randomArray(lda * n + 2 * n, r);
      for (let j = 0; j < n; j++) input[j + j * lda] = 0.1 + Math.abs(input[j + j * lda]) * 10;
      check(
        input,
        (k, b) => k.sumLogDiag(n, b, lda),
        (x) => refSumLogDiag(x, n, 0, lda),
      );
      const y = lda * n;
      check(
        input,
        (k, b) => k.dot(n, b + y, b + y + n),
        (x) => refDot(x, n, y, y + n),
      );
    });
  }

  it('dot and sumLogDiag of length 0 are 0', () => {
    for (const { backend } of backends) {
      expect(backend.kernels.dot(0, 0, 0)).toBe(0);
      expect(backend.kernels.sumLogDiag(0, 0, 1)).toBe(0);
    }
  });

  it('potrf then trsv solves a linear system (pipeline sanity)', () => {
    const n = 97;
    const r = rng(42);
    const a = new Float64Array(n * n);
    fillSpd(a, n, 0, n, r);
    const xTrue = randomArray(n, r);
    const rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rhs[i] += a[i + j * n] * xTrue[j];
    for (const { label, backend } of backends) {
      const h = backend.heap;
      h.reset();
      const pa = h.allocF64(n * n);
      const px = h.allocF64(n);
      h.f64.set(a, pa);
      h.f64.set(rhs, px);
      expect(backend.kernels.potrf(n, pa, n)).toBe(0);
      backend.kernels.trsvLower(n, pa, n, px);
      backend.kernels.trsvLowerTrans(n, pa, n, px);
      expect(relErr(h.f64.subarray(px, px + n), xTrue), label).toBeLessThan(1e-10);
    }
  });
});
