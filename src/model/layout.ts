/**
 * The blocked layout of the mixed-model system (MixedModels.jl's idea, two levels deep).
 *
 * Order of unknowns: block 1 (the random-effects term with the most levels), then the "tail":
 * the other random-effects blocks, the p fixed-effect columns and the response column.
 *
 *   A = [Z X y]' W [Z X y] =  [ A11  .  ]      A11: block diagonal, nl1 blocks of v1×v1
 *                             [ A21 A22 ]      A21: sparse, per level of block 1 only the tail
 *                                                   rows that co-occur with it (plus X and y)
 *                                              A22: dense t×t (t = qt + p + 1)
 *
 * L has the same shape: L11 never fills in, L21 keeps A21's pattern, L22 is dense. No n×q or
 * n×n array is ever formed; every array here is sized by levels, not by observations, except the
 * per-observation index arrays used to build A.
 */
import type { ReBlock } from './reblocks';

export interface BlockLayout {
  n: number;
  /** Number of fixed-effect columns in the system (0 when β is held fixed, as in Laplace PIRLS). */
  p: number;
  /** Block 1: the term with the most levels. */
  first: ReBlock;
  /** Blocks 2..K, in the tail. */
  tailBlocks: ReBlock[];
  /** Tail row of each tail block's first column (level 0, column 0). */
  tailStart: number[];
  /** Random-effect rows in the tail. */
  qt: number;
  /** Tail size: qt + p + 1. */
  t: number;
  /** q = nl1·v1 + qt: all random effects. */
  q: number;
  /** rowPtr[l]..rowPtr[l+1]: the entries of rowIdx that belong to level l of block 1. */
  rowPtr: Int32Array;
  /** Tail rows that are structurally non-zero in each level's column block, ascending. */
  rowIdx: Int32Array;
  /**
   * Per observation and tail block (row-major n × tailBlocks.length): index, relative to
   * rowPtr[level], of the row of that block's level in the observation's column block.
   */
  tailPos: Int32Array;
  /** Per observation and tail block: the tail row of that block's level (column 0). */
  tailRow: Int32Array;
  /** Per tail row: which tail block it belongs to (-1 for the X and y rows). */
  rowBlock: Int32Array;
  /** Per tail row: the tail row of column 0 of its level (itself for X and y rows). */
  rowStart: Int32Array;
  /**
   * True when every level of block 1 touches every tail row (as in a fully crossed design):
   * L21 is then stored exactly as a dense column-major t × q1 matrix (leading dimension t).
   */
  denseL21: boolean;
}

/** Derives the sparsity pattern of A21 from the grouping factors. O(n log n), done once. */
export function buildLayout(blocks: readonly ReBlock[], n: number, p: number): BlockLayout {
  const [first, ...tailBlocks] = blocks;
  const tailStart: number[] = [];
  let qt = 0;
  for (const b of tailBlocks) {
    tailStart.push(qt);
    qt += b.nl * b.v;
  }
  const t = qt + p + 1;
  const nTail = tailBlocks.length;

  const rowBlock = new Int32Array(t).fill(-1);
  const rowStart = new Int32Array(t);
  for (let r = 0; r < t; r++) rowStart[r] = r;
  tailBlocks.forEach((b, k) => {
    for (let r = tailStart[k]; r < tailStart[k] + b.nl * b.v; r++) {
      rowBlock[r] = k;
      rowStart[r] = tailStart[k] + Math.floor((r - tailStart[k]) / b.v) * b.v;
    }
  });

  // Observations grouped by level of block 1 (counting sort).
  const nl1 = first.nl;
  const count = new Int32Array(nl1 + 1);
  for (let i = 0; i < n; i++) count[first.refs[i] + 1]++;
  for (let l = 0; l < nl1; l++) count[l + 1] += count[l];
  const order = new Int32Array(n);
  const fill = count.slice(0, nl1);
  for (let i = 0; i < n; i++) order[fill[first.refs[i]]++] = i;

  const tailRow = new Int32Array(n * nTail);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nTail; k++) {
      tailRow[i * nTail + k] = tailStart[k] + tailBlocks[k].refs[i] * tailBlocks[k].v;
    }
  }

  // Per level: distinct tail levels that co-occur, expanded to their v rows, then X and y rows.
  const rowPtr = new Int32Array(nl1 + 1);
  const rows: number[] = [];
  const tailPos = new Int32Array(n * nTail);
  const starts: number[] = [];
  for (let l = 0; l < nl1; l++) {
    starts.length = 0;
    for (let j = count[l]; j < count[l + 1]; j++) {
      const i = order[j];
      for (let k = 0; k < nTail; k++) starts.push(tailRow[i * nTail + k]);
    }
    starts.sort((a, b) => a - b);
    const levelRows: number[] = [];
    const posOfStart = new Map<number, number>();
    for (let s = 0; s < starts.length; s++) {
      if (s > 0 && starts[s] === starts[s - 1]) continue;
      posOfStart.set(starts[s], levelRows.length);
      const v = tailBlocks[rowBlock[starts[s]]].v;
      for (let c = 0; c < v; c++) levelRows.push(starts[s] + c);
    }
    for (let r = qt; r < t; r++) levelRows.push(r);
    for (let j = count[l]; j < count[l + 1]; j++) {
      const i = order[j];
      for (let k = 0; k < nTail; k++)
        tailPos[i * nTail + k] = posOfStart.get(tailRow[i * nTail + k])!;
    }
    rows.push(...levelRows);
    rowPtr[l + 1] = rows.length;
  }
  return {
    n,
    p,
    first,
    tailBlocks,
    tailStart,
    qt,
    t,
    q: nl1 * first.v + qt,
    rowPtr,
    rowIdx: Int32Array.from(rows),
    tailPos,
    tailRow,
    rowBlock,
    rowStart,
    denseL21: rows.length === nl1 * t,
  };
}
