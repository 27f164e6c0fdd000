/**
 * The symbolic analysis of the mixed-model system: which blocks of L are non-zero, computed once
 * per fit from the grouping factors (a supernodal sparse Cholesky at the granularity of levels).
 *
 * Unknowns, in order: the levels of each random-effects block (blocks by decreasing number of
 * levels, as lme4 and MixedModels.jl order them), then the p fixed-effect columns, then the
 * response. A "node" is one level of one block: v consecutive unknowns.
 *
 *   A = [Z X y]' W [Z X y],   L = chol of [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX, ΛᵀZᵀWy; .. XᵀWX ..; .. yᵀWy]
 *
 * The first nSparse nodes are "sparse columns": each is a dense panel (its own v rows, then the
 * rows of its pattern in L, which always ends with the X and y rows), factored left-looking
 * from the earlier columns whose pattern contains it. Everything after them is the "dense tail",
 * one t×t matrix. The pattern of L (with fill-in) follows from the elimination tree; the tail
 * starts where a dense kernel on the trailing fill is cheaper than the sparse one.
 *
 * In this order nested factors never fill in (a class meets one school, so eliminating it only
 * links that school to X and y) and stay sparse to the end; crossed factors fill in the smaller
 * factor, which then becomes the dense tail (e.g. InstEval's lecturers after its students). No
 * n×q or n×n array exists; per-observation arrays hold indices only.
 */
import type { ReBlock } from './reblocks';

export interface BlockLayout {
  n: number;
  /** Fixed-effect columns in the system (0 when β is held fixed, as in PIRLS's u-only system). */
  p: number;
  /** Random-effects blocks in layout order. */
  blocks: ReBlock[];
  /** Global row of level 0 of each block; and node index of level 0 of each block. */
  blockRow: number[];
  blockNode: number[];
  /** All random effects: q = Σ nl·v. */
  q: number;
  /** Rows of the whole system: q + p + 1. */
  nRows: number;
  /** Global row of each node's first unknown (all nodes, length Σ nl). */
  nodeRow: Int32Array;
  /** Sparse columns: nodes 0..nSparse-1 (always at least the levels of block 1). */
  nSparse: number;
  /** v of each sparse column. */
  nodeV: Int32Array;
  /**
   * Pattern of each sparse column below its own rows: global rows panelRows[rowPtr[j]..rowPtr[j+1]],
   * ascending, whole nodes, ending with the p X rows and the y row. Panel j has
   * m_j = v_j + (rowPtr[j+1] - rowPtr[j]) rows.
   */
  rowPtr: Int32Array;
  panelRows: Int32Array;
  /** f64 offset of each panel's values (m_j × v_j, column-major, ld m_j); valPtr[nSparse] = total. */
  valPtr: Int32Array;
  /** Local row of each panel's first dense-tail row. */
  tailFrom: Int32Array;
  /**
   * Left-looking lists: the earlier sparse columns updCol[updPtr[j]..updPtr[j+1]] whose pattern
   * holds column j, and the local row of j's first unknown in each of them.
   */
  updPtr: Int32Array;
  updCol: Int32Array;
  updPos: Int32Array;
  /** First global row of the dense tail, its size t = nRows - d0, and its random-effect rows. */
  d0: number;
  t: number;
  qt: number;
  /** Per observation (row-major n × nBlocks): the node of the observation's level in each block. */
  obsNode: Int32Array;
  /**
   * Per observation, for each pair of blocks ka < kb (in the order ka = 0: kb = 1..K-1; ka = 1: ..)
   * whose ka node is a sparse column: the local row, in that panel, of the kb node (-1 otherwise).
   */
  pairPos: Int32Array;
  nPairs: number;
  /** Per global row: block (-1 for X and y), first row of its node (itself for X and y), v. */
  rowBlock: Int32Array;
  rowStart: Int32Array;
  rowV: Int32Array;
  /**
   * True when every sparse column has the same v and the whole tail as its pattern (one
   * grouping factor, or a fully crossed design): the Schur update of the tail is then one syrk.
   */
  denseSchur: boolean;
}

/** Relative cost of a sparse panel flop against a dense-kernel flop (indexing, small blocks). */
const SPARSE_FLOP_COST = 4;

/**
 * The symbolic factorization of the system over `blocks` (layout order). Done once per fit.
 * `nSparseOverride` fixes the number of sparse columns (≥ the levels of block 1) instead of
 * the cost rule: any split gives the same factor, so tests can exercise every one.
 */
export function buildLayout(
  blocks: readonly ReBlock[],
  n: number,
  p: number,
  nSparseOverride?: number,
): BlockLayout {
  const K = blocks.length;
  const blockRow: number[] = [];
  const blockNode: number[] = [];
  let q = 0;
  let nNodes = 0;
  for (const b of blocks) {
    blockRow.push(q);
    blockNode.push(nNodes);
    q += b.nl * b.v;
    nNodes += b.nl;
  }
  const nRows = q + p + 1;
  const nodeRow = new Int32Array(nNodes);
  const nodeVAll = new Int32Array(nNodes);
  const rowBlock = new Int32Array(nRows).fill(-1);
  const rowStart = new Int32Array(nRows);
  const rowV = new Int32Array(nRows).fill(1);
  for (let r = 0; r < nRows; r++) rowStart[r] = r;
  blocks.forEach((b, k) => {
    for (let l = 0; l < b.nl; l++) {
      const node = blockNode[k] + l;
      const row = blockRow[k] + l * b.v;
      nodeRow[node] = row;
      nodeVAll[node] = b.v;
      for (let c = 0; c < b.v; c++) {
        rowBlock[row + c] = k;
        rowStart[row + c] = row;
        rowV[row + c] = b.v;
      }
    }
  });

  const obsNode = new Int32Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) obsNode[i * K + k] = blockNode[k] + blocks[k].refs[i];
  }

  // Node-level pattern of A below the diagonal: adj[j] = nodes > j that share an observation.
  const adj = nodeAdjacency(obsNode, n, K, nNodes);
  // Pattern of L by the elimination tree: pat(j) = adj(j) ∪ (pat(c) \ {j}) over children c.
  const pattern: Int32Array[] = new Array(nNodes);
  const children: number[][] = Array.from({ length: nNodes }, () => []);
  const mark = new Int32Array(nNodes).fill(-1);
  for (let j = 0; j < nNodes; j++) {
    const rows: number[] = [];
    const add = (i: number) => {
      if (i !== j && mark[i] !== j) {
        mark[i] = j;
        rows.push(i);
      }
    };
    for (const i of adj[j]) add(i);
    for (const c of children[j]) for (const i of pattern[c]) add(i);
    rows.sort((a, b) => a - b);
    pattern[j] = Int32Array.from(rows);
    if (rows.length > 0) {
      children[rows[0]].push(j);
    }
    children[j] = []; // no longer needed
  }

  const nSparse =
    nSparseOverride ?? chooseTail(pattern, nodeVAll, nodeRow, blocks[0].nl, nNodes, nRows, p);
  const d0 = nSparse < nNodes ? nodeRow[nSparse] : q;

  // Panels of the sparse columns.
  const rowPtr = new Int32Array(nSparse + 1);
  const valPtr = new Int32Array(nSparse + 1);
  const tailFrom = new Int32Array(nSparse);
  const nodeV = nodeVAll.slice(0, nSparse);
  const rows: number[] = [];
  for (let j = 0; j < nSparse; j++) {
    const v = nodeVAll[j];
    let local = v;
    let tf = -1;
    for (const i of pattern[j]) {
      const r = nodeRow[i];
      if (tf < 0 && r >= d0) tf = local;
      for (let c = 0; c < nodeVAll[i]; c++) rows.push(r + c);
      local += nodeVAll[i];
    }
    if (tf < 0) tf = local;
    for (let r = q; r < nRows; r++) rows.push(r);
    local += p + 1;
    tailFrom[j] = tf;
    rowPtr[j + 1] = rows.length;
    valPtr[j + 1] = valPtr[j] + local * v;
  }
  const panelRows = Int32Array.from(rows);

  // Left-looking lists (ascending columns): for each sparse i in pat(j), (j, local row of i).
  const updCount = new Int32Array(nSparse + 1);
  for (let j = 0; j < nSparse; j++) {
    for (const i of pattern[j]) if (i < nSparse) updCount[i + 1]++;
  }
  for (let j = 0; j < nSparse; j++) updCount[j + 1] += updCount[j];
  const updPtr = updCount.slice();
  const updCol = new Int32Array(updPtr[nSparse]);
  const updPos = new Int32Array(updPtr[nSparse]);
  const fillAt = updPtr.slice(0, nSparse);
  for (let j = 0; j < nSparse; j++) {
    let local = nodeVAll[j];
    for (const i of pattern[j]) {
      if (i < nSparse) {
        updCol[fillAt[i]] = j;
        updPos[fillAt[i]++] = local;
      }
      local += nodeVAll[i];
    }
  }

  // Per observation and block pair: local row of the kb node in the ka node's panel.
  const nPairs = (K * (K - 1)) / 2;
  const pairPos = new Int32Array(Math.max(1, n * nPairs)).fill(-1);
  for (let i = 0; i < n; i++) {
    let e = i * nPairs;
    for (let ka = 0; ka < K; ka++) {
      const a = obsNode[i * K + ka];
      for (let kb = ka + 1; kb < K; kb++, e++) {
        if (a < nSparse)
          pairPos[e] = localRow(pattern[a], nodeVAll, obsNode[i * K + kb]) + nodeVAll[a];
      }
    }
  }

  const t = nRows - d0;
  const denseSchur =
    nSparse > 0 &&
    Array.prototype.every.call(
      nodeV,
      (v: number, j: number) =>
        v === nodeV[0] && tailFrom[j] === v && rowPtr[j + 1] - rowPtr[j] === t,
    );
  return {
    n,
    p,
    blocks: [...blocks],
    blockRow,
    blockNode,
    q,
    nRows,
    nodeRow,
    nSparse,
    nodeV,
    rowPtr,
    panelRows,
    valPtr,
    tailFrom,
    updPtr,
    updCol,
    updPos,
    d0,
    t,
    qt: q - d0,
    obsNode,
    pairPos,
    nPairs,
    rowBlock,
    rowStart,
    rowV,
    denseSchur,
  };
}

/** Sorted distinct later nodes sharing an observation with each node (counting-sort buckets). */
function nodeAdjacency(obsNode: Int32Array, n: number, K: number, nNodes: number): Int32Array[] {
  const count = new Int32Array(nNodes + 1);
  for (let i = 0; i < n; i++) {
    for (let ka = 0; ka < K - 1; ka++) count[obsNode[i * K + ka] + 1] += K - 1 - ka;
  }
  for (let j = 0; j < nNodes; j++) count[j + 1] += count[j];
  const all = new Int32Array(count[nNodes]);
  const fill = count.slice(0, nNodes);
  for (let i = 0; i < n; i++) {
    for (let ka = 0; ka < K - 1; ka++) {
      const a = obsNode[i * K + ka];
      for (let kb = ka + 1; kb < K; kb++) all[fill[a]++] = obsNode[i * K + kb];
    }
  }
  const adj: Int32Array[] = new Array(nNodes);
  for (let j = 0; j < nNodes; j++) {
    const seg = all.subarray(count[j], count[j + 1]).sort();
    let m = 0;
    for (let s = 0; s < seg.length; s++) if (s === 0 || seg[s] !== seg[s - 1]) seg[m++] = seg[s];
    adj[j] = seg.slice(0, m);
  }
  return adj;
}

/** Local row (below the node's own rows) of node `target` in a column with pattern `pat`. */
function localRow(pat: Int32Array, nodeV: Int32Array, target: number): number {
  let local = 0;
  for (const i of pat) {
    if (i === target) return local;
    local += nodeV[i];
  }
  throw new Error(`internal: node ${target} missing from a pattern`);
}

/**
 * Number of sparse columns: the split s ≥ nl1 (block 1 never fills in, so it is always sparse)
 * that minimises the estimated flops, SPARSE_FLOP_COST · Σ_{j<s} v_j m_j² for the sparse panels
 * plus t³/3 for a dense factor of the trailing t rows, among the splits whose trailing levels
 * really are dense: at least half of their pairs are non-zero in L (so a nested factor, whose
 * levels never meet, never becomes a dense block, however small).
 */
function chooseTail(
  pattern: Int32Array[],
  nodeV: Int32Array,
  nodeRow: Int32Array,
  nl1: number,
  nNodes: number,
  nRows: number,
  p: number,
): number {
  // pairs[s]: node pairs (i < j, both ≥ s) with j in the pattern of i
  const pairs = new Float64Array(nNodes + 1);
  for (let s = nNodes - 1; s >= 0; s--) pairs[s] = pairs[s + 1] + pattern[s].length;
  let best = nNodes;
  let bestCost = Infinity;
  let sparseCost = 0;
  for (let j = 0; j < nl1; j++) sparseCost += panelCost(pattern[j], nodeV, j, p);
  for (let s = nl1; s <= nNodes; s++) {
    const nt = nNodes - s;
    const dense = nt === 0 || (nt >= 2 && pairs[s] >= (0.5 * nt * (nt - 1)) / 2);
    const t = nRows - (s < nNodes ? nodeRow[s] : nRows - p - 1);
    const cost = SPARSE_FLOP_COST * sparseCost + (t * t * t) / 3;
    if (dense && cost < bestCost) {
      bestCost = cost;
      best = s;
    }
    if (s < nNodes) sparseCost += panelCost(pattern[s], nodeV, s, p);
  }
  return best;
}

function panelCost(pat: Int32Array, nodeV: Int32Array, j: number, p: number): number {
  let m = nodeV[j] + p + 1;
  for (const i of pat) m += nodeV[i];
  return nodeV[j] * m * m;
}
