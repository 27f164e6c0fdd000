/** Test problems shared by the optimizer tests. */

export const unbounded = (n: number) => ({
  lower: new Array<number>(n).fill(-Infinity),
  upper: new Array<number>(n).fill(Infinity),
});

/** Extended Rosenbrock function: minimum 0 at (1, ..., 1). */
export function rosenbrock(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  }
  return s;
}

/** Wraps f so that the number of calls can be checked against the reported count. */
export function counted(f: (x: readonly number[]) => number) {
  const wrapper = (x: readonly number[]) => {
    wrapper.calls++;
    return f(x);
  };
  wrapper.calls = 0;
  return wrapper;
}

/** Deterministic pseudo-random numbers (LCG), so that test data are fixed. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A one-parameter profiled deviance of the lmer kind (one random-effect variance, relative
 * standard deviation t >= 0, eigenvalues a_i of Z'Z, rotated responses y_i):
 *   d(t) = sum_i log(1 + t^2 a_i) + n log(sum_i y_i^2 / (1 + t^2 a_i)).
 */
export function profiledDeviance(a: readonly number[], y: readonly number[]) {
  const n = a.length;
  return (x: readonly number[]): number => {
    const t2 = x[0] * x[0];
    let logdet = 0;
    let rss = 0;
    for (let i = 0; i < n; i++) {
      const s = 1 + t2 * a[i];
      logdet += Math.log(s);
      rss += (y[i] * y[i]) / s;
    }
    return logdet + n * Math.log(rss);
  };
}

/**
 * Reference minimizer of a 1-D function on [lo, hi]: a dense grid to bracket the global minimum,
 * then golden-section search down to the resolution of doubles.
 */
export function referenceMin1D(g: (t: number) => number, lo: number, hi: number, grid = 20000) {
  let best = lo;
  let fbest = g(lo);
  for (let i = 1; i <= grid; i++) {
    const t = lo + ((hi - lo) * i) / grid;
    const v = g(t);
    if (v < fbest) {
      fbest = v;
      best = t;
    }
  }
  const h = (hi - lo) / grid;
  let a = Math.max(lo, best - h);
  let b = Math.min(hi, best + h);
  const r = (Math.sqrt(5) - 1) / 2;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = g(c);
  let fd = g(d);
  for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = g(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = g(d);
    }
  }
  const candidates = [a, b, c, d, lo, best];
  let t = candidates[0];
  for (const u of candidates) if (g(u) < g(t)) t = u;
  return { t, f: g(t) };
}
