/**
 * Pure-TypeScript block kernels of the mixed-model system; the reference for assembly/blocks.ts.
 * See BlockKernels in ../kernels.ts for the contract. Views are re-read on every call because
 * heap growth replaces them.
 */
import type { BlockKernels, Heap } from '../kernels';

export function makeJsBlockKernels(heap: Heap): BlockKernels {
  return {
    inflateDiagBlocks(nl, v, a, l, tm) {
      const f = heap.f64;
      const vv = v * v;
      for (let lev = 0; lev < nl; lev++) {
        const ab = a + lev * vv;
        const lb = l + lev * vv;
        // M = Tᵀ A T (A symmetric, full storage), then + I, then Cholesky in place.
        for (let j = 0; j < v; j++) {
          for (let i = j; i < v; i++) {
            let s = 0;
            for (let r = i; r < v; r++) {
              const tri = f[tm + r + i * v];
              if (tri === 0) continue;
              for (let c = j; c < v; c++) s += tri * f[ab + r + c * v] * f[tm + c + j * v];
            }
            f[lb + i + j * v] = s + (i === j ? 1 : 0);
          }
        }
        for (let j = 0; j < v; j++) {
          let d = f[lb + j + j * v];
          for (let k = 0; k < j; k++) d -= f[lb + j + k * v] ** 2;
          if (!(d > 0)) return lev + 1;
          d = Math.sqrt(d);
          f[lb + j + j * v] = d;
          for (let i = j + 1; i < v; i++) {
            let s = f[lb + i + j * v];
            for (let k = 0; k < j; k++) s -= f[lb + i + k * v] * f[lb + j + k * v];
            f[lb + i + j * v] = s / d;
          }
          for (let i = 0; i < j; i++) f[lb + i + j * v] = 0;
        }
      }
      return 0;
    },

    scaleTailRows(nl, v1, rowPtr, rowIdx, vals, rowT, rowStart, rowV) {
      const f = heap.f64;
      const ix = heap.i32;
      for (let lev = 0; lev < nl; lev++) {
        const r0 = ix[rowPtr + lev];
        const len = ix[rowPtr + lev + 1] - r0;
        const vb = vals + r0 * v1;
        for (let j = 0; j < len; j++) {
          const r = ix[rowIdx + r0 + j];
          const tOff = ix[rowT + r];
          if (tOff < 0 || ix[rowStart + r] !== r) continue;
          const v = ix[rowV + r];
          // Rows j..j+v-1 hold one level: new[c] = Σ_{c' ≥ c} T[c', c] · old[c'] (in place, c ascending).
          for (let col = 0; col < v1; col++) {
            const base = vb + j + col * len;
            for (let c = 0; c < v; c++) {
              let s = 0;
              for (let cc = c; cc < v; cc++) s += f[tOff + cc + c * v] * f[base + cc];
              f[base + c] = s;
            }
          }
        }
      }
    },

    rightScaleSolve(nl, v1, rowPtr, vals, tm, l11) {
      const f = heap.f64;
      const ix = heap.i32;
      const vv = v1 * v1;
      for (let lev = 0; lev < nl; lev++) {
        const r0 = ix[rowPtr + lev];
        const len = ix[rowPtr + lev + 1] - r0;
        const vb = vals + r0 * v1;
        const lb = l11 + lev * vv;
        for (let i = 0; i < len; i++) {
          // row := row · T (T lower: new[c] = Σ_{c' ≥ c} row[c'] T[c', c]), ascending c in place.
          for (let c = 0; c < v1; c++) {
            let s = 0;
            for (let cc = c; cc < v1; cc++) s += f[vb + i + cc * len] * f[tm + cc + c * v1];
            f[vb + i + c * len] = s;
          }
          // row := row · L^{-T}: solve L x = rowᵀ by forward substitution.
          for (let c = 0; c < v1; c++) {
            let s = f[vb + i + c * len];
            for (let k = 0; k < c; k++) s -= f[lb + c + k * v1] * f[vb + i + k * len];
            f[vb + i + c * len] = s / f[lb + c + c * v1];
          }
        }
      }
    },

    scaleInflateTail(t, m, rowT, rowStart, rowV) {
      const f = heap.f64;
      const ix = heap.i32;
      for (let r = 0; r < t; r++) {
        const tOff = ix[rowT + r];
        if (tOff < 0 || ix[rowStart + r] !== r) continue;
        const v = ix[rowV + r];
        // Rows r..r+v-1 := Tᵀ · rows, for every column.
        for (let col = 0; col < t; col++) {
          const base = m + col * t + r;
          for (let c = 0; c < v; c++) {
            let s = 0;
            for (let cc = c; cc < v; cc++) s += f[tOff + cc + c * v] * f[base + cc];
            f[base + c] = s;
          }
        }
        // Columns r..r+v-1 := columns · T, for every row.
        for (let c = 0; c < v; c++) {
          const dst = m + (r + c) * t;
          for (let cc = c; cc < v; cc++) {
            const tv = f[tOff + cc + c * v];
            const src = m + (r + cc) * t;
            if (cc === c) {
              for (let i = 0; i < t; i++) f[dst + i] *= tv;
            } else if (tv !== 0) {
              for (let i = 0; i < t; i++) f[dst + i] += tv * f[src + i];
            }
          }
        }
      }
      for (let r = 0; r < t; r++) if (ix[rowT + r] >= 0) f[m + r * (t + 1)] += 1;
    },

    sparseSyrkSub(nl, v1, rowPtr, rowIdx, vals, c, ldc) {
      const f = heap.f64;
      const ix = heap.i32;
      for (let lev = 0; lev < nl; lev++) {
        const r0 = ix[rowPtr + lev];
        const len = ix[rowPtr + lev + 1] - r0;
        const vb = vals + r0 * v1;
        for (let jj = 0; jj < len; jj++) {
          const col = c + ix[rowIdx + r0 + jj] * ldc;
          for (let ii = jj; ii < len; ii++) {
            let s = 0;
            for (let k = 0; k < v1; k++) s += f[vb + ii + k * len] * f[vb + jj + k * len];
            f[col + ix[rowIdx + r0 + ii]] -= s;
          }
        }
      }
    },

    sumLogDiagBlocks(nl, v, l) {
      const f = heap.f64;
      let s = 0;
      const n = nl * v * v;
      for (let b = 0; b < n; b += v * v)
        for (let j = 0; j < v; j++) s += Math.log(f[l + b + j * (v + 1)]);
      return s;
    },

    solveFirstBlock(nl, v1, rowPtr, rowIdx, l11, vals, x2, x1) {
      const f = heap.f64;
      const ix = heap.i32;
      const vv = v1 * v1;
      for (let lev = 0; lev < nl; lev++) {
        const r0 = ix[rowPtr + lev];
        const len = ix[rowPtr + lev + 1] - r0;
        const vb = vals + r0 * v1;
        const xb = x1 + lev * v1;
        for (let c = 0; c < v1; c++) {
          let s = f[vb + len - 1 + c * len];
          for (let j = 0; j < len - 1; j++) s -= f[vb + j + c * len] * f[x2 + ix[rowIdx + r0 + j]];
          f[xb + c] = s;
        }
        const lb = l11 + lev * vv;
        for (let c = v1 - 1; c >= 0; c--) {
          let s = f[xb + c];
          for (let k = c + 1; k < v1; k++) s -= f[lb + k + c * v1] * f[xb + k];
          f[xb + c] = s / f[lb + c + c * v1];
        }
      }
    },
  };
}
