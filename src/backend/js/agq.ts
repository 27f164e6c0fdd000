/**
 * Pure-TypeScript twin of assembly/agq.ts (contract: AgqKernels in ../kernels.ts): the per-node
 * steps of adaptive Gauss–Hermite quadrature for vector random effects on one grouping factor.
 * Element offsets into the heap; nothing is allocated.
 */
import type { AgqKernels, Heap } from '../kernels';

export function makeJsAgqKernels(heap: Heap): AgqKernels {
  return {
    agqShiftModes(nGroups, v, u0, scale, z, u) {
      const f = heap.f64;
      const vv = v * v;
      for (let g = 0; g < nGroups; g++) {
        const base = g * v;
        const s = scale + g * vv;
        for (let r = 0; r < v; r++) {
          let x = f[u0 + base + r];
          for (let c = 0; c < v; c++) x += f[s + r + c * v] * f[z + c];
          f[u + base + r] = x;
        }
      }
    },
    agqGroupDeviance(n, values, group, nGroups, v, u, out) {
      const f = heap.f64;
      const gi = heap.i32;
      for (let g = 0; g < nGroups; g++) {
        let s = 0;
        for (let r = 0; r < v; r++) {
          const x = f[u + g * v + r];
          s += x * x;
        }
        f[out + g] = s;
      }
      for (let i = 0; i < n; i++) f[out + gi[group + i]] += f[values + i];
    },
    agqNodeAccumulate(nGroups, devc, devc0, logFactor, mult) {
      const f = heap.f64;
      for (let g = 0; g < nGroups; g++) {
        f[mult + g] += Math.exp(logFactor - 0.5 * (f[devc + g] - f[devc0 + g]));
      }
    },
  };
}
