/**
 * The cluster layout of a GEE: the kept rows grouped by the `id` column (clusters in the sorted
 * order of their labels, as R's factor levels), and within a cluster ordered by `waves` when
 * given, else by row order. geepack takes each run of equal ids as a cluster and needs the data
 * sorted that way; grouping here makes the row order of the data irrelevant (a geepack fit of
 * the same data sorted by id gives the same numbers).
 */
import { DataError } from '../errors';
import { makeFactor, subsetFactor, type Factor } from '../frame/factor';
import { formatRNumber } from '../formula/parse';
import { makeTable, type RawColumn } from '../frame/table';
import type { DataInput } from '../frame/types';
import type { Corstr } from './options';

export interface ClusterLayout {
  /** Frame rows (indices into the model frame's kept rows) in cluster order. */
  order: Int32Array;
  /** Cluster c holds order[start[c]] .. order[start[c+1]-1]. */
  start: Int32Array;
  /** 1-based wave of each row in cluster order (its position in the cluster without `waves`). */
  wave: Float64Array;
  /** Distinct waves (geeglm's factor codes of `waves`), or the largest cluster without them. */
  nWaves: number;
  /** Labels of waves 1..nWaves (the `waves` values, or positions 1, 2, ...). */
  waveLabels: string[];
  /** Cluster labels, in cluster order. */
  labels: string[];
  /** Size of the largest cluster. */
  maxSize: number;
}

/**
 * Groups the kept rows (`rowIndex`: the frame's rows in the caller's data) into clusters.
 * Throws DataError when a cluster repeats a wave under ar1 or unstructured (the working
 * correlation then has no order to follow).
 */
export function clusterLayout(
  data: DataInput,
  rowIndex: Int32Array,
  id: string,
  waves: string | undefined,
  corstr: Corstr,
): ClusterLayout {
  const table = makeTable(data);
  const idFactor = keptFactor(table.column(id), id, rowIndex);
  const waveFactor = waves === undefined ? null : keptFactor(table.column(waves), waves, rowIndex);
  const n = rowIndex.length;
  const nClusters = idFactor.levels.length;
  // counting sort by cluster: stable, so row order survives within a cluster
  const start = new Int32Array(nClusters + 1);
  for (let i = 0; i < n; i++) start[idFactor.codes[i] + 1]++;
  for (let c = 0; c < nClusters; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nClusters);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[idFactor.codes[i]]++] = i;
  const wave = new Float64Array(n);
  let maxSize = 0;
  for (let c = 0; c < nClusters; c++) {
    const r0 = start[c];
    const r1 = start[c + 1];
    maxSize = Math.max(maxSize, r1 - r0);
    if (waveFactor === null) {
      for (let k = r0; k < r1; k++) wave[k] = k - r0 + 1;
      continue;
    }
    const rows = Array.from(order.subarray(r0, r1)).sort(
      (a, b) => waveFactor.codes[a] - waveFactor.codes[b] || a - b,
    );
    for (let k = r0; k < r1; k++) {
      order[k] = rows[k - r0];
      wave[k] = waveFactor.codes[order[k]] + 1;
      if (k > r0 && wave[k] === wave[k - 1] && (corstr === 'ar1' || corstr === 'unstructured')) {
        throw new DataError(
          `cluster '${idFactor.levels[c]}' has two rows with ${waves} = ${
            waveFactor.levels[wave[k] - 1]
          } (rows ${rowIndex[order[k - 1]] + 1} and ${rowIndex[order[k]] + 1}); ${corstr} needs distinct waves within a cluster`,
          waves,
          rowIndex[order[k]] + 1,
        );
      }
    }
  }
  return {
    order,
    start,
    wave,
    nWaves: waveFactor === null ? maxSize : waveFactor.levels.length,
    waveLabels:
      waveFactor === null
        ? Array.from({ length: maxSize }, (_, k) => String(k + 1))
        : waveFactor.levels,
    labels: idFactor.levels,
    maxSize,
  };
}

/**
 * The factor of a column over the kept rows (levels in R's order, unused ones dropped). A
 * numeric column (the usual id) is coded from its sorted distinct values directly: a label
 * string per row, as makeFactor builds, costs more than the whole fit on a million rows.
 */
function keptFactor(col: RawColumn, name: string, rowIndex: Int32Array): Factor {
  if (col.kind !== 'numeric') return subsetFactor(makeFactor(col, name), rowIndex);
  const n = rowIndex.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = col.values[rowIndex[i]];
  const distinct = Float64Array.from(new Set(values)).sort();
  const code = new Map<number, number>();
  distinct.forEach((v, k) => code.set(v, k));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = code.get(values[i]) as number;
  return { codes, levels: Array.from(distinct, formatRNumber) };
}
