/**
 * Pure-TypeScript GEE kernels (contract: GeeKernels in ../kernels.ts): a line-by-line port of
 * assembly/gee.ts over the scalar link and variance functions of ./links and ./families.
 * Element offsets; an optional array passed as -1 is absent.
 */
import { FAMILY_BINOMIAL, FAMILY_GAMMA, FAMILY_POISSON } from '../../../assembly/codes';
import {
  CORSTR_AR1,
  CORSTR_EXCHANGEABLE,
  CORSTR_INDEPENDENCE,
  CORSTR_UNSTRUCTURED,
} from '../../../assembly/geecodes';
import type { GeeKernels, Heap } from '../kernels';
import { devResid1, variance1 } from './families';
import { linkinv1, muEta1 } from './links';

/** geepack's validmu: binomial 0 < μ < 1, poisson and Gamma μ > 0, and finite. */
function validMu(family: number, mu: number): boolean {
  if (!Number.isFinite(mu)) return false;
  if (family === FAMILY_BINOMIAL) return mu > 0 && mu < 1;
  if (family === FAMILY_POISSON || family === FAMILY_GAMMA) return mu > 0;
  return true;
}

function etaOf(f: Float64Array, i: number, p: number, x: number, beta: number, offset: number) {
  let s = offset < 0 ? 0.0 : f[offset + i];
  const xi = x + i * p;
  for (let j = 0; j < p; j++) s += f[xi + j] * f[beta + j];
  return s;
}

/** rows := L⁻¹ rows for the cluster's working correlation R = LLᵀ; false when R is not PD. */
function whiten(
  f: Float64Array,
  corstr: number,
  s: number,
  cols: number,
  rows: number,
  wave: number,
  r0: number,
  alpha: number,
  nWaves: number,
  chol: number,
): boolean {
  if (s < 2 || corstr === CORSTR_INDEPENDENCE) return true;
  if (corstr === CORSTR_EXCHANGEABLE) {
    // R = (1-a) I + a 11ᵀ: R^{-1/2} x = (x - x̄1)/√(1-a) + x̄1/√(1+(s-1)a)
    const a = f[alpha];
    const d1 = 1.0 - a;
    const d2 = 1.0 + (s - 1) * a;
    if (!(d1 > 0) || !(d2 > 0)) return false;
    const f1 = 1.0 / Math.sqrt(d1);
    const f2 = 1.0 / Math.sqrt(d2);
    for (let j = 0; j < cols; j++) {
      let m = 0.0;
      for (let k = 0; k < s; k++) m += f[rows + k * cols + j];
      m /= s;
      for (let k = 0; k < s; k++) {
        const v = f[rows + k * cols + j];
        f[rows + k * cols + j] = (v - m) * f1 + m * f2;
      }
    }
    return true;
  }
  if (corstr === CORSTR_AR1) {
    // R_jk = ρ^|t_j - t_k| is Markov in t: e_k = (x_k - ρ^(t_k - t_{k-1}) x_{k-1}) / √(1 - ρ^2Δ)
    const rho = f[alpha];
    for (let k = s - 1; k >= 1; k--) {
      const fk = Math.pow(rho, f[wave + r0 + k] - f[wave + r0 + k - 1]);
      const den = 1.0 - fk * fk;
      if (!(den > 0)) return false;
      const sd = 1.0 / Math.sqrt(den);
      for (let j = 0; j < cols; j++) {
        const v = f[rows + k * cols + j] - fk * f[rows + (k - 1) * cols + j];
        f[rows + k * cols + j] = v * sd;
      }
    }
    return true;
  }
  // unstructured: dense Cholesky of the s×s submatrix of the nWaves×nWaves matrix at alpha
  for (let k = 0; k < s; k++) {
    const wk = f[wave + r0 + k] - 1;
    for (let l = 0; l <= k; l++) {
      const wl = f[wave + r0 + l] - 1;
      f[chol + k + l * s] = f[alpha + wk + wl * nWaves];
    }
  }
  for (let j = 0; j < s; j++) {
    let d = f[chol + j + j * s];
    for (let l = 0; l < j; l++) d -= f[chol + j + l * s] * f[chol + j + l * s];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    f[chol + j + j * s] = d;
    for (let k = j + 1; k < s; k++) {
      let v = f[chol + k + j * s];
      for (let l = 0; l < j; l++) v -= f[chol + k + l * s] * f[chol + j + l * s];
      f[chol + k + j * s] = v / d;
    }
  }
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < s; k++) {
      let v = f[rows + k * cols + c];
      for (let l = 0; l < k; l++) v -= f[chol + k + l * s] * f[rows + l * cols + c];
      f[rows + k * cols + c] = v / f[chol + k + k * s];
    }
  }
  return true;
}

export function makeJsGeeKernels(heap: Heap): GeeKernels {
  return {
    geeResiduals(family, link, n, p, x, beta, offset, y, w, pr, sums) {
      const f = heap.f64;
      let bad = 0;
      let swr = 0.0;
      let sw = 0.0;
      let sr = 0.0;
      let dev = 0.0;
      for (let i = 0; i < n; i++) {
        const mu = linkinv1(link, etaOf(f, i, p, x, beta, offset));
        if (!validMu(family, mu)) bad++;
        const r = (f[y + i] - mu) / Math.sqrt(variance1(family, mu, 0.0));
        f[pr + i] = r;
        const wi = f[w + i];
        swr += wi * r * r;
        sw += wi;
        sr += r * r;
        dev += devResid1(family, f[y + i], mu, wi, 0.0);
      }
      f[sums] = swr;
      f[sums + 1] = sw;
      f[sums + 2] = sr;
      f[sums + 3] = dev;
      return bad;
    },

    geeCrossprod(
      family,
      link,
      corstr,
      nClusters,
      p,
      start,
      x,
      beta,
      offset,
      y,
      w,
      wave,
      phi,
      alpha,
      nWaves,
      h,
      g,
      meat,
      scratch,
    ) {
      const f = heap.f64;
      const i32 = heap.i32;
      const cols = p + 1;
      f.fill(0, h, h + p * p);
      f.fill(0, g, g + p);
      if (meat >= 0) f.fill(0, meat, meat + p * p);
      for (let c = 0; c < nClusters; c++) {
        const r0 = i32[start + c];
        const s = i32[start + c + 1] - r0;
        const rows = scratch;
        const chol = rows + s * cols;
        const u = chol + s * s;
        for (let k = 0; k < s; k++) {
          const i = r0 + k;
          const eta = etaOf(f, i, p, x, beta, offset);
          const mu = linkinv1(link, eta);
          const sc = Math.sqrt(f[w + i] / (phi * variance1(family, mu, 0.0)));
          const de = muEta1(link, eta) * sc;
          const xi = x + i * p;
          for (let j = 0; j < p; j++) f[rows + k * cols + j] = f[xi + j] * de;
          f[rows + k * cols + p] = (f[y + i] - mu) * sc;
        }
        if (!whiten(f, corstr, s, cols, rows, wave, r0, alpha, nWaves, chol)) return c + 1;
        for (let j = 0; j < p; j++) f[u + j] = 0.0;
        for (let k = 0; k < s; k++) {
          const rk = rows + k * cols;
          const res = f[rk + p];
          for (let j = 0; j < p; j++) {
            const dj = f[rk + j];
            f[u + j] += dj * res;
            for (let l = 0; l <= j; l++) f[h + j + l * p] += dj * f[rk + l];
          }
        }
        for (let j = 0; j < p; j++) {
          const uj = f[u + j];
          f[g + j] += uj;
          if (meat >= 0) for (let l = 0; l <= j; l++) f[meat + j + l * p] += uj * f[u + l];
        }
      }
      return 0;
    },

    geeAlphaMoments(corstr, nClusters, start, pr, w, wave, phi, alpha, nWaves, h, g) {
      const f = heap.f64;
      const i32 = heap.i32;
      const q = corstr === CORSTR_UNSTRUCTURED ? (nWaves * (nWaves - 1)) / 2 : 1;
      f.fill(0, h, h + q);
      f.fill(0, g, g + q);
      if (corstr === CORSTR_INDEPENDENCE) return;
      if (corstr === CORSTR_EXCHANGEABLE) {
        // Σ_{j<k} a_j a_k = ((Σ a)² - Σ a²) / 2: one pass per cluster instead of all pairs
        let hw = 0.0;
        let gz = 0.0;
        for (let c = 0; c < nClusters; c++) {
          const r0 = i32[start + c];
          const r1 = i32[start + c + 1];
          let sw = 0.0;
          let sw2 = 0.0;
          let swr = 0.0;
          let swr2 = 0.0;
          for (let i = r0; i < r1; i++) {
            const wi = f[w + i];
            const a = wi * f[pr + i];
            sw += wi;
            sw2 += wi * wi;
            swr += a;
            swr2 += a * a;
          }
          hw += 0.5 * (sw * sw - sw2);
          gz += 0.5 * (swr * swr - swr2);
        }
        f[h] = hw;
        f[g] = gz / phi - f[alpha] * hw;
        return;
      }
      if (corstr === CORSTR_AR1) {
        // O(s) chains per cluster instead of all pairs: see assembly/gee.ts
        const rho = f[alpha];
        const sig = rho * rho;
        let t1 = 0.0;
        let t2 = 0.0;
        let t3 = 0.0;
        for (let c = 0; c < nClusters; c++) {
          const r0 = i32[start + c];
          const r1 = i32[start + c + 1];
          let aA = 0.0;
          let aF = 0.0;
          let wA = 0.0;
          let wF = 0.0;
          let wQ = 0.0;
          for (let k = r0 + 1; k < r1; k++) {
            const gap = f[wave + k] - f[wave + k - 1];
            const wp = f[w + k - 1];
            const ap = wp * f[pr + k - 1];
            const rg = gap === 1 ? rho : Math.pow(rho, gap);
            const rg1 = gap === 1 ? 1.0 : Math.pow(rho, gap - 1.0);
            const sg = gap === 1 ? sig : Math.pow(sig, gap);
            const sg1 = gap === 1 ? 1.0 : Math.pow(sig, gap - 1.0);
            const aAf = aA + ap;
            aF = rg * aF + gap * rg1 * aAf;
            aA = rg * aAf;
            const wAf = wA + wp;
            wQ = sg * wQ + 2.0 * gap * sg * wF + gap * gap * sg1 * wAf;
            wF = sg * wF + gap * sg1 * wAf;
            wA = sg * wAf;
            const wk = f[w + k];
            t1 += wk * f[pr + k] * aF;
            t2 += wk * wF;
            t3 += wk * wQ;
          }
        }
        f[h] = t3;
        f[g] = t1 / phi - rho * t2;
        return;
      }
      for (let c = 0; c < nClusters; c++) {
        const r0 = i32[start + c];
        const r1 = i32[start + c + 1];
        for (let j = r0; j < r1 - 1; j++) {
          const wj = f[w + j];
          const zj = f[pr + j] / phi;
          const tj = f[wave + j];
          for (let k = j + 1; k < r1; k++) {
            const ww = wj * f[w + k];
            const z = zj * f[pr + k];
            const tk = f[wave + k];
            const m = ((tj - 1) * (2 * nWaves - tj)) / 2 + (tk - tj) - 1;
            f[h + m] += ww;
            f[g + m] += ww * (z - f[alpha + tj - 1 + (tk - 1) * nWaves]);
          }
        }
      }
    },
  };
}
