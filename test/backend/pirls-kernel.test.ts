/**
 * The whole-system and PIRLS driver kernels: the AssemblyScript builds (SIMD and scalar) and
 * the TypeScript implementation give the same mode, β and penalised deviance from the same
 * state, in both PIRLS modes, for a crossed binomial model and a Poisson model with a
 * correlated random slope.
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/load';
import { buildModelFrame } from '../../src/frame/modelframe';
import { makeFamily } from '../../src/model/family';
import { GlmmModel } from '../../src/model/glmm';
import { initializeFromData, pirls } from '../../src/model/pirls';
import { logdetRe, setTheta } from '../../src/model/system';

/** Deterministic pseudo-random numbers in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function simulate(n: number) {
  const r = uniform(7);
  const g = Array.from({ length: n }, (_, i) => `g${i % 23}`);
  const h = Array.from({ length: n }, (_, i) => `h${(i * 7) % 11}`);
  const x = Array.from({ length: n }, () => r() * 2 - 1);
  const yb = x.map((xi, i) =>
    r() < 1 / (1 + Math.exp(-(0.3 + xi + ((i % 23) - 11) / 10))) ? 1 : 0,
  );
  const yc = x.map((xi, i) =>
    Math.floor(-Math.log(1 - r()) * Math.exp(0.5 + 0.4 * xi + ((i % 23) - 11) / 20) * 2),
  );
  return { g, h, x, yb, yc };
}

const backends = [
  ['wasm simd', () => createBackend('wasm', { simd: true })],
  ['wasm scalar', () => createBackend('wasm', { simd: false })],
  ['js', () => createBackend('js')],
] as const;

const models = [
  { formula: 'yb ~ x + (1 | g) + (1 | h)', family: 'binomial', theta: [0.8, 0.5] },
  { formula: 'yc ~ x + (1 + x | g)', family: 'poisson', theta: [0.6, 0.1, 0.3] },
];

describe('pirlsRun and the system kernels agree across backends', () => {
  const data = simulate(400);
  for (const model of models) {
    it(model.formula, () => {
      const results = backends.map(([, make]) => {
        const frame = buildModelFrame(model.formula, data);
        const m = new GlmmModel(frame, make(), makeFamily(model.family), {
          weights: null,
          offset: null,
        });
        initializeFromData(m.st);
        setTheta(m.st.sys, model.theta);
        setTheta(m.st.sysU, model.theta);
        const joint = pirls(m.st, true, true);
        const jointLogdet = logdetRe(m.st.factored);
        const beta = Float64Array.from(m.st.beta);
        m.st.beta = beta.map((b) => b + 0.05);
        const uOnly = pirls(m.st, false);
        return { joint, jointLogdet, beta, uOnly, uOnlyLogdet: logdetRe(m.st.factored), u: m.st.u };
      });
      const [ref, ...others] = results;
      expect(Number.isFinite(ref.joint) && Number.isFinite(ref.uOnly)).toBe(true);
      for (const r of others) {
        const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
        expect(rel(r.joint, ref.joint)).toBeLessThan(1e-10);
        expect(rel(r.uOnly, ref.uOnly)).toBeLessThan(1e-10);
        expect(rel(r.jointLogdet, ref.jointLogdet)).toBeLessThan(1e-9);
        expect(rel(r.uOnlyLogdet, ref.uOnlyLogdet)).toBeLessThan(1e-9);
        r.beta.forEach((b, j) => expect(rel(b, ref.beta[j])).toBeLessThan(1e-8));
        r.u.forEach((v, j) => expect(rel(v, ref.u[j])).toBeLessThan(1e-8));
      }
    });
  }
});

describe('groupSums agrees across backends', () => {
  it('with and without the squared extra term', () => {
    const r = uniform(3);
    const n = 257;
    const nGroups = 13;
    const values = Float64Array.from({ length: n }, () => r() * 4 - 2);
    const group = Int32Array.from({ length: n }, () => Math.floor(r() * nGroups));
    const extra = Float64Array.from({ length: nGroups }, () => r() - 0.5);
    const sums = backends.map(([, make]) => {
      const b = make();
      const v = b.heap.allocF64(n);
      const g = b.heap.allocI32(n);
      const e = b.heap.allocF64(nGroups);
      const out = b.heap.allocF64(nGroups);
      b.heap.f64.set(values, v);
      b.heap.i32.set(group, g);
      b.heap.f64.set(extra, e);
      b.kernels.groupSums(n, v, g, nGroups, out, e);
      const withExtra = Array.from(b.heap.f64.subarray(out, out + nGroups));
      b.kernels.groupSums(n, v, g, nGroups, out, -1);
      return [withExtra, Array.from(b.heap.f64.subarray(out, out + nGroups))];
    });
    const direct = Array.from({ length: nGroups }, (_, k) =>
      values.reduce((s, x, i) => (group[i] === k ? s + x : s), 0),
    );
    for (const [withExtra, plain] of sums) {
      plain.forEach((x, k) => expect(x).toBeCloseTo(direct[k], 12));
      withExtra.forEach((x, k) => expect(x).toBeCloseTo(direct[k] + extra[k] ** 2, 12));
    }
  });
});
