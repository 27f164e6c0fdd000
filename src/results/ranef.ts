/** Conditional modes b = Λ u and their conditional standard deviations, per grouping factor. */
import type { BlockLayout } from '../model/layout';
import type { RanefGroup } from './types';

/**
 * ranef(m, condVar = TRUE): condval from b; condsd from σ² Var(b | y), with `varB` per block as
 * returned by conditionalVarB (divided by σ²).
 */
export function ranefGroups(
  lay: BlockLayout,
  b: Float64Array,
  varB: Float64Array[],
  sigma: number,
): RanefGroup[] {
  const out: RanefGroup[] = [];
  let off = 0;
  lay.blocks.forEach((blk, k) => {
    const v = blk.v;
    const condval = blk.colNames.map(() => new Array<number>(blk.nl));
    const condsd = blk.colNames.map(() => new Array<number>(blk.nl));
    for (let m = 0; m < blk.nl; m++) {
      for (let a = 0; a < v; a++) {
        condval[a][m] = b[off + m * v + a];
        condsd[a][m] = sigma * Math.sqrt(Math.max(0, varB[k][m * v * v + a + a * v]));
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
