/**
 * The blocked mixed-model system resident in a backend's heap: A (the cross-products), L (its
 * Cholesky factor for the current θ) and the T factors. Shared by LMMs and GLMMs.
 *
 * Recipe for one θ: `setTheta` writes T, `updateL` factors Λᵀ A Λ + I, after which
 * log-determinants, the penalised residual sum of squares and the solution can be read off L.
 */
import * as D from '../../assembly/descriptor';
import type { Backend } from '../backend/kernels';
import type { ModelFrame } from '../frame/types';
import {
  conditionedXRowMajor,
  conditionFixed,
  conditionRandom,
  type FixedConditioning,
  type RandomConditioning,
} from './conditioning';
import { buildLayout, type BlockLayout } from './layout';
import { buildReStructure, fillT, type ReStructure } from './reblocks';

/** Heap offsets of one system (f64 offsets unless noted). */
export interface SystemOffsets {
  /** T matrix of each block (blocks in layout order: first, then tail). */
  tm: number[];
  a11: number;
  l11: number;
  a21: number;
  l21: number;
  a22: number;
  l22: number;
  /** i32 offsets. */
  rowPtr: number;
  rowIdx: number;
  rowT: number;
  rowStart: number;
  rowV: number;
  /** Solution: x1 (block 1, q1) and x2 (tail, t). */
  x1: number;
  x2: number;
  /** Per-observation data, resident for the whole fit (see CrossprodKernels). */
  refs1: number;
  z1: number;
  tailRow: number;
  tailPos: number;
  tailV: number;
  zTail: number;
  /** Row-major n×p fixed-effects matrix. */
  x: number;
  /** Response column of the system (the data for an LMM, the working response in PIRLS). */
  y: number;
  /** Weights (prior weights for an LMM, working weights in PIRLS). */
  w: number;
  scratchI32: number;
  scratchF64: number;
  /**
   * Scratch of the read-outs, allocated once so that refits never grow the heap: Λu's input and
   * output (q each), R_X's inverse (p²) and the inverse of the tail's random-effects factor (qt²).
   */
  lambdaIn: number;
  lambdaOut: number;
  rx: number;
  linv: number;
}

export interface MixedSystem {
  backend: Backend;
  re: ReStructure;
  lay: BlockLayout;
  off: SystemOffsets;
  /** i32 offset of the system descriptor (assembly/descriptor.ts) that the kernels read. */
  desc: number;
}

/** The per-observation arrays of a system (see CrossprodKernels), resident for the whole fit. */
type ObservationOffsets = Pick<
  SystemOffsets,
  'refs1' | 'z1' | 'tailRow' | 'tailPos' | 'tailV' | 'zTail' | 'x' | 'y' | 'w'
>;

/**
 * Allocates the system's arrays in the backend heap and copies the per-observation data in
 * (once per fit). `xRowMajor` is the n×p fixed-effects matrix by rows (p may be 0). With
 * `shareWith`, a system over the same random effects (e.g. the same model without its X
 * columns) reuses that system's observation arrays instead of copying them again.
 */
export function allocateSystem(
  backend: Backend,
  re: ReStructure,
  lay: BlockLayout,
  xRowMajor: Float64Array,
  shareWith?: MixedSystem,
): MixedSystem {
  const h = backend.heap;
  const { first, tailBlocks, t } = lay;
  const blocks = [first, ...tailBlocks];
  const nnz = lay.rowIdx.length;
  const sumVt = tailBlocks.reduce((sum, b) => sum + b.v, 0);
  const sizes = { a11: first.nl * first.v * first.v, a21: nnz * first.v, a22: t * t };
  const tm = blocks.map((b) => h.allocF64(b.v * b.v));
  const obs = shareWith?.off ?? copyObservations(backend, lay, xRowMajor);
  const off: SystemOffsets = {
    tm,
    a11: h.allocF64(sizes.a11),
    l11: h.allocF64(sizes.a11),
    a21: h.allocF64(sizes.a21),
    l21: h.allocF64(sizes.a21),
    a22: h.allocF64(sizes.a22),
    l22: h.allocF64(sizes.a22),
    x1: h.allocF64(first.nl * first.v),
    x2: h.allocF64(t),
    rowPtr: h.allocI32(lay.rowPtr.length),
    rowIdx: h.allocI32(Math.max(1, nnz)),
    rowT: h.allocI32(t),
    rowStart: h.allocI32(t),
    rowV: h.allocI32(t),
    refs1: obs.refs1,
    z1: obs.z1,
    tailRow: obs.tailRow,
    tailPos: obs.tailPos,
    tailV: obs.tailV,
    zTail: obs.zTail,
    x: obs.x,
    y: obs.y,
    w: obs.w,
    scratchI32: h.allocI32(2 * (sumVt + lay.p + 1)),
    scratchF64: h.allocF64(sumVt + lay.p + 1),
    lambdaIn: h.allocF64(Math.max(1, lay.q)),
    lambdaOut: h.allocF64(Math.max(1, lay.q)),
    rx: h.allocF64(Math.max(1, lay.p * lay.p)),
    linv: h.allocF64(Math.max(1, lay.qt * lay.qt)),
  };
  const i32 = h.i32;
  i32.set(lay.rowPtr, off.rowPtr);
  i32.set(lay.rowIdx, off.rowIdx);
  for (let r = 0; r < t; r++) {
    const k = lay.rowBlock[r];
    i32[off.rowT + r] = k < 0 ? -1 : tm[k + 1];
    i32[off.rowStart + r] = lay.rowStart[r];
    i32[off.rowV + r] = k < 0 ? 1 : tailBlocks[k].v;
  }
  return { backend, re, lay, off, desc: writeDescriptor(backend, lay, off) };
}

/** The system descriptor: dimensions and offsets in one i32 record (assembly/descriptor.ts). */
function writeDescriptor(backend: Backend, lay: BlockLayout, off: SystemOffsets): number {
  const h = backend.heap;
  const blocks = [lay.first, ...lay.tailBlocks];
  const desc = h.allocI32(D.SYS_FIELDS);
  const info = h.allocI32(4 * blocks.length);
  const i32 = h.i32;
  const q1 = lay.first.nl * lay.first.v;
  blocks.forEach((b, k) => {
    i32.set([b.nl, b.v, off.tm[k], k === 0 ? 0 : q1 + lay.tailStart[k - 1]], info + 4 * k);
  });
  const fields: [number, number][] = [
    [D.SYS_N, lay.n],
    [D.SYS_V1, lay.first.v],
    [D.SYS_NL1, lay.first.nl],
    [D.SYS_NTAIL, lay.tailBlocks.length],
    [D.SYS_SUMVT, lay.tailBlocks.reduce((s, b) => s + b.v, 0)],
    [D.SYS_P, lay.p],
    [D.SYS_T, lay.t],
    [D.SYS_QT, lay.qt],
    [D.SYS_DENSE_L21, lay.denseL21 ? 1 : 0],
    [D.SYS_REFS1, off.refs1],
    [D.SYS_Z1, off.z1],
    [D.SYS_TAIL_ROW, off.tailRow],
    [D.SYS_TAIL_POS, off.tailPos],
    [D.SYS_TAIL_V, off.tailV],
    [D.SYS_Z_TAIL, off.zTail],
    [D.SYS_X, off.x],
    [D.SYS_Y, off.y],
    [D.SYS_W, off.w],
    [D.SYS_ROW_PTR, off.rowPtr],
    [D.SYS_ROW_IDX, off.rowIdx],
    [D.SYS_ROW_T, off.rowT],
    [D.SYS_ROW_START, off.rowStart],
    [D.SYS_ROW_V, off.rowV],
    [D.SYS_A11, off.a11],
    [D.SYS_L11, off.l11],
    [D.SYS_A21, off.a21],
    [D.SYS_L21, off.l21],
    [D.SYS_A22, off.a22],
    [D.SYS_L22, off.l22],
    [D.SYS_X1, off.x1],
    [D.SYS_X2, off.x2],
    [D.SYS_SCRATCH_I32, off.scratchI32],
    [D.SYS_SCRATCH_F64, off.scratchF64],
    [D.SYS_NBLOCKS, blocks.length],
    [D.SYS_BLOCKS, info],
  ];
  for (const [field, value] of fields) i32[desc + field] = value;
  return desc;
}

/** Copies the random-effects indices and values and X into the heap; allocates y and w. */
function copyObservations(
  backend: Backend,
  lay: BlockLayout,
  xRowMajor: Float64Array,
): ObservationOffsets {
  const h = backend.heap;
  const { first, tailBlocks, n } = lay;
  const sumVt = tailBlocks.reduce((sum, b) => sum + b.v, 0);
  const obs: ObservationOffsets = {
    refs1: h.allocI32(n),
    z1: h.allocF64(n * first.v),
    tailRow: h.allocI32(Math.max(1, lay.tailRow.length)),
    tailPos: h.allocI32(Math.max(1, lay.tailPos.length)),
    tailV: h.allocI32(Math.max(1, tailBlocks.length)),
    zTail: h.allocF64(Math.max(1, n * sumVt)),
    x: h.allocF64(Math.max(1, xRowMajor.length)),
    y: h.allocF64(n),
    w: h.allocF64(n),
  };
  const i32 = h.i32;
  const f64 = h.f64;
  i32.set(first.refs, obs.refs1);
  f64.set(first.z, obs.z1);
  i32.set(lay.tailRow, obs.tailRow);
  i32.set(lay.tailPos, obs.tailPos);
  tailBlocks.forEach((b, k) => (i32[obs.tailV + k] = b.v));
  for (let i = 0, e = obs.zTail; i < n; i++) {
    for (const b of tailBlocks) for (let c = 0; c < b.v; c++) f64[e++] = b.z[i * b.v + c];
  }
  f64.set(xRowMajor, obs.x);
  return obs;
}

/**
 * Mutates A: [Z X y]ᵀ W [Z X y] from the resident rows, with the system's current response
 * (`off.y`) and, when `weighted`, its weights (`off.w`). One pass over the observations.
 */
export function updateCrossprod(sys: MixedSystem, weighted: boolean): MixedSystem {
  sys.backend.kernels.systemCrossprod(sys.desc, weighted ? 1 : 0);
  return sys;
}

/** Mutates the T matrices for θ. */
export function setTheta(sys: MixedSystem, theta: ArrayLike<number>): MixedSystem {
  const f = sys.backend.heap.f64;
  const blocks = [sys.lay.first, ...sys.lay.tailBlocks];
  blocks.forEach((b, k) => fillT(b, theta, f, sys.off.tm[k]));
  return sys;
}

/**
 * Mutates L to the Cholesky factor of [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX, ..; .., XᵀWX, ..; .., yᵀWy].
 * Returns 0 on success, else a positive code (the factor is then unusable).
 */
export function updateL(sys: MixedSystem): number {
  return sys.backend.kernels.systemFactor(sys.desc);
}

/** log det(L_θ)² over the random-effects part: 2 Σ log diag(L11, L22[re]). */
export function logdetRe(sys: MixedSystem): number {
  return 2 * sys.backend.kernels.systemLogdetRe(sys.desc);
}

/** log det(R_X)²: 2 Σ log diag of the fixed-effects block of L. */
export function logdetX(sys: MixedSystem): number {
  const { off, lay } = sys;
  const start = off.l22 + lay.qt * (lay.t + 1);
  return 2 * sys.backend.kernels.sumLogDiag(lay.p, start, lay.t);
}

/** Penalised weighted residual sum of squares: the square of L's last diagonal element. */
export function pwrss(sys: MixedSystem): number {
  const t = sys.lay.t;
  return sys.backend.heap.f64[sys.off.l22 + t * t - 1] ** 2;
}

/**
 * Solves Lᵀ x = c (c = the response row of L) for the spherical random effects u and β.
 * With `fixedBeta`, solves for u alone with β held where it is (the response then excludes Xβ):
 * since c's random-effects part is L_θ⁻¹ ΛᵀZᵀW y, setting the β part of x to 0 gives
 * L_θᵀ u = c_u. Reads L; writes only x1 and x2. Returns u (layout order) and β (zeros if fixed).
 */
export function solveUBeta(
  sys: MixedSystem,
  fixedBeta = false,
): { u: Float64Array; beta: Float64Array } {
  const { off, lay } = sys;
  const { first, qt, p } = lay;
  sys.backend.kernels.systemSolve(sys.desc, fixedBeta ? 1 : 0);
  const f = sys.backend.heap.f64;
  const q1 = first.nl * first.v;
  const u = new Float64Array(q1 + qt);
  u.set(f.subarray(off.x1, off.x1 + q1), 0);
  u.set(f.subarray(off.x2, off.x2 + qt), q1);
  const beta = Float64Array.from(f.subarray(off.x2 + qt, off.x2 + qt + p));
  return { u, beta };
}

/** b = Λ u (layout order: block 1, then the tail blocks) at the θ currently set, by the kernel. */
export function lambdaU(sys: MixedSystem, u: Float64Array): Float64Array {
  const h = sys.backend.heap;
  const { lambdaIn, lambdaOut } = sys.off;
  h.f64.set(u, lambdaIn);
  sys.backend.kernels.systemLambdaU(sys.desc, lambdaIn, lambdaOut);
  return Float64Array.from(h.f64.subarray(lambdaOut, lambdaOut + u.length));
}

/**
 * Mutates A: recomputes only the parts of [Z X y]ᵀ W [Z X y] that involve the response column,
 * after a new response was written to `off.y` (a refit with the same design).
 */
export function updateResponseCrossprod(sys: MixedSystem, weighted: boolean): MixedSystem {
  sys.backend.kernels.systemCrossprodResponse(sys.desc, weighted ? 1 : 0);
  return sys;
}

/** A frame's mixed-model system on conditioned columns (src/model/conditioning.ts), resident. */
export interface ConditionedSystem {
  fixedCond: FixedConditioning;
  randomCond: RandomConditioning;
  sys: MixedSystem;
}

/** Conditions X and the random-effects blocks of a frame and allocates their system (once). */
export function conditionedSystem(frame: ModelFrame, backend: Backend): ConditionedSystem {
  const { n, X } = frame;
  const p = frame.xNames.length;
  const fixedCond = conditionFixed(X, n, p);
  const randomCond = conditionRandom(buildReStructure(frame.randomTerms, n));
  const re = randomCond.re;
  const lay = buildLayout(re.blocks, n, p);
  const sys = allocateSystem(backend, re, lay, conditionedXRowMajor(fixedCond, X, n));
  return { fixedCond, randomCond, sys };
}
