// GEE kernels (GeeKernels in src/backend/kernels.ts): the n-row passes of geepack's Fisher
// scoring for a marginal model, cluster by cluster. Rows are sorted by cluster (and by wave
// within a cluster); cluster c holds rows start[c] .. start[c+1]-1. Byte pointers; an optional
// array is 0 when absent. Ported line by line to src/backend/js/gee.ts. Never allocates: the
// per-cluster working rows live in the caller's scratch.

import { FAMILY_BINOMIAL, FAMILY_GAMMA, FAMILY_POISSON } from './codes';
import {
  CORSTR_AR1,
  CORSTR_EXCHANGEABLE,
  CORSTR_INDEPENDENCE,
  CORSTR_UNSTRUCTURED,
} from './geecodes';
import { devResid1, linkinv1, muEta1, variance1 } from './glm';
import { ld, ldi, st } from './mem';

/** geepack's validmu: binomial 0 < μ < 1, poisson and Gamma μ > 0, and finite. */
@inline function validMu(family: i32, mu: f64): bool {
  if (!isFinite(mu)) return false;
  if (family == FAMILY_BINOMIAL) return mu > 0.0 && mu < 1.0;
  if (family == FAMILY_POISSON || family == FAMILY_GAMMA) return mu > 0.0;
  return true;
}

/** η_i = offset_i + x_i·β for row-major x. */
@inline function etaOf(i: i32, p: i32, x: usize, beta: usize, offset: usize): f64 {
  let s = offset == 0 ? 0.0 : ld(offset, i);
  const xi = x + (<usize>(i * p) << 3);
  for (let j = 0; j < p; j++) s += ld(xi, j) * ld(beta, j);
  return s;
}

/**
 * Pearson residuals pr_i := (y_i - μ_i)/√V(μ_i) at η = offset + Xβ, and sums[0] := Σ w pr²,
 * sums[1] := Σ w, sums[2] := Σ pr², sums[3] := the deviance Σ dev.resids(y, μ, w). Returns the number of rows whose μ is not valid for the
 * family (geepack halves the step until it is 0).
 */
export function geeResiduals(
  family: i32,
  link: i32,
  n: i32,
  p: i32,
  x: usize,
  beta: usize,
  offset: usize,
  y: usize,
  w: usize,
  pr: usize,
  sums: usize,
): i32 {
  let bad = 0;
  let swr = 0.0;
  let sw = 0.0;
  let sr = 0.0;
  let dev = 0.0;
  for (let i = 0; i < n; i++) {
    const mu = linkinv1(link, etaOf(i, p, x, beta, offset));
    if (!validMu(family, mu)) bad++;
    const r = (ld(y, i) - mu) / Math.sqrt(variance1(family, mu, 0.0));
    st(pr, i, r);
    const wi = ld(w, i);
    swr += wi * r * r;
    sw += wi;
    sr += r * r;
    dev += devResid1(family, ld(y, i), mu, wi, 0.0);
  }
  st(sums, 0, swr);
  st(sums, 1, sw);
  st(sums, 2, sr);
  st(sums, 3, dev);
  return bad;
}

/**
 * Whitens the s working rows of one cluster in place: rows := L⁻¹ rows with R = L Lᵀ the
 * working correlation of the cluster (cols columns, row-major with leading dimension ld).
 * Returns false when R is not positive definite.
 */
function whiten(
  corstr: i32,
  s: i32,
  cols: i32,
  rows: usize,
  rowLd: i32,
  wave: usize,
  r0: i32,
  alpha: usize,
  nWaves: i32,
  chol: usize,
): bool {
  if (s < 2 || corstr == CORSTR_INDEPENDENCE) return true;
  if (corstr == CORSTR_EXCHANGEABLE) {
    // R = (1-a) I + a 11ᵀ: R^{-1/2} x = (x - x̄1)/√(1-a) + x̄1/√(1+(s-1)a)
    const a = ld(alpha, 0);
    const d1 = 1.0 - a;
    const d2 = 1.0 + <f64>(s - 1) * a;
    if (!(d1 > 0.0) || !(d2 > 0.0)) return false;
    const f1 = 1.0 / Math.sqrt(d1);
    const f2 = 1.0 / Math.sqrt(d2);
    for (let j = 0; j < cols; j++) {
      let m = 0.0;
      for (let k = 0; k < s; k++) m += ld(rows, k * rowLd + j);
      m /= <f64>s;
      for (let k = 0; k < s; k++) {
        const v = ld(rows, k * rowLd + j);
        st(rows, k * rowLd + j, (v - m) * f1 + m * f2);
      }
    }
    return true;
  }
  if (corstr == CORSTR_AR1) {
    // R_jk = ρ^|t_j - t_k| is Markov in t: e_k = (x_k - ρ^(t_k - t_{k-1}) x_{k-1}) / √(1 - ρ^2Δ)
    const rho = ld(alpha, 0);
    for (let k = s - 1; k >= 1; k--) {
      const f = Math.pow(rho, ld(wave, r0 + k) - ld(wave, r0 + k - 1));
      const den = 1.0 - f * f;
      if (!(den > 0.0)) return false;
      const sd = 1.0 / Math.sqrt(den);
      for (let j = 0; j < cols; j++) {
        const v = ld(rows, k * rowLd + j) - f * ld(rows, (k - 1) * rowLd + j);
        st(rows, k * rowLd + j, v * sd);
      }
    }
    return true;
  }
  // unstructured: dense Cholesky of the s×s submatrix of the nWaves×nWaves matrix at alpha
  for (let k = 0; k < s; k++) {
    const wk = <i32>ld(wave, r0 + k) - 1;
    for (let l = 0; l <= k; l++) {
      const wl = <i32>ld(wave, r0 + l) - 1;
      st(chol, k + l * s, ld(alpha, wk + wl * nWaves));
    }
  }
  for (let j = 0; j < s; j++) {
    let d = ld(chol, j + j * s);
    for (let l = 0; l < j; l++) d -= ld(chol, j + l * s) * ld(chol, j + l * s);
    if (!(d > 0.0)) return false;
    d = Math.sqrt(d);
    st(chol, j + j * s, d);
    for (let k = j + 1; k < s; k++) {
      let v = ld(chol, k + j * s);
      for (let l = 0; l < j; l++) v -= ld(chol, k + l * s) * ld(chol, j + l * s);
      st(chol, k + j * s, v / d);
    }
  }
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < s; k++) {
      let v = ld(rows, k * rowLd + c);
      for (let l = 0; l < k; l++) v -= ld(chol, k + l * s) * ld(rows, l * rowLd + c);
      st(rows, k * rowLd + c, v / ld(chol, k + k * s));
    }
  }
  return true;
}

/**
 * The beta equation's sums over clusters, as geepack's update_beta / gee_var: with
 * D_i = diag(√(w/(φV)) dμ/dη) X_i, r_i = √(w/(φV)) (y - μ) and R_i the working correlation,
 * h := Σ D_iᵀ R_i⁻¹ D_i (lower triangle, p×p column-major), g := Σ D_iᵀ R_i⁻¹ r_i and, unless
 * meat is 0, meat := Σ U_i U_iᵀ with U_i = D_iᵀ R_i⁻¹ r_i (the sandwich's middle; lower
 * triangle). alpha: ρ at alpha[0] (exchangeable, ar1) or the nWaves×nWaves correlation matrix
 * (unstructured, column-major); wave: 1-based wave of each row (f64). scratch: maxS·(p+1) +
 * maxS² + p doubles. Returns 0, or c+1 when the working correlation of cluster c is not
 * positive definite.
 */
export function geeCrossprod(
  family: i32,
  link: i32,
  corstr: i32,
  nClusters: i32,
  p: i32,
  start: usize,
  x: usize,
  beta: usize,
  offset: usize,
  y: usize,
  w: usize,
  wave: usize,
  phi: f64,
  alpha: usize,
  nWaves: i32,
  h: usize,
  g: usize,
  meat: usize,
  scratch: usize,
): i32 {
  const cols = p + 1; // the D row, then r
  for (let j = 0; j < p * p; j++) st(h, j, 0.0);
  for (let j = 0; j < p; j++) st(g, j, 0.0);
  if (meat != 0) for (let j = 0; j < p * p; j++) st(meat, j, 0.0);
  for (let c = 0; c < nClusters; c++) {
    const r0 = ldi(start, c);
    const s = ldi(start, c + 1) - r0;
    const rows = scratch;
    const chol = rows + (<usize>(s * cols) << 3);
    const u = chol + (<usize>(s * s) << 3);
    for (let k = 0; k < s; k++) {
      const i = r0 + k;
      const eta = etaOf(i, p, x, beta, offset);
      const mu = linkinv1(link, eta);
      const sc = Math.sqrt(ld(w, i) / (phi * variance1(family, mu, 0.0)));
      const de = muEta1(link, eta) * sc;
      const xi = x + (<usize>(i * p) << 3);
      for (let j = 0; j < p; j++) st(rows, k * cols + j, ld(xi, j) * de);
      st(rows, k * cols + p, (ld(y, i) - mu) * sc);
    }
    if (!whiten(corstr, s, cols, rows, cols, wave, r0, alpha, nWaves, chol)) return c + 1;
    for (let j = 0; j < p; j++) st(u, j, 0.0);
    for (let k = 0; k < s; k++) {
      const rk = rows + (<usize>(k * cols) << 3);
      const res = ld(rk, p);
      for (let j = 0; j < p; j++) {
        const dj = ld(rk, j);
        st(u, j, ld(u, j) + dj * res);
        const hj = h + (<usize>j << 3);
        for (let l = 0; l <= j; l++) {
          const at = l * p;
          st(hj, at, ld(hj, at) + dj * ld(rk, l));
        }
      }
    }
    for (let j = 0; j < p; j++) {
      const uj = ld(u, j);
      st(g, j, ld(g, j) + uj);
      if (meat != 0) {
        for (let l = 0; l <= j; l++) st(meat, j + l * p, ld(meat, j + l * p) + uj * ld(u, l));
      }
    }
  }
  return 0;
}

/**
 * The correlation equation's sums, as geepack's update_alpha (identity correlation link,
 * independence working structure for the pairwise products, weights w_j w_k): over the pairs
 * j < k of each cluster, with z_jk = pr_j pr_k / φ, E_jk = dρ_jk/dα and ρ_jk the current
 * working correlation, h := Σ w_j w_k E_jk² and g := Σ w_j w_k E_jk (z_jk - ρ_jk), one value
 * per correlation parameter (their information matrix is diagonal for every structure here):
 * q = 1 for exchangeable and ar1, nWaves(nWaves-1)/2 for unstructured (pairs of waves in
 * geepack's order 1:2, 1:3, ..., 2:3, ...; waves ascend within a cluster). alpha as in
 * geeCrossprod.
 */
export function geeAlphaMoments(
  corstr: i32,
  nClusters: i32,
  start: usize,
  pr: usize,
  w: usize,
  wave: usize,
  phi: f64,
  alpha: usize,
  nWaves: i32,
  h: usize,
  g: usize,
): void {
  const q = corstr == CORSTR_UNSTRUCTURED ? (nWaves * (nWaves - 1)) / 2 : 1;
  for (let m = 0; m < q; m++) {
    st(h, m, 0.0);
    st(g, m, 0.0);
  }
  if (corstr == CORSTR_INDEPENDENCE) return;
  if (corstr == CORSTR_EXCHANGEABLE) {
    // Σ_{j<k} a_j a_k = ((Σ a)² - Σ a²) / 2: one pass per cluster instead of all pairs
    let hw = 0.0;
    let gz = 0.0;
    for (let c = 0; c < nClusters; c++) {
      const r0 = ldi(start, c);
      const r1 = ldi(start, c + 1);
      let sw = 0.0;
      let sw2 = 0.0;
      let swr = 0.0;
      let swr2 = 0.0;
      for (let i = r0; i < r1; i++) {
        const wi = ld(w, i);
        const a = wi * ld(pr, i);
        sw += wi;
        sw2 += wi * wi;
        swr += a;
        swr2 += a * a;
      }
      hw += 0.5 * (sw * sw - sw2);
      gz += 0.5 * (swr * swr - swr2);
    }
    st(h, 0, hw);
    st(g, 0, gz / phi - ld(alpha, 0) * hw);
    return;
  }
  if (corstr == CORSTR_AR1) {
    // Over the pairs j < k of a cluster (lag d = t_k - t_j, E = d ρ^(d-1), a = w·pr):
    // T1 = Σ a_j a_k E, T2 = Σ w_j w_k E ρ^d = ρ Σ w w d σ^(d-1) and T3 = Σ w w E² =
    // Σ w w d² σ^(d-1), with σ = ρ². Each is a running sum over k of chains
    // A = Σ_{j<k} f_j b^d, F = Σ f_j d b^(d-1), Q = Σ f_j d² b^(d-1) that move to the next
    // row by the gap g alone, so a cluster of s rows costs O(s), not O(s²):
    // A' = b^g (A + f), F' = b^g F + g b^(g-1) (A + f), Q' = b^g Q + 2g b^g F + g² b^(g-1) (A + f).
    const rho = ld(alpha, 0);
    const sig = rho * rho;
    let t1 = 0.0;
    let t2 = 0.0;
    let t3 = 0.0;
    for (let c = 0; c < nClusters; c++) {
      const r0 = ldi(start, c);
      const r1 = ldi(start, c + 1);
      let aA = 0.0; // chains in ρ over a
      let aF = 0.0;
      let wA = 0.0; // chains in σ over w
      let wF = 0.0;
      let wQ = 0.0;
      for (let k = r0 + 1; k < r1; k++) {
        const gap = ld(wave, k) - ld(wave, k - 1);
        const wp = ld(w, k - 1);
        const ap = wp * ld(pr, k - 1);
        const rg = gap == 1.0 ? rho : Math.pow(rho, gap);
        const rg1 = gap == 1.0 ? 1.0 : Math.pow(rho, gap - 1.0);
        const sg = gap == 1.0 ? sig : Math.pow(sig, gap);
        const sg1 = gap == 1.0 ? 1.0 : Math.pow(sig, gap - 1.0);
        const aAf = aA + ap;
        aF = rg * aF + gap * rg1 * aAf;
        aA = rg * aAf;
        const wAf = wA + wp;
        wQ = sg * wQ + 2.0 * gap * sg * wF + gap * gap * sg1 * wAf;
        wF = sg * wF + gap * sg1 * wAf;
        wA = sg * wAf;
        const wk = ld(w, k);
        t1 += wk * ld(pr, k) * aF;
        t2 += wk * wF;
        t3 += wk * wQ;
      }
    }
    st(h, 0, t3);
    st(g, 0, t1 / phi - rho * t2);
    return;
  }
  for (let c = 0; c < nClusters; c++) {
    const r0 = ldi(start, c);
    const r1 = ldi(start, c + 1);
    for (let j = r0; j < r1 - 1; j++) {
      const wj = ld(w, j);
      const zj = ld(pr, j) / phi;
      const tj = ld(wave, j);
      for (let k = j + 1; k < r1; k++) {
        const ww = wj * ld(w, k);
        const z = zj * ld(pr, k);
        const tk = ld(wave, k);
        const a = <i32>tj;
        const b = <i32>tk;
        const m = ((a - 1) * (2 * nWaves - a)) / 2 + (b - a) - 1;
        st(h, m, ld(h, m) + ww);
        st(g, m, ld(g, m) + ww * (z - ld(alpha, a - 1 + (b - 1) * nWaves)));
      }
    }
  }
}
