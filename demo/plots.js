/**
 * Diagnostic plots with Observable Plot (global `Plot`, vendored): caterpillar plot of the
 * conditional modes with ±1.96 conditional-sd intervals, observed vs fitted, residuals vs fitted.
 * Large fits are thinned to a fixed number of evenly spaced marks so the SVG stays light; the
 * caption says so. Each figure carries data-marks = the number of points drawn (the browser
 * tests compare it with the SVG's circles).
 */

/** Most levels drawn in a caterpillar plot, most points in a scatter plot. */
export const MAX_LEVELS = 1000;
export const MAX_POINTS = 5000;

/** Evenly spaced indices 0..n-1, at most `max` of them (all when n <= max). */
export function thin(n, max) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.floor((k * n) / max));
}

function place(figure, caption, svg, marks) {
  figure.replaceChildren(
    Object.assign(document.createElement('figcaption'), { textContent: caption }),
    svg,
  );
  figure.dataset.marks = String(marks);
}

/** Caterpillar plot of the first term of the first grouping factor, levels sorted by mode. */
export function caterpillar(figure, fit) {
  const re = fit.ranef?.[0];
  if (!re) {
    figure.replaceChildren();
    figure.dataset.marks = '0';
    return;
  }
  const t = 0;
  const all = re.levels
    .map((level, j) => ({ level, mode: re.condval[t][j], sd: re.condsd[t][j] }))
    .sort((a, b) => a.mode - b.mode);
  const rows = thin(all.length, MAX_LEVELS).map((i) => ({ ...all[i], rank: i + 1 }));
  const few = all.length <= 60;
  const svg = Plot.plot({
    width: 460,
    height: few ? Math.max(200, 16 * rows.length + 40) : 360,
    marginLeft: few ? 70 : 50,
    x: { label: `conditional mode of ${re.terms[t]} (±1.96 sd)`, grid: true },
    y: few
      ? { label: re.group, domain: rows.map((r) => r.level) }
      : { label: `${re.group} (rank of mode)` },
    marks: [
      Plot.ruleX([0], { stroke: '#999' }),
      Plot.link(rows, {
        x1: (r) => r.mode - 1.96 * r.sd,
        x2: (r) => r.mode + 1.96 * r.sd,
        y1: few ? 'level' : 'rank',
        y2: few ? 'level' : 'rank',
        stroke: '#4682b4',
        strokeOpacity: few ? 1 : 0.35,
      }),
      Plot.dot(rows, { x: 'mode', y: few ? 'level' : 'rank', r: few ? 3 : 1.5, fill: '#1f3f66' }),
    ],
  });
  const shown = rows.length < all.length ? ` (${rows.length} of ${all.length} levels)` : '';
  place(figure, `Conditional modes: ${re.group}, ${re.terms[t]}${shown}`, svg, rows.length);
}

function scatter(figure, caption, points, xLabel, yLabel, ref) {
  const svg = Plot.plot({
    width: 360,
    height: 320,
    grid: true,
    x: { label: xLabel },
    y: { label: yLabel },
    marks: [
      ref,
      Plot.dot(points, { x: (d) => d[0], y: (d) => d[1], r: 2, fill: '#1f3f66', fillOpacity: 0.5 }),
    ],
  });
  const n = figure.dataset.total;
  place(
    figure,
    points.length < n ? `${caption} (${points.length} of ${n} points)` : caption,
    svg,
    points.length,
  );
}

/**
 * Observed vs fitted (response scale) and residuals vs fitted: Pearson residuals when the fit has
 * them (as lme4's plot(m)), else y − fitted. `observed` = {idx, y}: the response of the rows
 * idx (indices into the fit's rows, `thin(nobs, MAX_POINTS)`), taken in the page before the fit.
 */
export function diagnostics(observedFigure, residualFigure, fit, observed) {
  const n = fit.fitted.length;
  const resids = fit.pearsonResiduals ?? fit.residuals;
  const idx = thin(n, MAX_POINTS);
  const resid = idx.map((i) => [fit.fitted[i], resids[i]]);
  observedFigure.dataset.total = residualFigure.dataset.total = String(n);
  const obs = observed ? observed.idx.map((i, k) => [fit.fitted[i], observed.y[k]]) : [];
  const ends = obs.flat();
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const line = obs.length
    ? [
        [lo, lo],
        [hi, hi],
      ]
    : [];
  const diagonal = Plot.line(line, { stroke: '#c33' });
  scatter(observedFigure, 'Observed vs fitted', obs, 'fitted', 'observed', diagonal);
  const label = fit.pearsonResiduals ? 'Pearson residual' : 'residual';
  const zero = Plot.ruleY([0], { stroke: '#c33' });
  scatter(residualFigure, `Residuals vs fitted`, resid, 'fitted', label, zero);
}
