/** Conditional modes b = Λ u and their conditional standard deviations, per grouping factor. */
import type { BlockLayout } from '../model/layout';
import { fillT } from '../model/reblocks';
import type { RanefGroup } from './types';

/**
 * ranef(m, condVar = TRUE): condval from b; condsd from σ² T Var(u|y) Tᵀ, with `varU` per block
 * as returned by conditionalVarU (already divided by σ²).
 */
export function ranefGroups(
  lay: BlockLayout,
  theta: ArrayLike<number>,
  b: Float64Array,
  varU: Float64Array[],
  sigma: number,
): RanefGroup[] {
  const out: RanefGroup[] = [];
  let off = 0;
  [lay.first, ...lay.tailBlocks].forEach((blk, k) => {
    const v = blk.v;
    const tm = new Float64Array(v * v);
    fillT(blk, theta, tm, 0);
    const condval = blk.colNames.map(() => new Array<number>(blk.nl));
    const condsd = blk.colNames.map(() => new Array<number>(blk.nl));
    for (let m = 0; m < blk.nl; m++) {
      const vu = varU[k].subarray(m * v * v, (m + 1) * v * v);
      for (let a = 0; a < v; a++) {
        condval[a][m] = b[off + m * v + a];
        // (T Var Tᵀ)[a, a] = Σ_{c, d ≤ a} T[a, c] Var[c, d] T[a, d]
        let s = 0;
        for (let c = 0; c <= a; c++) {
          for (let d = 0; d <= a; d++) s += tm[a + c * v] * vu[c + d * v] * tm[a + d * v];
        }
        condsd[a][m] = sigma * Math.sqrt(Math.max(0, s));
      }
    }
    out.push({
      group: blk.group,
      terms: [...blk.colNames],
      levels: [...blk.levels],
      condval,
      condsd,
    });
    off += blk.nl * v;
  });
  return out;
}
