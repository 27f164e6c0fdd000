/** lme4's isSingular: some θ element with a lower bound of 0 is (nearly) at that bound. */
export function isSingular(
  lower: readonly number[],
  theta: readonly number[],
  tol = 1e-4,
): boolean {
  return theta.some((th, i) => lower[i] === 0 && th < tol);
}
