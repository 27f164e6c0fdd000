// Block kernels of the mixed-model system (port of src/backend/js/blocks.ts; contract in
// src/backend/kernels.ts, BlockKernels). f64 pointers are byte addresses; i32 arrays likewise.
// Entries of rowT are f64 ELEMENT offsets of T matrices (as the host stores them), -1 for none.

import { ld, st, ldi } from './mem';

export function inflateDiagBlocks(nl: i32, v: i32, a: usize, l: usize, tm: usize): i32 {
  const vv = v * v;
  if (v == 1) {
    const t = ld(tm, 0);
    const tt = t * t;
    for (let lev = 0; lev < nl; lev++) {
      const d = tt * ld(a, lev) + 1.0;
      if (!(d > 0)) return lev + 1;
      st(l, lev, Math.sqrt(d));
    }
    return 0;
  }
  for (let lev = 0; lev < nl; lev++) {
    const ab = a + ((<usize>(lev * vv)) << 3);
    const lb = l + ((<usize>(lev * vv)) << 3);
    for (let j = 0; j < v; j++) {
      for (let i = j; i < v; i++) {
        let s = 0.0;
        for (let r = i; r < v; r++) {
          const tri = ld(tm, r + i * v);
          if (tri == 0) continue;
          for (let c = j; c < v; c++) s += tri * ld(ab, r + c * v) * ld(tm, c + j * v);
        }
        st(lb, i + j * v, s + (i == j ? 1.0 : 0.0));
      }
    }
    for (let j = 0; j < v; j++) {
      let d = ld(lb, j + j * v);
      for (let k = 0; k < j; k++) {
        const x = ld(lb, j + k * v);
        d -= x * x;
      }
      if (!(d > 0)) return lev + 1;
      d = Math.sqrt(d);
      st(lb, j + j * v, d);
      for (let i = j + 1; i < v; i++) {
        let s = ld(lb, i + j * v);
        for (let k = 0; k < j; k++) s -= ld(lb, i + k * v) * ld(lb, j + k * v);
        st(lb, i + j * v, s / d);
      }
      for (let i = 0; i < j; i++) st(lb, i + j * v, 0);
    }
  }
  return 0;
}

export function scaleTailRows(
  nl: i32,
  v1: i32,
  rowPtr: usize,
  rowIdx: usize,
  vals: usize,
  rowT: usize,
  rowStart: usize,
  rowV: usize,
): void {
  for (let lev = 0; lev < nl; lev++) {
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    const vb = vals + ((<usize>(r0 * v1)) << 3);
    for (let j = 0; j < len; j++) {
      const r = ldi(rowIdx, r0 + j);
      const tOff = ldi(rowT, r);
      if (tOff < 0 || ldi(rowStart, r) != r) continue;
      const v = ldi(rowV, r);
      const tp = (<usize>tOff) << 3;
      if (v == 1) {
        const t = ld(tp, 0);
        for (let col = 0; col < v1; col++) {
          const k = j + col * len;
          st(vb, k, t * ld(vb, k));
        }
        continue;
      }
      for (let col = 0; col < v1; col++) {
        const base = j + col * len;
        for (let c = 0; c < v; c++) {
          let s = 0.0;
          for (let cc = c; cc < v; cc++) s += ld(tp, cc + c * v) * ld(vb, base + cc);
          st(vb, base + c, s);
        }
      }
    }
  }
}

export function rightScaleSolve(
  nl: i32,
  v1: i32,
  rowPtr: usize,
  vals: usize,
  tm: usize,
  l11: usize,
): void {
  const vv = v1 * v1;
  for (let lev = 0; lev < nl; lev++) {
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    const vb = vals + ((<usize>(r0 * v1)) << 3);
    const lb = l11 + ((<usize>(lev * vv)) << 3);
    if (v1 == 1) {
      const f = ld(tm, 0) / ld(lb, 0);
      for (let i = 0; i < len; i++) st(vb, i, ld(vb, i) * f);
      continue;
    }
    for (let i = 0; i < len; i++) {
      for (let c = 0; c < v1; c++) {
        let s = 0.0;
        for (let cc = c; cc < v1; cc++) s += ld(vb, i + cc * len) * ld(tm, cc + c * v1);
        st(vb, i + c * len, s);
      }
      for (let c = 0; c < v1; c++) {
        let s = ld(vb, i + c * len);
        for (let k = 0; k < c; k++) s -= ld(lb, c + k * v1) * ld(vb, i + k * len);
        st(vb, i + c * len, s / ld(lb, c + c * v1));
      }
    }
  }
}

export function scaleInflateTail(
  t: i32,
  m: usize,
  rowT: usize,
  rowStart: usize,
  rowV: usize,
): void {
  for (let r = 0; r < t; r++) {
    const tOff = ldi(rowT, r);
    if (tOff < 0 || ldi(rowStart, r) != r) continue;
    const v = ldi(rowV, r);
    const tp = (<usize>tOff) << 3;
    if (v == 1) {
      const tv = ld(tp, 0);
      for (let col = 0; col < t; col++) {
        const k = col * t + r;
        st(m, k, tv * ld(m, k));
      }
      const dst = m + ((<usize>(r * t)) << 3);
      for (let i = 0; i < t; i++) st(dst, i, tv * ld(dst, i));
      continue;
    }
    for (let col = 0; col < t; col++) {
      const base = col * t + r;
      for (let c = 0; c < v; c++) {
        let s = 0.0;
        for (let cc = c; cc < v; cc++) s += ld(tp, cc + c * v) * ld(m, base + cc);
        st(m, base + c, s);
      }
    }
    for (let c = 0; c < v; c++) {
      const dst = m + ((<usize>((r + c) * t)) << 3);
      for (let cc = c; cc < v; cc++) {
        const tv = ld(tp, cc + c * v);
        const src = m + ((<usize>((r + cc) * t)) << 3);
        if (cc == c) {
          for (let i = 0; i < t; i++) st(dst, i, ld(dst, i) * tv);
        } else if (tv != 0) {
          for (let i = 0; i < t; i++) st(dst, i, ld(dst, i) + tv * ld(src, i));
        }
      }
    }
  }
  for (let r = 0; r < t; r++) {
    if (ldi(rowT, r) >= 0) st(m, r * (t + 1), ld(m, r * (t + 1)) + 1.0);
  }
}

export function sparseSyrkSub(
  nl: i32,
  v1: i32,
  rowPtr: usize,
  rowIdx: usize,
  vals: usize,
  c: usize,
  ldc: i32,
): void {
  for (let lev = 0; lev < nl; lev++) {
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    const vb = vals + ((<usize>(r0 * v1)) << 3);
    const ri = rowIdx + ((<usize>r0) << 2);
    if (v1 == 1) {
      for (let jj = 0; jj < len; jj++) {
        const col = c + ((<usize>(ldi(ri, jj) * ldc)) << 3);
        const xj = ld(vb, jj);
        if (xj == 0) continue;
        for (let ii = jj; ii < len; ii++) {
          const dst = col + ((<usize>ldi(ri, ii)) << 3);
          store<f64>(dst, load<f64>(dst) - xj * ld(vb, ii));
        }
      }
      continue;
    }
    for (let jj = 0; jj < len; jj++) {
      const col = c + ((<usize>(ldi(ri, jj) * ldc)) << 3);
      for (let ii = jj; ii < len; ii++) {
        let s = 0.0;
        for (let k = 0; k < v1; k++) s += ld(vb, ii + k * len) * ld(vb, jj + k * len);
        const dst = col + ((<usize>ldi(ri, ii)) << 3);
        store<f64>(dst, load<f64>(dst) - s);
      }
    }
  }
}

export function sumLogDiagBlocks(nl: i32, v: i32, l: usize): f64 {
  let s = 0.0;
  const vv = v * v;
  for (let b = 0; b < nl; b++) {
    for (let j = 0; j < v; j++) s += Math.log(ld(l, b * vv + j * (v + 1)));
  }
  return s;
}

export function solveFirstBlock(
  nl: i32,
  v1: i32,
  rowPtr: usize,
  rowIdx: usize,
  l11: usize,
  vals: usize,
  x2: usize,
  x1: usize,
): void {
  const vv = v1 * v1;
  for (let lev = 0; lev < nl; lev++) {
    const r0 = ldi(rowPtr, lev);
    const len = ldi(rowPtr, lev + 1) - r0;
    const vb = vals + ((<usize>(r0 * v1)) << 3);
    const xb = x1 + ((<usize>(lev * v1)) << 3);
    for (let c = 0; c < v1; c++) {
      let s = ld(vb, len - 1 + c * len);
      for (let j = 0; j < len - 1; j++) s -= ld(vb, j + c * len) * ld(x2, ldi(rowIdx, r0 + j));
      st(xb, c, s);
    }
    const lb = l11 + ((<usize>(lev * vv)) << 3);
    for (let c = v1 - 1; c >= 0; c--) {
      let s = ld(xb, c);
      for (let k = c + 1; k < v1; k++) s -= ld(lb, k + c * v1) * ld(xb, k);
      st(xb, c, s / ld(lb, c + c * v1));
    }
  }
}
