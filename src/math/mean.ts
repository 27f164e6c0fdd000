/** The mean with one correction pass: exact to rounding even for values such as x + 1e9. */
export function accurateMean(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  let m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += x[i] - m;
  m += r / n;
  return m;
}
