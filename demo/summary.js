/** Summary tables of a fit result (fixed effects, random effects, fit statistics) as HTML. */

/** Formats like R's print: 4 significant digits past the decimal point for typical sizes. */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined) return '';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

function fillTable(table, head, rows) {
  table.replaceChildren();
  const tr = table.createTHead().insertRow();
  for (const h of head)
    tr.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
  const body = table.createTBody();
  for (const row of rows) {
    const r = body.insertRow();
    for (const cell of row) r.insertCell().textContent = cell;
  }
}

/** Fixed effects: estimate, standard error and Wald statistic (z for GLMMs, t for LMMs). */
export function renderFixef(table, fit) {
  const glmm = fit.family !== 'gaussian' || fit.link !== 'identity';
  const names = fit.fixefNames ?? Object.keys(fit.fixef);
  const rows = names.map((name) => {
    const est = fit.fixef[name];
    const se = fit.se?.[name];
    const stat = se > 0 ? est / se : NaN;
    return [name, fmt(est), fmt(se), fmt(stat, 3)];
  });
  fillTable(table, ['', 'Estimate', 'Std. Error', glmm ? 'z value' : 't value'], rows);
}

/** Random effects as lme4's VarCorr print: groups, names, variance, std.dev and correlations. */
export function renderVarCorr(table, fit) {
  const rows = [];
  for (const r of fit.varCorr) {
    if (r.term2 !== null && r.term2 !== undefined) {
      rows.push([r.group, `corr(${r.term}, ${r.term2})`, '', fmt(r.corr, 3)]);
    } else {
      rows.push([r.group, r.term ?? '', fmt(r.variance), fmt(r.sd)]);
    }
  }
  fillTable(table, ['Groups', 'Name', 'Variance', 'Std.Dev. / Corr'], rows);
}

/** Fit statistics: criterion, information criteria, sizes, optimizer and timings. */
export function renderStats(table, fit) {
  const groups = Object.entries(fit.ngrps ?? {})
    .map(([g, k]) => `${g}: ${k}`)
    .join(', ');
  const rows = [
    [
      'Method',
      fit.REML
        ? 'REML'
        : fit.nAGQ > 1
          ? `AGQ (nAGQ = ${fit.nAGQ})`
          : fit.nAGQ === 0
            ? 'nAGQ = 0'
            : fit.family === 'gaussian' && fit.link === 'identity'
              ? 'ML'
              : 'Laplace',
    ],
    ['Family (link)', `${fit.family} (${fit.link})`],
    ...(fit.REML ? [['REML criterion', fmt(fit.REMLcrit)]] : []),
    ['logLik', fmt(fit.logLik)],
    ['AIC', fmt(fit.AIC)],
    ['BIC', fmt(fit.BIC)],
    ['deviance', fmt(fit.deviance)],
    ['df.resid', String(fit.dfResid)],
    ['Observations', String(fit.nobs)],
    ['Groups', groups],
    ['Evaluations', String(fit.optimizer?.evaluations ?? '')],
    ['Converged', fit.converged === undefined ? '' : String(fit.converged)],
    ['Singular', String(fit.singular)],
    ['Backend', fit.backend ?? ''],
    ['Fit time', fit.timings ? `${(fit.timings.total / 1000).toFixed(2)} s` : ''],
  ];
  fillTable(table, ['', ''], rows);
}
