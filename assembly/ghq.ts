// Adaptive Gauss–Hermite quadrature sums over grouping levels (lme4's glmerAGQ), on f64 / i32
// arrays addressed by BYTE pointers. The rules themselves are computed on the host
// (src/model/ghq.ts); each node enters as its scalar logFactor = log(w_k) + z_k^2 / 2.
// groupSums is the contract's kernel (GlmKernels in src/backend/kernels.ts; TypeScript port in
// src/backend/js/ghq.ts); agqAccumulate / agqPenalty are the same arithmetic as their namesakes
// in src/model/ghq.ts, which the host runs for a scalar term; agqAccumulate is also the vector
// rule's per-node kernel, exported as agqNodeAccumulate (assembly/index.ts, assembly/agq.ts).

/**
 * out[g] := sum of values[i] over the i < n with group[i] = g (group: i32 level indices), plus
 * extra[g]^2 when extraPtr != 0. out has nGroups doubles and is overwritten.
 */
export function groupSums(
  n: i32,
  valuesPtr: usize,
  groupPtr: usize,
  nGroups: i32,
  outPtr: usize,
  extraPtr: usize,
): void {
  for (let g: i32 = 0; g < nGroups; g++) {
    const o = (<usize>g) << 3;
    let v: f64 = 0.0;
    if (extraPtr != 0) {
      const u = load<f64>(extraPtr + o);
      v = u * u;
    }
    store<f64>(outPtr + o, v);
  }
  for (let i: i32 = 0; i < n; i++) {
    const g = <usize>load<i32>(groupPtr + ((<usize>i) << 2));
    const p = outPtr + (g << 3);
    store<f64>(p, load<f64>(p) + load<f64>(valuesPtr + ((<usize>i) << 3)));
  }
}

/** One node: mult[g] += exp(logFactor - (devc[g] - devc0[g]) / 2) for g < nGroups. */
export function agqAccumulate(
  nGroups: i32,
  devcPtr: usize,
  devc0Ptr: usize,
  logFactor: f64,
  multPtr: usize,
): void {
  for (let g: i32 = 0; g < nGroups; g++) {
    const o = (<usize>g) << 3;
    const d = load<f64>(devcPtr + o) - load<f64>(devc0Ptr + o);
    store<f64>(multPtr + o, load<f64>(multPtr + o) + Math.exp(logFactor - 0.5 * d));
  }
}

/** -2 sum_g log(mult[g]). */
export function agqPenalty(nGroups: i32, multPtr: usize): f64 {
  let s: f64 = 0.0;
  for (let g: i32 = 0; g < nGroups; g++) s += Math.log(load<f64>(multPtr + ((<usize>g) << 3)));
  return -2.0 * s;
}
