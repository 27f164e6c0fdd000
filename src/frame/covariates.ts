/**
 * The means of the numeric data columns the fixed-effects terms (and `offset()` terms) refer to,
 * over the rows the model uses: where emmeans' reference grid puts a covariate (`x` of `x`,
 * `log(x)`, `scale(x)` or `I(x^2)`: the grid evaluates those expressions at mean(x)).
 */
import { forEachNode, type Node } from '../formula/parse';
import { accurateMean } from '../math/mean';
import type { Table } from './table';

export function covariateMeans(
  table: Table,
  nodes: readonly Node[],
  rows: Int32Array,
): Record<string, number> {
  const out: Record<string, number> = {};
  const names = new Set<string>();
  for (const node of nodes) forEachNode(node, (n) => n.type === 'name' && names.add(n.name));
  for (const name of names) {
    if (!table.has(name)) continue;
    const col = table.column(name);
    if (col.kind !== 'numeric') continue;
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = col.values[rows[i]];
    out[name] = accurateMean(values);
  }
  return out;
}
