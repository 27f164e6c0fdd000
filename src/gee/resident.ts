/**
 * The data of one GEE fit resident in kernel memory (copied once, in cluster order), with the
 * three kernel passes as methods that return small host arrays. Every buffer is allocated here,
 * before any iteration.
 */
import type { Backend } from '../backend/kernels';
import { FAMILY_GAUSSIAN, LINK_IDENTITY } from '../../assembly/codes';
import { CORSTR_INDEPENDENCE, CORSTR_UNSTRUCTURED } from '../../assembly/geecodes';
import type { ClusterLayout } from './clusters';

/** What the resident model is built from (already in cluster order). */
export interface GeeData {
  /** Row-major n×p model matrix. */
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  offset: Float64Array | null;
  p: number;
  familyCode: number;
  linkCode: number;
  corstrCode: number;
  layout: ClusterLayout;
}

export interface ResidualSums {
  /** Rows whose μ is invalid for the family. */
  bad: number;
  /** Σ w pr². */
  swr: number;
  /** Σ w. */
  sw: number;
  /** Σ pr². */
  sr: number;
  /** The deviance. */
  dev: number;
}

export class GeeResident {
  readonly n: number;
  readonly p: number;
  readonly q: number;
  readonly nClusters: number;
  private readonly at: Record<
    | 'x'
    | 'y'
    | 'w'
    | 'off'
    | 'wave'
    | 'beta'
    | 'pr'
    | 'tmp'
    | 'sums'
    | 'h'
    | 'g'
    | 'meat'
    | 'scratch',
    number
  > & { start: number; alpha: number; ha: number; ga: number };

  constructor(
    readonly backend: Backend,
    readonly d: GeeData,
  ) {
    const { layout, p } = d;
    const heap = backend.heap;
    this.n = d.y.length;
    this.p = p;
    this.nClusters = layout.start.length - 1;
    const W = layout.nWaves;
    this.q = d.corstrCode === CORSTR_UNSTRUCTURED ? (W * (W - 1)) / 2 : 1;
    const s = layout.maxSize;
    heap.reset();
    const at = {
      x: heap.allocF64(this.n * p),
      y: heap.allocF64(this.n),
      w: heap.allocF64(this.n),
      off: d.offset ? heap.allocF64(this.n) : -1,
      wave: heap.allocF64(this.n),
      beta: heap.allocF64(p),
      pr: heap.allocF64(this.n),
      tmp: heap.allocF64(this.n),
      sums: heap.allocF64(4),
      h: heap.allocF64(p * p),
      g: heap.allocF64(p),
      meat: heap.allocF64(p * p),
      scratch: heap.allocF64(s * (p + 1) + s * s + p),
      alpha: heap.allocF64(Math.max(1, W * W)),
      ha: heap.allocF64(this.q),
      ga: heap.allocF64(this.q),
      start: heap.allocI32(this.nClusters + 1),
    };
    this.at = at;
    const f = heap.f64;
    f.set(d.x, at.x);
    f.set(d.y, at.y);
    f.set(d.w, at.w);
    if (d.offset) f.set(d.offset, at.off);
    f.set(layout.wave, at.wave);
    heap.i32.set(layout.start, at.start);
  }

  private setBeta(beta: ArrayLike<number>): void {
    this.backend.heap.f64.set(beta, this.at.beta);
  }

  /** Sets the kernels' α: ρ, or the full working correlation matrix (unstructured). */
  private setAlpha(alpha: ArrayLike<number>): void {
    const f = this.backend.heap.f64;
    if (this.d.corstrCode !== CORSTR_UNSTRUCTURED) {
      f[this.at.alpha] = alpha.length > 0 ? alpha[0] : 0;
      return;
    }
    const W = this.d.layout.nWaves;
    let m = 0;
    for (let a = 0; a < W; a++) {
      f[this.at.alpha + a + a * W] = 1;
      for (let b = a + 1; b < W; b++) {
        f[this.at.alpha + a + b * W] = alpha[m];
        f[this.at.alpha + b + a * W] = alpha[m];
        m++;
      }
    }
  }

  /** Pearson residuals at β (with the offset, or without it: geepack's start of the scale). */
  residuals(beta: ArrayLike<number>, withOffset = true): ResidualSums {
    const k = this.backend.kernels;
    const { d, at } = this;
    this.setBeta(beta);
    const bad = k.geeResiduals(
      d.familyCode,
      d.linkCode,
      this.n,
      this.p,
      at.x,
      at.beta,
      withOffset ? at.off : -1,
      at.y,
      at.w,
      at.pr,
      at.sums,
    );
    const f = this.backend.heap.f64;
    return { bad, swr: f[at.sums], sw: f[at.sums + 1], sr: f[at.sums + 2], dev: f[at.sums + 3] };
  }

  /**
   * H, G (and the sandwich's meat) of the β equation at (β, φ, α), full symmetric p×p
   * column-major; `failed` is the 0-based cluster whose working correlation is not positive
   * definite (-1: none).
   */
  crossprod(beta: ArrayLike<number>, phi: number, alpha: ArrayLike<number>, withMeat: boolean) {
    const { d, at } = this;
    this.setBeta(beta);
    this.setAlpha(alpha);
    return this.runCrossprod(
      d.familyCode,
      d.linkCode,
      d.corstrCode,
      at.y,
      at.w,
      at.off,
      phi,
      withMeat,
    );
  }

  /** H and G under independence with φ = 1 at β: glm.fit's Fisher scoring (the GLM start). */
  glmCrossprod(beta: ArrayLike<number>) {
    const { d, at } = this;
    this.setBeta(beta);
    return this.runCrossprod(
      d.familyCode,
      d.linkCode,
      CORSTR_INDEPENDENCE,
      at.y,
      at.w,
      at.off,
      1,
      false,
    );
  }

  /**
   * The weighted least-squares cross-products X'WX and X'Wz of R's first IRLS step (glm.fit from
   * mustart): the kernel with the gaussian family, identity link and independence, at β = 0,
   * over the working response z and weights w0 (copied into the pr and a temporary buffer).
   */
  wlsCrossprod(z: Float64Array, w0: Float64Array) {
    const { at, p } = this;
    const f = this.backend.heap.f64;
    f.set(z, at.pr);
    f.set(w0, at.tmp);
    this.setBeta(new Float64Array(p));
    return this.runCrossprod(
      FAMILY_GAUSSIAN,
      LINK_IDENTITY,
      CORSTR_INDEPENDENCE,
      at.pr,
      at.tmp,
      -1,
      1,
      false,
    );
  }

  private runCrossprod(
    familyCode: number,
    linkCode: number,
    corstrCode: number,
    y: number,
    w: number,
    off: number,
    phi: number,
    withMeat: boolean,
  ): { h: Float64Array; g: Float64Array; meat: Float64Array | null; failed: number } {
    const { at, p } = this;
    const status = this.backend.kernels.geeCrossprod(
      familyCode,
      linkCode,
      corstrCode,
      this.nClusters,
      p,
      at.start,
      at.x,
      at.beta,
      off,
      y,
      w,
      at.wave,
      phi,
      at.alpha,
      this.d.layout.nWaves,
      at.h,
      at.g,
      withMeat ? at.meat : -1,
      at.scratch,
    );
    const f = this.backend.heap.f64;
    return {
      h: symmetric(f.slice(at.h, at.h + p * p), p),
      g: f.slice(at.g, at.g + p),
      meat: withMeat ? symmetric(f.slice(at.meat, at.meat + p * p), p) : null,
      failed: status - 1,
    };
  }

  /** The correlation equation's sums (one h and g per parameter) at φ and α. */
  alphaMoments(phi: number, alpha: ArrayLike<number>): { h: Float64Array; g: Float64Array } {
    const { d, at, q } = this;
    this.setAlpha(alpha);
    this.backend.kernels.geeAlphaMoments(
      d.corstrCode,
      this.nClusters,
      at.start,
      at.pr,
      at.w,
      at.wave,
      phi,
      at.alpha,
      d.layout.nWaves,
      at.ha,
      at.ga,
    );
    const f = this.backend.heap.f64;
    return { h: f.slice(at.ha, at.ha + q), g: f.slice(at.ga, at.ga + q) };
  }
}

/** Fills the upper triangle of a column-major p×p matrix from its lower triangle. */
function symmetric(a: Float64Array, p: number): Float64Array {
  for (let j = 0; j < p; j++) for (let i = j + 1; i < p; i++) a[j + i * p] = a[i + j * p];
  return a;
}
