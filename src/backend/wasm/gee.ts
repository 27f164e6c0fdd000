import type { GeeKernels } from '../kernels';
import type { WasmExports } from './exports';

/** An optional f64 offset (-1 = none) as a byte pointer (0 = none; byte 0 is never heap). */
const optionalPtr = (off: number): number => (off < 0 ? 0 : off * 8);

/** The GEE kernels over the WASM exports (element offsets → byte pointers). */
export function createWasmGeeKernels(ex: WasmExports): GeeKernels {
  return {
    geeResiduals: (family, link, n, p, x, beta, offset, y, w, pr, sums) =>
      ex.geeResiduals(
        family,
        link,
        n,
        p,
        x * 8,
        beta * 8,
        optionalPtr(offset),
        y * 8,
        w * 8,
        pr * 8,
        sums * 8,
      ),
    geeCrossprod: (
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
    ) =>
      ex.geeCrossprod(
        family,
        link,
        corstr,
        nClusters,
        p,
        start * 4,
        x * 8,
        beta * 8,
        optionalPtr(offset),
        y * 8,
        w * 8,
        wave * 8,
        phi,
        alpha * 8,
        nWaves,
        h * 8,
        g * 8,
        optionalPtr(meat),
        scratch * 8,
      ),
    geeAlphaMoments: (corstr, nClusters, start, pr, w, wave, phi, alpha, nWaves, h, g) =>
      ex.geeAlphaMoments(
        corstr,
        nClusters,
        start * 4,
        pr * 8,
        w * 8,
        wave * 8,
        phi,
        alpha * 8,
        nWaves,
        h * 8,
        g * 8,
      ),
  };
}
