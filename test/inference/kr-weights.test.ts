/**
 * Kenward–Roger with prior weights against a brute-force dense n×n computation of pbkrtest's
 * vcovAdj_internal formulas (this test builds V, M = V⁻¹ and every Gᵢ as n×n arrays; the library
 * never does), with V = σ²(W⁻¹ + ZΛΛᵀZᵀ) and the σ² parameter's G = W⁻¹. pbkrtest itself uses
 * G = I there (it ignores the weights), so its numbers for this fit are recorded beside ours
 * (test/fixtures/inference/kr/sleepstudy_weights_pbkrtest.json) and differ, as the README says.
 * Tolerances: vcovAdj, P and W 1e-8 relative to their largest entries, KR df 1e-8 relative
 * (the fit's vcov against (XᵀV⁻¹X)⁻¹ of this V: 1e-6, the optimizer's tolerance).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { kenwardRoger, krTest, type KenwardRoger } from '../../src/inference/kenwardroger';
import { symmetricEigen } from '../../src/math/eigen';
import { backends, fixturesDir, loadCsv } from '../helpers/fixtures';

type M = number[][];
const zeros = (r: number, c: number): M => Array.from({ length: r }, () => new Array(c).fill(0));
const mul = (a: M, b: M): M => {
  const o = zeros(a.length, b[0].length);
  for (let i = 0; i < a.length; i++)
    for (let k = 0; k < b.length; k++) {
      const x = a[i][k];
      if (x !== 0) for (let j = 0; j < b[0].length; j++) o[i][j] += x * b[k][j];
    }
  return o;
};
const t = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const trProd = (a: M, b: M): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) s += a[i][j] * b[j][i];
  return s;
};
/** R's sum(a * b). */
const elementSum = (a: M, b: M): number =>
  a.reduce((s, r, i) => s + r.reduce((u, v, j) => u + v * b[i][j], 0), 0);

/** Gauss–Jordan inverse with partial pivoting (scale-free: IE's entries are ~1e-8 here). */
function inverse(a: M): M {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...r.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c || m[r][c] === 0) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((r) => r.slice(n));
}

/**
 * pbkrtest's inverse of IE: solve() when min |eigenvalue| > 1e-10, else MASS::ginv (eigenvalues
 * below √ε · the largest dropped). IE's entries are ~1e-8 here, so this is the ginv branch, and
 * one direction of IE is dropped for the weighted fit.
 */
function pbkrtestInverse(a: M): M {
  const { values, vectors } = symmetricEigen(a);
  const abs = values.map(Math.abs);
  if (Math.min(...abs) > 1e-10) return inverse(a);
  const tol = Math.sqrt(2.220446049250313e-16) * Math.max(...abs);
  const o = zeros(a.length, a.length);
  values.forEach((v, k) => {
    if (!(Math.abs(v) > tol)) return;
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < a.length; j++) o[i][j] += (vectors[i][k] * vectors[j][k]) / v;
  });
  return o;
}

/** pbkrtest's vcovAdj_internal on dense matrices, with the given G list. */
function bruteForce(X: M, G: M[], Phi: M, sigmaG: M): { vcovAdj: M; P: M[]; W: M } {
  const Minv = inverse(sigmaG);
  const TT = mul(Minv, X);
  const H = G.map((g) => mul(g, Minv));
  const O = H.map((h) => mul(h, X));
  const ng = G.length;
  const P = O.map((o) => mul(t(o), TT).map((r) => r.map((v) => -v)));
  const Q = O.map((oi) => O.map((oj) => mul(mul(t(oi), Minv), oj)));
  const IE = zeros(ng, ng);
  for (let i = 0; i < ng; i++)
    for (let j = 0; j < ng; j++)
      IE[i][j] =
        trProd(H[i], H[j]) -
        2 * elementSum(Phi, Q[i][j]) +
        elementSum(mul(Phi, P[i]), mul(P[j], Phi));
  const W = pbkrtestInverse(IE).map((r) => r.map((v) => 2 * v));
  const p = Phi.length;
  const U = zeros(p, p);
  for (let i = 0; i < ng; i++)
    for (let j = 0; j < ng; j++) {
      const pp = mul(mul(P[i], Phi), P[j]);
      for (let k = 0; k < p; k++)
        for (let l = 0; l < p; l++) U[k][l] += W[i][j] * (Q[i][j][k][l] - pp[k][l]);
    }
  const G2 = mul(mul(Phi, U), Phi);
  return { vcovAdj: Phi.map((r, k) => r.map((v, l) => v + 2 * G2[k][l])), P, W };
}

function expectClose(a: M, b: M, tol: number, label: string): void {
  const scale = Math.max(...b.flat().map(Math.abs));
  a.forEach((r, i) =>
    r.forEach((v, j) =>
      expect(Math.abs(v - b[i][j]) / scale, `${label}[${i}][${j}]`).toBeLessThan(tol),
    ),
  );
}

describe.each(backends)('Kenward-Roger with prior weights (%s)', (backend) => {
  const data = loadCsv('weights/data/sleepstudy_weights.csv');
  const cols = data as unknown as Record<string, unknown[]>;
  const fit = lmerSync('Reaction ~ Days + (Days | Subject)', data, { weights: 'w', backend });
  const rows = (cols.Reaction as number[]).length;
  const days = cols.Days as number[];
  const subj = (cols.Subject as (string | number)[]).map(String);
  const w = cols.w as number[];
  const X: M = days.map((d) => [1, d]);
  const z = (k: number): number[] => [1, days[k]];
  const [t0, t1, t2] = fit.theta; // T = [[t0, 0], [t1, t2]]
  const s2 = fit.sigma ** 2;
  const D = [
    [t0 * t0, t0 * t1],
    [t0 * t1, t1 * t1 + t2 * t2],
  ];
  // G for (int,int), (Days,int), (Days,Days), then σ²: W⁻¹
  const pairs: [number, number][] = [
    [0, 0],
    [1, 0],
    [1, 1],
  ];
  const G: M[] = pairs.map(([r, c]) => {
    const g = zeros(rows, rows);
    for (let k = 0; k < rows; k++)
      for (let l = 0; l < rows; l++) {
        if (subj[k] !== subj[l]) continue;
        g[k][l] = r === c ? z(k)[r] * z(l)[r] : z(k)[r] * z(l)[c] + z(k)[c] * z(l)[r];
      }
    return g;
  });
  const Winv = zeros(rows, rows);
  for (let k = 0; k < rows; k++) Winv[k][k] = 1 / w[k];
  G.push(Winv);
  const V = zeros(rows, rows);
  for (let k = 0; k < rows; k++)
    for (let l = 0; l < rows; l++) {
      let s = k === l ? 1 / w[k] : 0;
      if (subj[k] === subj[l])
        for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) s += z(k)[a] * D[a][b] * z(l)[b];
      V[k][l] = s2 * s;
    }
  const Phi = inverse(mul(mul(t(X), inverse(V)), X));
  // pbkrtest takes Φ = vcov(fit) (checked above against this V)
  const brute = bruteForce(X, G, fit.vcov, V);

  it("the fit's vcov is (Xᵀ V⁻¹ X)⁻¹ of this V", () => {
    expectClose(fit.vcov, Phi, 1e-6, 'vcov');
  });
  for (const path of ['dense', 'sparse'] as const) {
    it(`${path} path = the dense n×n computation with G_σ² = W⁻¹`, () => {
      const ours = kenwardRoger(fit, path);
      const theirs: KenwardRoger = {
        ...ours,
        vcov: Phi,
        vcovAdj: brute.vcovAdj,
        P: brute.P,
        W: brute.W,
      };
      expectClose(ours.vcovAdj, brute.vcovAdj, 1e-8, 'vcovAdj');
      expectClose(ours.W, brute.W, 1e-8, 'W');
      ours.P.forEach((P, i) => expectClose(P, brute.P[i], 1e-8, `P${i}`));
      for (const L of [
        [[1, 0]],
        [[0, 1]],
        [
          [1, 0],
          [0, 1],
        ],
      ]) {
        const a = krTest(L, ours).denDF;
        const b = krTest(L, theirs).denDF;
        expect(Math.abs(a - b) / b, `df ${JSON.stringify(L)}`).toBeLessThan(1e-8);
      }
    });
  }
  it("differs from pbkrtest's (which takes G_σ² = I)", () => {
    const pb = JSON.parse(
      readFileSync(join(fixturesDir, 'inference/kr/sleepstudy_weights_pbkrtest.json'), 'utf8'),
    ) as { kr: { df: number }[] };
    const ours = kenwardRoger(fit);
    const dfs = [[[1, 0]], [[0, 1]]].map((L) => krTest(L, ours).denDF);
    console.log(
      `weighted sleepstudy KR df: ours ${dfs.map((d) => d.toFixed(4))}, pbkrtest ${pb.kr.map((r) => r.df.toFixed(4))}`,
    );
    dfs.forEach((d, j) => expect(Math.abs(d - pb.kr[j].df) / pb.kr[j].df).toBeGreaterThan(1e-3));
  });
});
