/**
 * The per-node kernels of vector adaptive quadrature (AgqKernels: assembly/agq.ts and
 * src/backend/js/agq.ts) against direct computations on small inputs, on both backends.
 */
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/load';
import { backends } from '../helpers/fixtures';

for (const name of backends) {
  describe(`AgqKernels (${name})`, () => {
    const be = createBackend(name);
    const h = be.heap;
    const k = be.kernels;
    const nGroups = 3;
    const v = 2;
    const u0 = h.allocF64(nGroups * v);
    const scale = h.allocF64(nGroups * v * v);
    const z = h.allocF64(v);
    const u = h.allocF64(nGroups * v);
    const n = 7;
    const values = h.allocF64(n);
    const group = h.allocI32(n);
    const out = h.allocF64(nGroups);
    const devc0 = h.allocF64(nGroups);
    const mult = h.allocF64(nGroups);
    const U0 = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
    // per group an upper triangular S = L⁻ᵀ, column-major
    const S = [
      [0.5, 0, 0.1, 0.7],
      [1.2, 0, -0.3, 0.9],
      [0.8, 0, 0.25, 0.4],
    ];
    const Z = [1.5, -0.75];

    it('agqShiftModes: u_g = u0_g + S_g z', () => {
      let f = h.f64;
      f.set(U0, u0);
      S.forEach((s, g) => f.set(s, scale + g * 4));
      f.set(Z, z);
      k.agqShiftModes(nGroups, v, u0, scale, z, u);
      f = h.f64;
      for (let g = 0; g < nGroups; g++) {
        const s = S[g];
        const e0 = U0[2 * g] + s[0] * Z[0] + s[2] * Z[1];
        const e1 = U0[2 * g + 1] + s[1] * Z[0] + s[3] * Z[1];
        expect(f[u + 2 * g]).toBeCloseTo(e0, 15);
        expect(f[u + 2 * g + 1]).toBeCloseTo(e1, 15);
      }
    });

    it('agqGroupDeviance: per-group sums plus |u_g|²', () => {
      const vals = [0.5, 1.5, 2, 0.25, 3, 1, 0.125];
      const grp = [2, 0, 0, 1, 2, 1, 0];
      let f = h.f64;
      f.set(vals, values);
      h.i32.set(grp, group);
      f.set(U0, u);
      k.agqGroupDeviance(n, values, group, nGroups, v, u, out);
      f = h.f64;
      for (let g = 0; g < nGroups; g++) {
        let e = U0[2 * g] ** 2 + U0[2 * g + 1] ** 2;
        grp.forEach((gi, i) => (e += gi === g ? vals[i] : 0));
        expect(f[out + g]).toBeCloseTo(e, 14);
      }
    });

    it('agqNodeAccumulate: mult += exp(logFactor - (devc - devc0) / 2)', () => {
      let f = h.f64;
      f.set([3, 4, 5], out);
      f.set([2.5, 4.5, 1], devc0);
      f.set([1, 0, 0.5], mult);
      k.agqNodeAccumulate(nGroups, out, devc0, -0.3, mult);
      f = h.f64;
      const expected = [1 + Math.exp(-0.3 - 0.25), Math.exp(-0.3 + 0.25), 0.5 + Math.exp(-2.3)];
      expected.forEach((e, g) => expect(Math.abs(f[mult + g] - e)).toBeLessThan(1e-15));
    });
  });
}
