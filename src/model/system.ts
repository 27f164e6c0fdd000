/**
 * The sparse mixed-model system resident in a backend's heap: A (the cross-products), L (its
 * Cholesky factor for the current θ, structure from ./layout) and the T factors. Shared by LMMs
 * and GLMMs.
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
  /** T matrix of each block (layout order). */
  tm: number[];
  /** A's and L's sparse panels (same shape), and the dense tail of each. */
  aPanels: number;
  lPanels: number;
  a22: number;
  l22: number;
  /** Solution of Lᵀ x = c: u (q, layout order), then β (p). */
  solution: number;
  /** Per-observation data, resident for the whole fit. i32: node of each block, pair positions. */
  obsNode: number;
  pairPos: number;
  /** Row-major n × Σv values of the blocks' z columns. */
  obsZ: number;
  /** Row-major n×p fixed-effects matrix. */
  xRows: number;
  /** Response column of the system (the data for an LMM, the working response in PIRLS). */
  y: number;
  /** Weights (prior weights for an LMM, working weights in PIRLS). */
  w: number;
  /**
   * Scratch of the read-outs, allocated once so that refits never grow the heap: Λu's input and
   * output (q each), R_X's inverse (p²), the inverse of the tail's random-effects factor and its
   * transpose (qt² each).
   */
  lambdaIn: number;
  lambdaOut: number;
  rx: number;
  linv: number;
  linvT: number;
}

export interface MixedSystem {
  backend: Backend;
  re: ReStructure;
  lay: BlockLayout;
  off: SystemOffsets;
  /** i32 offset of the system descriptor (assembly/descriptor.ts) that the kernels read. */
  desc: number;
}

/** The per-observation arrays a system can share with another over the same random effects. */
type ObservationOffsets = Pick<SystemOffsets, 'obsNode' | 'obsZ' | 'xRows' | 'y' | 'w'>;

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
  const { blocks, t, nSparse } = lay;
  const sumV = blocks.reduce((sum, b) => sum + b.v, 0);
  const panelSize = Math.max(1, lay.valPtr[nSparse]);
  const tm = blocks.map((b) => h.allocF64(b.v * b.v));
  const obs = shareWith?.off ?? copyObservations(backend, lay, xRowMajor);
  const off: SystemOffsets = {
    tm,
    aPanels: h.allocF64(panelSize),
    lPanels: h.allocF64(panelSize),
    a22: h.allocF64(t * t),
    l22: h.allocF64(t * t),
    solution: h.allocF64(lay.nRows),
    obsNode: obs.obsNode,
    pairPos: h.allocI32(lay.pairPos.length),
    obsZ: obs.obsZ,
    xRows: obs.xRows,
    y: obs.y,
    w: obs.w,
    lambdaIn: h.allocF64(Math.max(1, lay.q)),
    lambdaOut: h.allocF64(Math.max(1, lay.q)),
    rx: h.allocF64(Math.max(1, lay.p * lay.p)),
    linv: h.allocF64(Math.max(1, lay.qt * lay.qt)),
    linvT: h.allocF64(Math.max(1, lay.qt * lay.qt)),
  };
  h.i32.set(lay.pairPos, off.pairPos);
  const rowT = Int32Array.from(lay.rowBlock, (k) => (k < 0 ? -1 : tm[k]));
  const i32Arrays: [number, Int32Array][] = [
    [D.SYS_NODE_ROW, lay.nodeRow],
    [D.SYS_NODE_V, lay.nodeV],
    [D.SYS_ROW_PTR, lay.rowPtr],
    [D.SYS_PANEL_ROWS, lay.panelRows],
    [D.SYS_VAL_PTR, lay.valPtr],
    [D.SYS_TAIL_FROM, lay.tailFrom],
    [D.SYS_UPD_PTR, lay.updPtr],
    [D.SYS_UPD_COL, lay.updCol],
    [D.SYS_UPD_POS, lay.updPos],
    [D.SYS_ROW_T, rowT],
    [D.SYS_ROW_START, lay.rowStart],
    [D.SYS_ROW_V, lay.rowV],
  ];
  const desc = h.allocI32(D.SYS_FIELDS);
  const fields: [number, number][] = i32Arrays.map(([field, arr]) => {
    const at = h.allocI32(Math.max(1, arr.length));
    h.i32.set(arr, at);
    return [field, at];
  });
  const info = h.allocI32(D.BLOCK_FIELDS * blocks.length);
  blocks.forEach((b, k) => {
    h.i32.set([b.nl, b.v, tm[k], lay.blockRow[k]], info + D.BLOCK_FIELDS * k);
  });
  fields.push(
    [D.SYS_N, lay.n],
    [D.SYS_P, lay.p],
    [D.SYS_Q, lay.q],
    [D.SYS_NROWS, lay.nRows],
    [D.SYS_NBLOCKS, blocks.length],
    [D.SYS_BLOCKS, info],
    [D.SYS_NSPARSE, nSparse],
    [D.SYS_D0, lay.d0],
    [D.SYS_T, t],
    [D.SYS_QT, lay.qt],
    [D.SYS_DENSE_SCHUR, lay.denseSchur ? 1 : 0],
    [D.SYS_OBS_NODE, off.obsNode],
    [D.SYS_OBS_Z, off.obsZ],
    [D.SYS_SUMV, sumV],
    [D.SYS_PAIR_POS, off.pairPos],
    [D.SYS_NPAIRS, lay.nPairs],
    [D.SYS_X, off.xRows],
    [D.SYS_Y, off.y],
    [D.SYS_W, off.w],
    [D.SYS_A_PANELS, off.aPanels],
    [D.SYS_L_PANELS, off.lPanels],
    [D.SYS_A22, off.a22],
    [D.SYS_L22, off.l22],
    [D.SYS_XSOL, off.solution],
    [D.SYS_SCRATCH_I32, h.allocI32(lay.nRows + 2 * (sumV + lay.p + 1))],
    [D.SYS_SCRATCH_F64, h.allocF64(sumV + lay.p + 1)],
  );
  for (const [field, value] of fields) h.i32[desc + field] = value;
  return { backend, re, lay, off, desc };
}

/** Copies the random-effects indices and values and X into the heap; allocates y and w. */
function copyObservations(
  backend: Backend,
  lay: BlockLayout,
  xRowMajor: Float64Array,
): ObservationOffsets {
  const h = backend.heap;
  const { blocks, n } = lay;
  const sumV = blocks.reduce((sum, b) => sum + b.v, 0);
  const obs: ObservationOffsets = {
    obsNode: h.allocI32(Math.max(1, lay.obsNode.length)),
    obsZ: h.allocF64(Math.max(1, n * sumV)),
    xRows: h.allocF64(Math.max(1, xRowMajor.length)),
    y: h.allocF64(n),
    w: h.allocF64(n),
  };
  const f64 = h.f64;
  h.i32.set(lay.obsNode, obs.obsNode);
  for (let i = 0, e = obs.obsZ; i < n; i++) {
    for (const b of blocks) for (let c = 0; c < b.v; c++) f64[e++] = b.z[i * b.v + c];
  }
  f64.set(xRowMajor, obs.xRows);
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
  sys.lay.blocks.forEach((b, k) => fillT(b, theta, f, sys.off.tm[k]));
  return sys;
}

/**
 * Mutates L to the sparse Cholesky factor of [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX, ..; .., XᵀWX, ..; .., yᵀWy].
 * Returns 0 on success, else a positive code (the factor is then unusable).
 */
export function updateL(sys: MixedSystem): number {
  return sys.backend.kernels.systemFactor(sys.desc);
}

/** log det(L_θ)² over the random-effects part: 2 Σ log diag over the panels and the tail's. */
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
 * L_θᵀ u = c_u. Reads L; writes only x. Returns u (layout order) and β (zeros if fixed).
 */
export function solveUBeta(
  sys: MixedSystem,
  fixedBeta = false,
): { u: Float64Array; beta: Float64Array } {
  const { off, lay } = sys;
  sys.backend.kernels.systemSolve(sys.desc, fixedBeta ? 1 : 0);
  const f = sys.backend.heap.f64;
  const u = f.slice(off.solution, off.solution + lay.q);
  const beta = f.slice(off.solution + lay.q, off.solution + lay.q + lay.p);
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
