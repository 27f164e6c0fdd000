/** A small deterministic data set used by the input-error suites. */

/** 6 groups × 4 observations: a covariate, a Gaussian, 0/1, count and positive response. */
export function small(): Record<string, (number | string | null)[]> {
  const g: string[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const pos: number[] = [];
  for (let i = 0; i < 24; i++) {
    g.push(`g${Math.floor(i / 4)}`);
    const xi = ((i * 7) % 11) / 10;
    x.push(xi);
    y.push(1 + 0.5 * xi + ((i * 13) % 7) / 5 + Math.floor(i / 4) * 0.3);
    b.push((i * 5) % 3 === 0 ? 1 : 0);
    c.push((i * 3) % 5);
    pos.push(0.5 + ((i * 3) % 5));
  }
  return { g, x, y, b, c, pos };
}
