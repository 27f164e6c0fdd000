// Adaptive Gauss–Hermite quadrature for vector random effects on one grouping factor (v <= 3
// effects per level): the per-node steps of the product rule over all groups at once, on f64 /
// i32 arrays addressed by BYTE pointers. The host (src/model/agq-vector.ts) computes the rule,
// the per-group scales and the node's z; the contract is AgqKernels in src/backend/kernels.ts,
// with its TypeScript twin in src/backend/js/agq.ts. Nothing here allocates.

/**
 * u[g v + r] := u0[g v + r] + sum_c S_g[r + c v] z[c] for g < nGroups: the node z (v values)
 * moved to each group's mode u0_g and scaled by S_g (v×v column-major at scale + g v^2 doubles).
 */
export function agqShiftModes(
  nGroups: i32,
  v: i32,
  u0Ptr: usize,
  scalePtr: usize,
  zPtr: usize,
  uPtr: usize,
): void {
  const vv = <usize>(v * v);
  for (let g: i32 = 0; g < nGroups; g++) {
    const base = (<usize>(g * v)) << 3;
    const s = scalePtr + (((<usize>g) * vv) << 3);
    for (let r: i32 = 0; r < v; r++) {
      let x = load<f64>(u0Ptr + base + ((<usize>r) << 3));
      for (let c: i32 = 0; c < v; c++) {
        x += load<f64>(s + ((<usize>(r + c * v)) << 3)) * load<f64>(zPtr + ((<usize>c) << 3));
      }
      store<f64>(uPtr + base + ((<usize>r) << 3), x);
    }
  }
}

/**
 * out[g] := sum of values[i] over the i < n with group[i] = g, plus |u_g|^2 = sum_r u[g v + r]^2:
 * each group's conditional deviance at the node (values: the deviance residuals).
 */
export function agqGroupDeviance(
  n: i32,
  valuesPtr: usize,
  groupPtr: usize,
  nGroups: i32,
  v: i32,
  uPtr: usize,
  outPtr: usize,
): void {
  for (let g: i32 = 0; g < nGroups; g++) {
    const base = uPtr + ((<usize>(g * v)) << 3);
    let s: f64 = 0.0;
    for (let r: i32 = 0; r < v; r++) {
      const x = load<f64>(base + ((<usize>r) << 3));
      s += x * x;
    }
    store<f64>(outPtr + ((<usize>g) << 3), s);
  }
  for (let i: i32 = 0; i < n; i++) {
    const p = outPtr + ((<usize>load<i32>(groupPtr + ((<usize>i) << 2))) << 3);
    store<f64>(p, load<f64>(p) + load<f64>(valuesPtr + ((<usize>i) << 3)));
  }
}

// agqNodeAccumulate (one node: mult[g] += exp(logFactor - (devc[g] - devc0[g]) / 2), with logFactor
// summed over the dimensions) is the scalar rule's agqAccumulate of ./ghq, exported under the
// contract's name from ./index.
