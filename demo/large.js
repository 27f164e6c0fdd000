/**
 * The "large data" example: n binary responses in G groups from a random-intercept logistic
 * model, logit P(y = 1) = -0.5 + 0.8 x + b_g with b_g ~ N(0, 0.5²), x ~ N(0, 1), g = i mod G.
 * Generated in the page as typed arrays (so they can be transferred to the worker, not copied)
 * with a seeded generator, so every run fits the same data.
 */

export const LARGE_FORMULA = 'y ~ x + (1 | g)';
export const LARGE_TRUTH = { intercept: -0.5, slope: 0.8, sd: 0.5 };

/** A small linear congruential generator (Numerical Recipes constants): reproducible, fast. */
function uniforms(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/** Standard normal by Box–Muller on the generator above. */
function normals(u) {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** { y: Float64Array (0/1), x: Float64Array, g: Int32Array } with n rows and G groups. */
export function largeBinaryData(n = 1_000_000, G = 10_000, seed = 20261203) {
  const u = uniforms(seed);
  const z = normals(u);
  const b = Float64Array.from({ length: G }, () => LARGE_TRUTH.sd * z());
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const g = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    g[i] = i % G;
    x[i] = z();
    const eta = LARGE_TRUTH.intercept + LARGE_TRUTH.slope * x[i] + b[g[i]];
    y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { y, x, g };
}
