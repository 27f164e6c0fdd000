/**
 * Random-effects blocks: the model's terms amalgamated by grouping factor (MixedModels.jl style)
 * and sorted by decreasing number of levels, with the map from lme4's θ vector to each block's
 * lower-triangular relative covariance factor T (Λ is block diagonal with one T per level).
 */
import type { RandomTermSpec } from '../frame/types';

/** One free element of a block's T: position in T and index into the θ vector (lme4 order). */
export interface ThetaSlot {
  row: number;
  col: number;
  thetaIndex: number;
}

/** All random-effect terms that share one grouping factor. */
export interface ReBlock {
  group: string;
  levels: string[];
  /** Number of levels. */
  nl: number;
  /** 0-based level per observation. */
  refs: Int32Array;
  /** Columns per level (sum over the amalgamated terms). */
  v: number;
  /** Row-major n×v model-matrix values. */
  z: Float64Array;
  colNames: string[];
  /** Free elements of T; every other element of T is zero. */
  slots: ThetaSlot[];
  /** The original terms inside this block: their columns [start, end) and lme4 position. */
  terms: { start: number; end: number; lme4Order: number }[];
}

/** The amalgamated blocks and the θ parameterisation. */
export interface ReStructure {
  blocks: ReBlock[];
  /** Number of θ parameters. */
  nTheta: number;
  /** lme4's names for θ, e.g. `Subject.Days.(Intercept)`. */
  thetaNames: string[];
  /** Lower bounds: 0 for diagonal elements, -Infinity below the diagonal (lme4). */
  lower: number[];
  /** Start: 1 on the diagonal, 0 below (lme4). */
  start: number[];
}

/**
 * Terms in lme4's order (mkReTrms): kept as written when their numbers of levels never increase;
 * otherwise `rev(order(nl))`, i.e. decreasing number of levels with ties in REVERSE formula
 * order (so `(x || g) + (1 | h)` with more levels in h gives h, then g's x, then g's intercept).
 */
function lme4TermOrder(terms: readonly RandomTermSpec[]): number[] {
  const nl = terms.map((t) => t.levels.length);
  const idx = terms.map((_, i) => i);
  if (!nl.some((v, i) => i > 0 && v > nl[i - 1])) return idx;
  return idx.sort((a, b) => nl[a] - nl[b] || a - b).reverse();
}

/** Builds blocks from the formula's random terms. */
export function buildReStructure(terms: readonly RandomTermSpec[], n: number): ReStructure {
  // θ indices follow lme4's term order; within a term, the lower triangle column by column.
  const thetaNames: string[] = [];
  const lower: number[] = [];
  const start: number[] = [];
  const termThetaStart = new Array<number>(terms.length);
  const lme4Position = new Array<number>(terms.length);
  lme4TermOrder(terms).forEach((ti, position) => (lme4Position[ti] = position));
  for (const ti of lme4TermOrder(terms)) {
    const t = terms[ti];
    termThetaStart[ti] = thetaNames.length;
    for (let c = 0; c < t.v; c++) {
      for (let r = c; r < t.v; r++) {
        thetaNames.push(
          r === c ? `${t.group}.${t.colNames[r]}` : `${t.group}.${t.colNames[r]}.${t.colNames[c]}`,
        );
        lower.push(r === c ? 0 : -Infinity);
        start.push(r === c ? 1 : 0);
      }
    }
  }

  // Amalgamate terms by grouping factor, in order of first appearance.
  const byGroup = new Map<string, number[]>();
  terms.forEach((t, i) => {
    const list = byGroup.get(t.group);
    if (list) list.push(i);
    else byGroup.set(t.group, [i]);
  });
  const blocks: ReBlock[] = [];
  for (const [group, members] of byGroup) {
    const first = terms[members[0]];
    const v = members.reduce((s, i) => s + terms[i].v, 0);
    const z = new Float64Array(n * v);
    const colNames: string[] = [];
    const slots: ThetaSlot[] = [];
    const blockTerms: ReBlock['terms'] = [];
    let offset = 0;
    for (const ti of members) {
      const t = terms[ti];
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < t.v; c++) z[i * v + offset + c] = t.z[i * t.v + c];
      }
      let k = termThetaStart[ti];
      for (let c = 0; c < t.v; c++) {
        for (let r = c; r < t.v; r++)
          slots.push({ row: offset + r, col: offset + c, thetaIndex: k++ });
      }
      colNames.push(...t.colNames);
      blockTerms.push({ start: offset, end: offset + t.v, lme4Order: lme4Position[ti] });
      offset += t.v;
    }
    blocks.push({
      group,
      levels: first.levels,
      nl: first.levels.length,
      refs: first.refs,
      v,
      z,
      colNames,
      slots,
      terms: blockTerms,
    });
  }
  // Stable sort: decreasing number of levels keeps L[1,1] the largest block that never fills in.
  blocks.sort((a, b) => b.nl - a.nl);
  return { blocks, nTheta: thetaNames.length, thetaNames, lower, start };
}

/** Writes block b's T (v×v, column-major, zero above the diagonal) for θ into `out` at `off`. */
export function fillT(
  block: ReBlock,
  theta: ArrayLike<number>,
  out: Float64Array,
  off: number,
): void {
  const v = block.v;
  out.fill(0, off, off + v * v);
  for (const s of block.slots) out[off + s.row + s.col * v] = theta[s.thetaIndex];
}
