/**
 * The GEE kernels on both backends against a dense computation written out here: for each
 * working correlation, Σ D_iᵀ R_i⁻¹ D_i, Σ D_iᵀ R_i⁻¹ r_i and Σ U_i U_iᵀ with R_i formed and
 * inverted explicitly (Gauss–Jordan), and the correlation moments over all pairs.
 */
import { describe, expect, test } from 'vitest';
import {
  CORSTR_AR1,
  CORSTR_EXCHANGEABLE,
  CORSTR_INDEPENDENCE,
  CORSTR_UNSTRUCTURED,
} from '../../assembly/geecodes';
import { FAMILY_POISSON, LINK_LOG } from '../../assembly/codes';
import { createBackend } from '../../src/backend/load';

function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((r) => r.slice(n));
}

// 4 clusters of sizes 1, 3, 4, 2 with waves (gaps allowed) out of W = 5
const sizes = [1, 3, 4, 2];
const waves = [[2], [1, 2, 4], [1, 3, 4, 5], [2, 5]];
const p = 2;
const W = 5;
const n = 10;
const x: number[] = [];
const y: number[] = [];
const w: number[] = [];
let seed = 7;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < n; i++) {
  x.push(1, rnd() * 2 - 1);
  y.push(Math.floor(rnd() * 6));
  w.push(0.5 + rnd());
}
const beta = [0.3, 0.4];
const phi = 1.7;
const start = [0, 1, 4, 8, 10];
const wave = waves.flat();
const rhoU = [0.3, 0.2, 0.1, 0.05, 0.35, 0.25, 0.15, 0.3, 0.2, 0.4]; // pairs 1:2, 1:3, ..., 4:5

function corr(corstr: number, ws: number[]): number[][] {
  return ws.map((a, j) =>
    ws.map((b, k) => {
      if (j === k) return 1;
      if (corstr === CORSTR_EXCHANGEABLE) return 0.35;
      if (corstr === CORSTR_AR1) return 0.6 ** Math.abs(a - b);
      if (corstr === CORSTR_UNSTRUCTURED) {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        return rhoU[((lo - 1) * (2 * W - lo)) / 2 + (hi - lo) - 1];
      }
      return 0;
    }),
  );
}

function dense(corstr: number) {
  const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const g = new Array<number>(p).fill(0);
  const meat = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let c = 0; c < sizes.length; c++) {
    const rows = Array.from({ length: sizes[c] }, (_, k) => start[c] + k);
    const D = rows.map((i) => {
      const eta = x[2 * i] * beta[0] + x[2 * i + 1] * beta[1];
      const mu = Math.exp(eta);
      const sc = Math.sqrt(w[i] / (phi * mu));
      return { d: [x[2 * i] * mu * sc, x[2 * i + 1] * mu * sc], r: (y[i] - mu) * sc };
    });
    const Ri = invert(corr(corstr, waves[c]));
    const u = new Array<number>(p).fill(0);
    for (let a = 0; a < p; a++)
      for (let j = 0; j < D.length; j++)
        for (let k = 0; k < D.length; k++) {
          for (let b = 0; b < p; b++) h[a][b] += D[j].d[a] * Ri[j][k] * D[k].d[b];
          u[a] += D[j].d[a] * Ri[j][k] * D[k].r;
        }
    for (let a = 0; a < p; a++) {
      g[a] += u[a];
      for (let b = 0; b < p; b++) meat[a][b] += u[a] * u[b];
    }
  }
  return { h, g, meat };
}

describe.each(['wasm', 'js'] as const)('GEE kernels (%s)', (name) => {
  const b = createBackend(name);
  const heap = b.heap;
  const at = {
    x: heap.allocF64(n * p),
    y: heap.allocF64(n),
    w: heap.allocF64(n),
    wave: heap.allocF64(n),
    beta: heap.allocF64(p),
    alpha: heap.allocF64(W * W),
    h: heap.allocF64(p * p),
    g: heap.allocF64(p),
    meat: heap.allocF64(p * p),
    scratch: heap.allocF64(4 * (p + 1) + 16 + p),
    pr: heap.allocF64(n),
    sums: heap.allocF64(3),
    ha: heap.allocF64(10),
    ga: heap.allocF64(10),
    start: heap.allocI32(5),
  };
  const f = heap.f64;
  f.set(x, at.x);
  f.set(y, at.y);
  f.set(w, at.w);
  f.set(wave, at.wave);
  f.set(beta, at.beta);
  heap.i32.set(start, at.start);

  /** geeCrossprod over the test data (meat: at.meat or -1). */
  const crossprod = (corstr: number, meat: number) =>
    b.kernels.geeCrossprod(
      FAMILY_POISSON,
      LINK_LOG,
      corstr,
      4,
      p,
      at.start,
      at.x,
      at.beta,
      -1,
      at.y,
      at.w,
      at.wave,
      phi,
      at.alpha,
      W,
      at.h,
      at.g,
      meat,
      at.scratch,
    );

  const setAlpha = (corstr: number) => {
    if (corstr === CORSTR_UNSTRUCTURED) {
      const R = corr(corstr, [1, 2, 3, 4, 5]);
      for (let a = 0; a < W; a++) for (let c = 0; c < W; c++) f[at.alpha + a + c * W] = R[a][c];
    } else f[at.alpha] = corstr === CORSTR_AR1 ? 0.6 : 0.35;
  };

  test.each([CORSTR_INDEPENDENCE, CORSTR_EXCHANGEABLE, CORSTR_AR1, CORSTR_UNSTRUCTURED])(
    'geeCrossprod, corstr %i',
    (corstr) => {
      setAlpha(corstr);
      const status = crossprod(corstr, at.meat);
      expect(status).toBe(0);
      const want = dense(corstr);
      for (let a = 0; a < p; a++) {
        expect(f[at.g + a]).toBeCloseTo(want.g[a], 12);
        for (let c = 0; c <= a; c++) {
          expect(f[at.h + a + c * p]).toBeCloseTo(want.h[a][c], 12);
          expect(f[at.meat + a + c * p]).toBeCloseTo(want.meat[a][c], 12);
        }
      }
    },
  );

  test('geeCrossprod reports the cluster whose working correlation is not positive definite', () => {
    f[at.alpha] = -0.6; // 1 + (s - 1)a < 0 for the cluster of size 3 (cluster index 1)
    const status = crossprod(CORSTR_EXCHANGEABLE, -1);
    expect(status).toBe(2);
  });

  test.each([CORSTR_EXCHANGEABLE, CORSTR_AR1, CORSTR_UNSTRUCTURED])(
    'geeAlphaMoments, corstr %i',
    (corstr) => {
      const bad = b.kernels.geeResiduals(
        FAMILY_POISSON,
        LINK_LOG,
        n,
        p,
        at.x,
        at.beta,
        -1,
        at.y,
        at.w,
        at.pr,
        at.sums,
      );
      expect(bad).toBe(0);
      setAlpha(corstr);
      b.kernels.geeAlphaMoments(
        corstr,
        4,
        at.start,
        at.pr,
        at.w,
        at.wave,
        phi,
        at.alpha,
        W,
        at.ha,
        at.ga,
      );
      const q = corstr === CORSTR_UNSTRUCTURED ? 10 : 1;
      const h = new Array<number>(q).fill(0);
      const g = new Array<number>(q).fill(0);
      for (let c = 0; c < 4; c++) {
        const R = corr(corstr, waves[c]);
        for (let j = 0; j < sizes[c]; j++)
          for (let k = j + 1; k < sizes[c]; k++) {
            const i = start[c] + j;
            const l = start[c] + k;
            const ww = w[i] * w[l];
            const z = (f[at.pr + i] * f[at.pr + l]) / phi;
            const d = Math.abs(waves[c][k] - waves[c][j]);
            const e = corstr === CORSTR_AR1 ? d * 0.6 ** (d - 1) : 1;
            const [lo, hi] = [waves[c][j], waves[c][k]];
            const m =
              corstr === CORSTR_UNSTRUCTURED ? ((lo - 1) * (2 * W - lo)) / 2 + (hi - lo) - 1 : 0;
            h[m] += ww * e * e;
            g[m] += ww * e * (z - R[j][k]);
          }
      }
      for (let m = 0; m < q; m++) {
        expect(f[at.ha + m]).toBeCloseTo(h[m], 12);
        expect(f[at.ga + m]).toBeCloseTo(g[m], 12);
      }
    },
  );
});
