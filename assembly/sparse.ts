// Numeric factorization and solve of the sparse system (port of src/backend/js/sparse.ts, which
// documents the scheme; layout in src/model/layout.ts, fields in ./descriptor). `sd` is the
// system descriptor's BYTE address; never allocates.

import {
  SYS_A22,
  SYS_A_PANELS,
  SYS_D0,
  SYS_DENSE_SCHUR,
  SYS_L22,
  SYS_L_PANELS,
  SYS_NODE_ROW,
  SYS_NODE_V,
  SYS_NSPARSE,
  SYS_PANEL_ROWS,
  SYS_QT,
  SYS_ROW_PTR,
  SYS_ROW_START,
  SYS_ROW_T,
  SYS_ROW_V,
  SYS_SCRATCH_I32,
  SYS_T,
  SYS_TAIL_FROM,
  SYS_UPD_COL,
  SYS_UPD_POS,
  SYS_UPD_PTR,
  SYS_VAL_PTR,
  SYS_XSOL,
} from './descriptor';
import { syrkLower, trsmRightLowerTrans, trsvLowerTrans } from './blas';
import { potrf, sumLogDiag } from './chol';
import { f64At, field, i32At, ld, ldi, st, sti } from './mem';

@inline function at(p: usize, i: i32): usize {
  return p + ((<usize>i) << 3);
}

/** M := Tᵀ M on v consecutive rows (from m, ncol columns, ld); tp: T's byte address. */
function leftScaleRows(tp: usize, v: i32, m: usize, ncol: i32, ldm: i32): void {
  if (v == 1) {
    const tv = ld(tp, 0);
    for (let col = 0; col < ncol; col++) st(m, col * ldm, tv * ld(m, col * ldm));
    return;
  }
  for (let col = 0; col < ncol; col++) {
    const base = at(m, col * ldm);
    for (let c = 0; c < v; c++) {
      let s = 0.0;
      for (let cc = c; cc < v; cc++) s += ld(tp, cc + c * v) * ld(base, cc);
      st(base, c, s);
    }
  }
}

/** M := M T on v consecutive columns (nrow rows from m, ld). */
function rightScaleCols(tp: usize, v: i32, m: usize, nrow: i32, ldm: i32): void {
  for (let c = 0; c < v; c++) {
    const dst = at(m, c * ldm);
    for (let cc = c; cc < v; cc++) {
      const tv = ld(tp, cc + c * v);
      if (cc == c) {
        for (let i = 0; i < nrow; i++) st(dst, i, ld(dst, i) * tv);
      } else if (tv != 0) {
        const src = at(m, cc * ldm);
        for (let i = 0; i < nrow; i++) st(dst, i, ld(dst, i) + tv * ld(src, i));
      }
    }
  }
}

export function sparseFactor(sd: usize): i32 {
  const nSparse = field(sd, SYS_NSPARSE);
  const nodeV = i32At(sd, SYS_NODE_V);
  const nodeRow = i32At(sd, SYS_NODE_ROW);
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const panelRows = i32At(sd, SYS_PANEL_ROWS);
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const updPtr = i32At(sd, SYS_UPD_PTR);
  const updCol = i32At(sd, SYS_UPD_COL);
  const updPos = i32At(sd, SYS_UPD_POS);
  const rowT = i32At(sd, SYS_ROW_T);
  const rowStart = i32At(sd, SYS_ROW_START);
  const rowV = i32At(sd, SYS_ROW_V);
  const A = f64At(sd, SYS_A_PANELS);
  const L = f64At(sd, SYS_L_PANELS);
  const map = i32At(sd, SYS_SCRATCH_I32);
  const d0 = field(sd, SYS_D0);
  const t = field(sd, SYS_T);

  for (let j = 0; j < nSparse; j++) {
    const v = ldi(nodeV, j);
    const r0 = ldi(rowPtr, j);
    const m = v + ldi(rowPtr, j + 1) - r0;
    const P = at(L, ldi(valPtr, j));
    const rows = panelRows + ((<usize>r0) << 2); // rows[lr - v]: global row of local row lr
    memory.copy(P, at(A, ldi(valPtr, j)), (<usize>(m * v)) << 3);
    const own = ldi(nodeRow, j);
    const tj = (<usize>ldi(rowT, own)) << 3;
    leftScaleRows(tj, v, P, v, m);
    for (let lr = v; lr < m; lr++) {
      const r = ldi(rows, lr - v);
      const tOff = ldi(rowT, r);
      if (tOff >= 0 && ldi(rowStart, r) == r) {
        leftScaleRows((<usize>tOff) << 3, ldi(rowV, r), at(P, lr), v, m);
      }
    }
    rightScaleCols(tj, v, P, m, m);
    for (let c = 0; c < v; c++) st(P, c + c * m, ld(P, c + c * m) + 1.0);
    const u0 = ldi(updPtr, j);
    const u1 = ldi(updPtr, j + 1);
    if (u1 > u0) {
      for (let c = 0; c < v; c++) sti(map, own + c, c);
      for (let lr = v; lr < m; lr++) sti(map, ldi(rows, lr - v), lr);
      for (let u = u0; u < u1; u++) {
        const k = ldi(updCol, u);
        const pos = ldi(updPos, u);
        const vk = ldi(nodeV, k);
        const rk = ldi(rowPtr, k);
        const mk = vk + ldi(rowPtr, k + 1) - rk;
        const Pk = at(L, ldi(valPtr, k));
        const rowsK = panelRows + ((<usize>rk) << 2);
        for (let c = 0; c < v; c++) {
          const col = at(P, c * m);
          if (vk == 1) {
            const ljc = ld(Pk, pos + c);
            for (let rr = pos; rr < mk; rr++) {
              const dst = at(col, ldi(map, ldi(rowsK, rr - vk)));
              store<f64>(dst, load<f64>(dst) - ld(Pk, rr) * ljc);
            }
            continue;
          }
          for (let rr = pos; rr < mk; rr++) {
            let s = 0.0;
            for (let kk = 0; kk < vk; kk++) s += ld(Pk, rr + kk * mk) * ld(Pk, pos + c + kk * mk);
            const dst = at(col, ldi(map, ldi(rowsK, rr - vk)));
            store<f64>(dst, load<f64>(dst) - s);
          }
        }
      }
    }
    if (potrf(v, P, m) != 0) return j + 1;
    trsmRightLowerTrans(m - v, v, P, m, at(P, v), m);
  }

  const A22 = f64At(sd, SYS_A22);
  const L22 = f64At(sd, SYS_L22);
  memory.copy(L22, A22, (<usize>t * <usize>t) << 3);
  for (let r = d0; r < d0 + t; r++) {
    const tOff = ldi(rowT, r);
    if (tOff < 0 || ldi(rowStart, r) != r) continue;
    const v = ldi(rowV, r);
    const tp = (<usize>tOff) << 3;
    leftScaleRows(tp, v, at(L22, r - d0), t, t);
    rightScaleCols(tp, v, at(L22, (r - d0) * t), t, t);
  }
  for (let r = d0; r < d0 + t; r++) {
    if (ldi(rowT, r) >= 0) st(L22, (r - d0) * (t + 1), ld(L22, (r - d0) * (t + 1)) + 1.0);
  }
  if (field(sd, SYS_DENSE_SCHUR) != 0) {
    const v = ldi(nodeV, 0);
    syrkLower(t, nSparse * v, -1.0, at(L, v), v + t, 1.0, L22, t);
  } else {
    const tailFrom = i32At(sd, SYS_TAIL_FROM);
    for (let j = 0; j < nSparse; j++) {
      const v = ldi(nodeV, j);
      const r0 = ldi(rowPtr, j);
      const m = v + ldi(rowPtr, j + 1) - r0;
      const P = at(L, ldi(valPtr, j));
      const rows = panelRows + ((<usize>r0) << 2);
      const tf = ldi(tailFrom, j);
      for (let jj = tf; jj < m; jj++) {
        const col = at(L22, (ldi(rows, jj - v) - d0) * t - d0);
        if (v == 1) {
          const xj = ld(P, jj);
          if (xj == 0) continue;
          for (let ii = jj; ii < m; ii++) {
            const dst = at(col, ldi(rows, ii - v));
            store<f64>(dst, load<f64>(dst) - ld(P, ii) * xj);
          }
          continue;
        }
        for (let ii = jj; ii < m; ii++) {
          let s = 0.0;
          for (let c = 0; c < v; c++) s += ld(P, ii + c * m) * ld(P, jj + c * m);
          const dst = at(col, ldi(rows, ii - v));
          store<f64>(dst, load<f64>(dst) - s);
        }
      }
    }
  }
  return potrf(t, L22, t);
}

export function sparseSolve(sd: usize, fixedBeta: i32): void {
  const t = field(sd, SYS_T);
  const qt = field(sd, SYS_QT);
  const d0 = field(sd, SYS_D0);
  const L22 = f64At(sd, SYS_L22);
  const x = f64At(sd, SYS_XSOL);
  const x2 = at(x, d0);
  for (let j = 0; j < t - 1; j++) {
    st(x2, j, fixedBeta != 0 && j >= qt ? 0.0 : ld(L22, t - 1 + j * t));
  }
  trsvLowerTrans(fixedBeta != 0 ? qt : t - 1, L22, t, x2);
  const nSparse = field(sd, SYS_NSPARSE);
  const nodeV = i32At(sd, SYS_NODE_V);
  const nodeRow = i32At(sd, SYS_NODE_ROW);
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const panelRows = i32At(sd, SYS_PANEL_ROWS);
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const L = f64At(sd, SYS_L_PANELS);
  for (let j = nSparse - 1; j >= 0; j--) {
    const v = ldi(nodeV, j);
    const r0 = ldi(rowPtr, j);
    const m = v + ldi(rowPtr, j + 1) - r0;
    const P = at(L, ldi(valPtr, j));
    const rows = panelRows + ((<usize>r0) << 2);
    const xj = at(x, ldi(nodeRow, j));
    for (let c = 0; c < v; c++) {
      const col = at(P, c * m);
      let s = ld(col, m - 1);
      for (let lr = v; lr < m - 1; lr++) s -= ld(col, lr) * ld(x, ldi(rows, lr - v));
      st(xj, c, s);
    }
    for (let c = v - 1; c >= 0; c--) {
      let s = ld(xj, c);
      for (let kk = c + 1; kk < v; kk++) s -= ld(P, kk + c * m) * ld(xj, kk);
      st(xj, c, s / ld(P, c + c * m));
    }
  }
}

export function sparseLogdetRe(sd: usize): f64 {
  const nSparse = field(sd, SYS_NSPARSE);
  const nodeV = i32At(sd, SYS_NODE_V);
  const rowPtr = i32At(sd, SYS_ROW_PTR);
  const valPtr = i32At(sd, SYS_VAL_PTR);
  const L = f64At(sd, SYS_L_PANELS);
  let s = 0.0;
  for (let j = 0; j < nSparse; j++) {
    const v = ldi(nodeV, j);
    const m = v + ldi(rowPtr, j + 1) - ldi(rowPtr, j);
    const P = at(L, ldi(valPtr, j));
    for (let c = 0; c < v; c++) s += Math.log(ld(P, c + c * m));
  }
  return s + sumLogDiag(field(sd, SYS_QT), f64At(sd, SYS_L22), field(sd, SYS_T));
}
