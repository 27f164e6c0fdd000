import { readFileSync } from 'node:fs';
import asc from 'assemblyscript/asc';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlmmError } from '../../src/errors';
import { groupSums } from '../../src/backend/js/ghq';
import { GH_MAX_NODES, agqAccumulate, agqPenalty, ghRule, tqli } from '../../src/model/ghq';

/** (2j-1)!! = E[Z^(2j)] for Z ~ N(0, 1). */
function doubleFactorialOdd(j: number): number {
  let r = 1;
  for (let i = 2 * j - 1; i > 1; i -= 2) r *= i;
  return r;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

describe('ghRule', () => {
  it('k = 1 is the mean', () => {
    const r = ghRule(1);
    expect(Array.from(r.z)).toEqual([0]);
    expect(Array.from(r.w)).toEqual([1]);
  });

  it('k = 2 and k = 3 have the known nodes and weights', () => {
    const r2 = ghRule(2);
    expect(r2.z[0]).toBeCloseTo(-1, 15);
    expect(r2.z[1]).toBeCloseTo(1, 15);
    expect(r2.w[0]).toBeCloseTo(0.5, 15);
    const r3 = ghRule(3);
    expect(r3.z[1]).toBe(0);
    expect(r3.z[0]).toBeCloseTo(-Math.sqrt(3), 14);
    expect(r3.z[2]).toBeCloseTo(Math.sqrt(3), 14);
    expect(r3.w[1]).toBeCloseTo(2 / 3, 15);
    expect(r3.w[0]).toBeCloseTo(1 / 6, 15);
    expect(r3.w[2]).toBeCloseTo(1 / 6, 15);
  });

  it('k = 5 matches the closed form (lme4 GHrule(5))', () => {
    const r = ghRule(5);
    const zs = [
      -Math.sqrt(5 + Math.sqrt(10)),
      -Math.sqrt(5 - Math.sqrt(10)),
      0,
      Math.sqrt(5 - Math.sqrt(10)),
      Math.sqrt(5 + Math.sqrt(10)),
    ];
    const ws = [
      0.011257411327720691,
      0.22207592200561266,
      8 / 15,
      0.22207592200561266,
      0.011257411327720691,
    ];
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(r.z[i] - zs[i])).toBeLessThan(1e-14);
      expect(Math.abs(r.w[i] - ws[i]) / ws[i]).toBeLessThan(1e-13);
      expect(r.ldnorm[i]).toBeCloseTo(-0.5 * Math.log(2 * Math.PI) - 0.5 * zs[i] * zs[i], 13);
    }
  });

  it('weights sum to 1, nodes are ascending and symmetric, for every k', () => {
    for (let k = 1; k <= GH_MAX_NODES; k++) {
      const r = ghRule(k);
      expect(r.k).toBe(k);
      expect(Math.abs(sum(r.w) - 1)).toBeLessThan(1e-14);
      for (let i = 0; i < k; i++) {
        expect(r.z[i] + r.z[k - 1 - i]).toBe(0);
        expect(r.w[i]).toBeGreaterThan(0);
        expect(Number.isFinite(r.logw[i])).toBe(true);
        if (i > 0) expect(r.z[i]).toBeGreaterThan(r.z[i - 1]);
      }
    }
  });

  it('integrates even moments of N(0,1) exactly for k = 25', () => {
    const r = ghRule(25);
    for (let j = 0; j <= 12; j++) {
      let s = 0;
      for (let i = 0; i < r.k; i++) s += r.w[i] * r.z[i] ** (2 * j);
      expect(Math.abs(s / doubleFactorialOdd(j) - 1)).toBeLessThan(1e-10);
    }
  });

  it('integrates odd moments to 0 and moments up to degree 2k-1 for small k', () => {
    for (const k of [4, 7, 10]) {
      const r = ghRule(k);
      for (let deg = 0; deg <= 2 * k - 1; deg++) {
        let s = 0;
        let scale = 0; // sum of |terms|: the size of the rounding error
        for (let i = 0; i < k; i++) {
          s += r.w[i] * r.z[i] ** deg;
          scale += r.w[i] * Math.abs(r.z[i]) ** deg;
        }
        const exact = deg % 2 === 1 ? 0 : doubleFactorialOdd(deg / 2);
        expect(Math.abs(s - exact)).toBeLessThan(1e-13 * Math.max(1, scale));
      }
    }
  });

  it('k = 100: tail weights keep relative accuracy (log weights match the asymptotic form)', () => {
    const r = ghRule(100);
    // the largest node of the 100-point rule for exp(-x^2/2), sqrt(2) * 13.406487338144908
    expect(r.z[99]).toBeCloseTo(Math.SQRT2 * 13.406487338144908, 11);
    expect(r.w[99]).toBeGreaterThan(0);
    expect(r.logw[99]).toBeLessThan(-170);
    // exp(x) integrates to exp(1/2)
    let s = 0;
    for (let i = 0; i < 100; i++) s += r.w[i] * Math.exp(r.z[i]);
    expect(Math.abs(s / Math.exp(0.5) - 1)).toBeLessThan(1e-13);
  });

  it('Golub–Welsch eigenvector weights agree with the Christoffel weights', () => {
    const k = 20;
    const d = new Float64Array(k);
    const e = new Float64Array(k - 1).map((_, i) => Math.sqrt(i + 1));
    const z0 = new Float64Array(k);
    z0[0] = 1;
    expect(tqli(k, d, e, z0)).toBe(true);
    const order = Array.from(d.keys()).sort((a, b) => d[a] - d[b]);
    const r = ghRule(k);
    for (let i = 0; i < k; i++) {
      const j = order[i];
      expect(Math.abs(d[j] - r.z[i])).toBeLessThan(1e-12);
      expect(Math.abs(z0[j] * z0[j] - r.w[i])).toBeLessThan(1e-14);
    }
  });

  it('caches rules and rejects bad k', () => {
    expect(ghRule(9)).toBe(ghRule(9));
    expect(() => ghRule(0)).toThrow(GlmmError);
    expect(() => ghRule(101)).toThrow(/1 to 100/);
    expect(() => ghRule(2.5)).toThrow(GlmmError);
  });
});

describe('AGQ sums', () => {
  /** Per-level "deviances" quadratic in z: devc_k - devc0 = a_g z_k^2; the exact AGQ sum is 1/sqrt(a_g). */
  const a = new Float64Array([1, 1.3, 0.8, 2]);
  const nG = a.length;

  function tsPenalty(k: number): number {
    const r = ghRule(k);
    const devc0 = new Float64Array(nG).fill(5);
    const mult = new Float64Array(nG);
    const devc = new Float64Array(nG);
    for (let j = 0; j < k; j++) {
      for (let g = 0; g < nG; g++) devc[g] = devc0[g] + a[g] * r.z[j] * r.z[j];
      agqAccumulate(nG, devc, devc0, r.logFactor[j], mult);
    }
    return agqPenalty(nG, mult);
  }

  it('integrates a Gaussian-shaped conditional density exactly in the limit', () => {
    let exact = 0;
    for (const v of a) exact += Math.log(v);
    expect(Math.abs(tsPenalty(25) - exact)).toBeLessThan(1e-8);
    expect(Math.abs(tsPenalty(100) - exact)).toBeLessThan(1e-12);
    // a = 1 (first level) is exact for any k: the integrand is constant
    const r = ghRule(3);
    const mult = new Float64Array(1);
    for (let j = 0; j < 3; j++) {
      agqAccumulate(
        1,
        new Float64Array([r.z[j] ** 2]),
        new Float64Array([0]),
        r.logFactor[j],
        mult,
      );
    }
    expect(Math.abs(mult[0] - 1)).toBeLessThan(1e-15);
  });

  it('groupSums adds the values per level plus u^2', () => {
    const out = new Float64Array(3);
    groupSums(
      5,
      new Float64Array([1, 2, 3, 4, 5]),
      new Int32Array([0, 2, 0, 1, 2]),
      3,
      out,
      new Float64Array([1, 0, 2]),
    );
    expect(Array.from(out)).toEqual([5, 4, 11]);
    groupSums(2, new Float64Array([1, 2]), new Int32Array([1, 1]), 3, out, null);
    expect(Array.from(out)).toEqual([0, 3, 0]);
  });

  describe('assembly/ghq.ts kernels', () => {
    interface GhqExports {
      memory: WebAssembly.Memory;
      groupSums(n: number, v: number, g: number, nG: number, out: number, extra: number): void;
      agqAccumulate(nG: number, devc: number, devc0: number, logFactor: number, mult: number): void;
      agqPenalty(nG: number, mult: number): number;
    }
    let wasm: GhqExports;
    let base = 0;

    beforeAll(async () => {
      const source = readFileSync(new URL('../../assembly/ghq.ts', import.meta.url), 'utf8');
      const result = await asc.compileString(
        { 'ghq.ts': source },
        { runtime: 'minimal', noAssert: true, optimizeLevel: 3 },
      );
      if (result.error || result.binary === null) {
        throw new Error(`asc failed: ${result.stderr.toString()}`);
      }
      const { instance } = await WebAssembly.instantiate(new Uint8Array(result.binary), {
        env: {
          abort: () => {
            throw new Error('abort');
          },
        },
      });
      wasm = instance.exports as unknown as GhqExports;
      base = wasm.memory.buffer.byteLength;
      wasm.memory.grow(1);
    }, 60_000);

    it('agree with the TS versions', () => {
      const n = 7;
      const vals = new Float64Array(wasm.memory.buffer, base, n);
      const grp = new Int32Array(wasm.memory.buffer, base + 64, n);
      const extra = new Float64Array(wasm.memory.buffer, base + 128, 3);
      const out = new Float64Array(wasm.memory.buffer, base + 160, 3);
      vals.set([0.5, 1.5, 2, 3, 4.25, 1, 7]);
      grp.set([2, 0, 1, 1, 0, 2, 2]);
      extra.set([0.3, -1.2, 2]);
      wasm.groupSums(n, base, base + 64, 3, base + 160, base + 128);
      const ref = new Float64Array(3);
      groupSums(n, vals, grp, 3, ref, extra);
      expect(Array.from(out)).toEqual(Array.from(ref));

      const r = ghRule(15);
      const devc0 = new Float64Array(wasm.memory.buffer, base + 192, nG);
      const devc = new Float64Array(wasm.memory.buffer, base + 256, nG);
      const mult = new Float64Array(wasm.memory.buffer, base + 320, nG);
      const multTs = new Float64Array(nG);
      devc0.fill(3);
      mult.fill(0);
      for (let j = 0; j < r.k; j++) {
        for (let g = 0; g < nG; g++) devc[g] = devc0[g] + a[g] * r.z[j] * r.z[j];
        wasm.agqAccumulate(nG, base + 256, base + 192, r.logFactor[j], base + 320);
        agqAccumulate(nG, devc, devc0, r.logFactor[j], multTs);
      }
      for (let g = 0; g < nG; g++) {
        expect(Math.abs(mult[g] - multTs[g])).toBeLessThan(1e-14 * multTs[g]);
      }
      expect(Math.abs(wasm.agqPenalty(nG, base + 320) - agqPenalty(nG, multTs))).toBeLessThan(
        1e-13,
      );
    });
  });
});
