/**
 * The demo page: data (example, CSV file or drop, generated large data) -> formula and family
 * controls -> fit in a worker (progress, cancel) -> summary tables and plots.
 * Everything statistical comes from the library's browser bundle; this file is only UI.
 */
import {
  FormulaSyntaxError,
  UnknownColumnError,
  buildModelFrame,
  parseCsv,
} from '/dist/browser.js';
import { fitInBackground } from './fit-client.js';
import { LARGE_FORMULA, largeBinaryData } from './large.js';
import { MAX_POINTS, caterpillar, diagnostics, thin } from './plots.js';
import { renderFixef, renderStats, renderVarCorr } from './summary.js';

/** Suggested model per bundled example (what the reference fits use). */
const EXAMPLES = {
  cbpp: {
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    family: 'binomial',
    factors: 'period',
  },
  sleepstudy: { formula: 'Reaction ~ Days + (Days | Subject)', family: 'gaussian' },
  dyestuff: { formula: 'Yield ~ 1 + (1 | Batch)', family: 'gaussian' },
  dyestuff2: { formula: 'Yield ~ 1 + (1 | Batch)', family: 'gaussian' },
  penicillin: { formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)', family: 'gaussian' },
  pastes: { formula: 'strength ~ 1 + (1 | batch/cask)', family: 'gaussian' },
  epil: { formula: 'y ~ trt + lbase + lage + (1 | subject)', family: 'poisson' },
  rcbd_counts: { formula: 'count ~ trt + (1 | block) + (1 | block:trt)', family: 'poisson' },
  gamma_sim: { formula: 'y ~ x + (1 | g)', family: 'Gamma', link: 'log' },
  clinics: {
    formula: 'cbind(fav, n - fav) ~ trt + (1 | clinic) + (1 | clinic:trt)',
    family: 'binomial',
  },
};

const $ = (id) => document.getElementById(id);
const ui = {
  example: $('example'),
  large: $('large'),
  file: $('file'),
  drop: $('drop'),
  dataInfo: $('data-info'),
  formula: $('formula'),
  formulaError: $('formula-error'),
  factors: $('factors'),
  family: $('family'),
  link: $('link'),
  reml: $('reml'),
  nagq: $('nagq'),
  fit: $('fit'),
  cancel: $('cancel'),
  progress: $('progress'),
  status: $('status'),
  elapsed: $('elapsed'),
  ticks: $('ticks'),
  fitError: $('fit-error'),
  results: $('results'),
};

/** Current data: a column table, its name and row count. */
let data = null;
let dataName = '';
let running = null;

function setStatus(state, text = state) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function setData(table, name, note = '') {
  data = table;
  dataName = name;
  const cols = Object.keys(table);
  const n = cols.length ? table[cols[0]].length : 0;
  ui.dataInfo.dataset.state = 'loaded';
  ui.dataInfo.textContent = `${name}: ${n.toLocaleString('en')} rows; columns ${cols.join(', ')}${note}`;
  ui.fit.disabled = running !== null;
  checkFormula();
}

function showError(el, message) {
  el.hidden = !message;
  el.textContent = message ?? '';
}

// --- data sources ---------------------------------------------------------------------------

async function loadExample(name) {
  const text = await (await fetch(`/data/${name}.csv`)).text();
  const ex = EXAMPLES[name];
  if (ex) {
    ui.formula.value = ex.formula;
    ui.family.value = ex.family;
    ui.link.value = ex.link ?? '';
    ui.factors.value = ex.factors ?? '';
    syncMethodControls();
  }
  setData(parseCsv(text), name);
}

async function loadFile(file) {
  try {
    setData(parseCsv(await file.text()), file.name.replace(/\.csv$/i, ''));
  } catch (e) {
    ui.dataInfo.dataset.state = 'error';
    ui.dataInfo.textContent = `${file.name}: ${e.message}`;
  }
}

function loadLarge() {
  const t0 = performance.now();
  const table = largeBinaryData();
  ui.formula.value = LARGE_FORMULA;
  ui.family.value = 'binomial';
  ui.link.value = '';
  ui.nagq.value = '1';
  syncMethodControls();
  setData(table, 'large', ` (generated in ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
}

// --- formula check as you type --------------------------------------------------------------

/** A few rows of the data: enough to check the formula's syntax and column names instantly. */
function sample(table, k = 50) {
  return Object.fromEntries(Object.entries(table).map(([c, v]) => [c, Array.from(v.slice(0, k))]));
}

/** Shows a syntax error with the offending character highlighted in the formula. */
function showSyntaxError(e) {
  const f = e.formula;
  const at = Math.min(e.position, f.length);
  const first = e.message.split('\n')[0];
  ui.formulaError.replaceChildren(
    `${first}\n`,
    f.slice(0, at),
    Object.assign(document.createElement('mark'), { textContent: f.slice(at, at + 1) || ' ' }),
    f.slice(at + 1),
  );
  ui.formulaError.dataset.position = String(e.position);
  ui.formulaError.hidden = false;
}

/** Numeric columns the user asked to treat as categorical (comma- or space-separated). */
function factorNames() {
  return ui.factors.value.split(/[\s,]+/).filter(Boolean);
}

function checkFormula() {
  const formula = ui.formula.value.trim();
  ui.formulaError.hidden = true;
  delete ui.formulaError.dataset.position;
  if (!formula || !data) return true;
  try {
    buildModelFrame(formula, sample(data), { factors: factorNames() });
  } catch (e) {
    if (e instanceof FormulaSyntaxError) {
      showSyntaxError(e);
      return false;
    }
    if (e instanceof UnknownColumnError) {
      showError(ui.formulaError, e.message);
      return false;
    }
    // other problems (too few levels in 50 rows, ...) are judged by the real fit
  }
  return true;
}

// --- fitting --------------------------------------------------------------------------------

function syncMethodControls() {
  const lmm =
    ui.family.value === 'gaussian' && (ui.link.value === '' || ui.link.value === 'identity');
  ui.reml.disabled = !lmm;
  ui.nagq.disabled = lmm;
}

function fitSpec() {
  const family = ui.family.value;
  const lmm = family === 'gaussian' && (ui.link.value === '' || ui.link.value === 'identity');
  const options = { dataName };
  const factors = factorNames();
  if (factors.length) options.factors = factors;
  if (lmm) options.REML = ui.reml.value === 'true';
  else {
    options.family = family;
    if (ui.link.value) options.link = ui.link.value;
    options.nAGQ = Number(ui.nagq.value);
  }
  // the large example's columns are transferred to the worker (not copied); the page drops them
  const transfer = dataName === 'large';
  return {
    kind: lmm ? 'lmer' : 'glmer',
    formula: ui.formula.value.trim(),
    data,
    options,
    transfer,
  };
}

/**
 * The observed response of the rows the scatter plots show (thin(nobs, MAX_POINTS)), from the
 * library's own model frame. Before the fit (the large data are transferred away) only those
 * rows are framed, which is cheap; that is right when the fit drops no row (the fit says), and
 * a factor response (coded by its levels) or a fit with dropped rows uses the whole table.
 */
function observedResponse({ formula, data: table, options }, whole = false) {
  const frameOptions = { factors: options.factors ?? [] };
  if (whole) {
    const frame = buildModelFrame(formula, table, frameOptions);
    const idx = thin(frame.n, MAX_POINTS);
    return { idx, y: idx.map((i) => frame.response.y[i]), whole: true };
  }
  const n = Object.values(table)[0]?.length ?? 0;
  const idx = thin(n, MAX_POINTS);
  const rows = Object.fromEntries(Object.entries(table).map(([c, v]) => [c, idx.map((i) => v[i])]));
  const part = buildModelFrame(formula, rows, frameOptions);
  if (part.response.kind === 'factor')
    return observedResponse({ formula, data: table, options }, true);
  return { idx, y: part.response.y, whole: false };
}

/** Counts animation frames while a fit runs: the page is responsive when they keep coming. */
function frameCounter() {
  const t0 = performance.now();
  let frames = 0;
  let maxGap = 0;
  let last = t0;
  let id = 0;
  const tick = (t) => {
    frames++;
    maxGap = Math.max(maxGap, t - last);
    last = t;
    ui.elapsed.textContent = `${((t - t0) / 1000).toFixed(1)} s`;
    ui.ticks.textContent = `${frames} frames`;
    id = requestAnimationFrame(tick);
  };
  id = requestAnimationFrame(tick);
  return () => {
    cancelAnimationFrame(id);
    const ms = performance.now() - t0;
    return { ms, frames, maxGapMs: maxGap };
  };
}

function onProgress(p) {
  // The optimizer's evaluation budget is unknown in advance: the bar approaches 1 as evaluations grow.
  const evals = p.evaluations;
  ui.progress.value = evals / (evals + 40);
  const dev = Number.isFinite(p.deviance) ? ` · deviance ${p.deviance.toFixed(4)}` : '';
  setStatus('running', `${p.phase} · ${evals} evaluations${dev}`);
}

async function fit() {
  if (!data || running || !checkFormula()) return;
  const spec = fitSpec();
  const controller = new AbortController();
  running = controller;
  ui.fit.disabled = true;
  ui.cancel.disabled = false;
  ui.results.hidden = true;
  showError(ui.fitError, '');
  ui.progress.value = 0;
  setStatus('running', 'starting worker');
  const stop = frameCounter();
  let observedSample = null;
  try {
    observedSample = observedResponse(spec); // before the data are transferred away
    const result = await fitInBackground(spec, { signal: controller.signal, onProgress });
    const timing = stop();
    window.lastFit = { timing, ms: timing.ms, nobs: result.nobs };
    if (result.nDropped > 0 && !observedSample.whole) {
      observedSample = spec.transfer ? null : observedResponse(spec, true);
    }
    show(result, observedSample);
    ui.progress.value = 1;
    setStatus('done', `done in ${(timing.ms / 1000).toFixed(2)} s`);
  } catch (e) {
    const timing = stop();
    ui.progress.value = 0;
    if (controller.signal.aborted) {
      setStatus('idle', 'cancelled');
    } else {
      setStatus('error', 'error');
      showError(ui.fitError, `${e.name ?? 'Error'}: ${e.message}`);
    }
    window.lastFit = { timing, error: e.message };
  } finally {
    if (spec.transfer) data = null;
    ui.status.dataset.fits = String(Number(ui.status.dataset.fits ?? 0) + 1);
    running = null;
    ui.cancel.disabled = true;
    ui.fit.disabled = data === null;
    if (data === null)
      ui.dataInfo.textContent += ' — transferred to the worker; generate again to refit';
  }
}

function show(result, observed) {
  const kind = result.family === 'gaussian' && result.link === 'identity' ? 'lmer' : 'glmer';
  $('fit-title').textContent = `${kind}(${result.formula}) on ${result.dataName ?? dataName}`;
  renderFixef($('fixef'), result);
  renderVarCorr($('varcorr'), result);
  renderStats($('stats'), result);
  $('messages').textContent = (result.messages ?? []).join('\n');
  ui.results.hidden = false;
  caterpillar($('plot-caterpillar'), result);
  diagnostics($('plot-observed'), $('plot-residuals'), result, observed);
}

// --- wiring ---------------------------------------------------------------------------------

async function init() {
  const list = await (await fetch('/data/index.json')).json();
  for (const { name } of list) ui.example.add(new Option(name, name));
  ui.example.addEventListener('change', () => ui.example.value && loadExample(ui.example.value));
  ui.large.addEventListener('click', loadLarge);
  ui.file.addEventListener('change', () => ui.file.files[0] && loadFile(ui.file.files[0]));
  ui.drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    ui.drop.classList.add('over');
  });
  ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
  ui.drop.addEventListener('drop', (e) => {
    e.preventDefault();
    ui.drop.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (file) loadFile(file);
  });
  ui.formula.addEventListener('input', checkFormula);
  ui.factors.addEventListener('input', checkFormula);
  ui.family.addEventListener('change', syncMethodControls);
  ui.link.addEventListener('change', syncMethodControls);
  ui.fit.addEventListener('click', fit);
  ui.cancel.addEventListener('click', () => running?.abort());
  syncMethodControls();
  document.body.dataset.ready = 'true';
}

init();
