/**
 * Adaptive Gauss–Hermite quadrature sums over grouping levels: port of assembly/ghq.ts's
 * groupSums (the contract's kernel; see GlmKernels in ../kernels.ts) over typed arrays.
 */

/**
 * out[g] := sum of values[i] over the i < n with group[i] = g, plus extra[g]^2 when `extra` is
 * given (the u_g^2 term); out has nGroups entries and is overwritten.
 */
export function groupSums(
  n: number,
  values: Float64Array,
  group: Int32Array,
  nGroups: number,
  out: Float64Array,
  extra: Float64Array | null,
): void {
  for (let g = 0; g < nGroups; g++) out[g] = extra === null ? 0 : extra[g] * extra[g];
  for (let i = 0; i < n; i++) out[group[i]] += values[i];
}
