#!/usr/bin/env node
/**
 * Real-browser tests of the browser bundle and the demo page: playwright-core driving Debian's
 * chromium (headless, fresh user-data dir), the page served by demo/serve.mjs on localhost.
 *
 *   node test/browser/run.mjs [--skip-large]      (npm run test:browser; needs npm run build)
 *
 * Screenshots and a JSON record of the measurements go to test-results/. Reference numbers:
 * lme4's cbpp fit with tight tolerances (test/fixtures/tight/cbpp_laplace.json, made by
 * make-tight.R there; 4 decimals) and lme4's default fit (test/fixtures/fits/cbpp_laplace.json,
 * made by test/fixtures/make-reference.R; 1e-3, as its optimizer stops early, and our deviance
 * must not exceed its own).
 * Closes with "N passed, N failed" and exits non-zero on any failure.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemoServer } from '../../demo/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const results = join(root, 'test-results');
const fixture = (p) => JSON.parse(readFileSync(join(root, 'test/fixtures', p), 'utf8'));
/** lme4's cbpp fit at tight tolerances: the optimum to ~1e-9, so 4 decimals are meaningful. */
const CBPP = fixture('tight/cbpp_laplace.json');
/** lme4's default fit, which stops early (deviance 184.0531 vs the optimum's 184.0526). */
const CBPP_DEFAULT = fixture('fits/cbpp_laplace.json');
const skipLarge = process.argv.includes('--skip-large');

/** Chromium: CHROMIUM env, else Debian's. */
const CHROMIUM =
  process.env.CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

const passed = [];
const failed = [];
const measured = {};

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed.push(name);
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed.push(name);
    console.log(
      `  ✗ ${name}\n      ${String(e?.stack ?? e)
        .split('\n')
        .join('\n      ')}`,
    );
  }
}

/** lme4's estimates rounded to 4 decimals, as the page must show them. */
function expectFixefShown(shown, label) {
  for (const [name, ref] of Object.entries(CBPP.fixef)) {
    check(name in shown, `${label}: ${name} missing (shown: ${Object.keys(shown).join(', ')})`);
    check(
      shown[name] === ref.toFixed(4),
      `${label}: ${name} shows ${shown[name]}, lme4 (tight) ${ref.toFixed(4)}`,
    );
    const d = Math.abs(Number(shown[name]) - CBPP_DEFAULT.fixef[name]);
    check(
      d < 1e-3,
      `${label}: ${name} shows ${shown[name]}, lme4 (default) ${CBPP_DEFAULT.fixef[name]}`,
    );
  }
}

/** Fixed effects computed in the page: lme4's (tight) to 4 decimals, lme4's default to 1e-3. */
function expectFixefClose(fixef, label) {
  for (const [ref, tol, what] of [
    [CBPP, 5e-5, 'lme4 (tight)'],
    [CBPP_DEFAULT, 1e-3, 'lme4 (default)'],
  ]) {
    for (const [name, value] of Object.entries(ref.fixef)) {
      const d = Math.abs(fixef[name] - value);
      check(d < tol, `${label}: ${name} = ${fixef[name]}, ${what} ${value} (|Δ| = ${d})`);
    }
  }
}

/** Resident memory (kB) of every process started with our user-data dir: the whole browser. */
function browserRssKb(profile) {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(profile)) continue;
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

async function openDemo(context, base) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`      [page error] ${e.message}`));
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

async function chooseExample(page, name) {
  await page.selectOption('#example', name);
  await page.waitForFunction(
    (n) => document.getElementById('data-info').textContent.startsWith(`${n}:`),
    name,
  );
}

/** Clicks Fit and waits until the status leaves 'running'. */
async function fitAndWait(page, timeout) {
  // the page sets data-fits when a fit ends, however it ends
  const before = await page.$eval('#status', (s) => Number(s.dataset.fits ?? 0));
  await page.click('#fit');
  await page.waitForFunction(
    (n) => Number(document.getElementById('status').dataset.fits ?? 0) > n,
    before,
    {
      timeout,
    },
  );
  return page.$eval('#status', (s) => ({ state: s.dataset.state, text: s.textContent }));
}

function shownFixef(page) {
  return page.$$eval('#fixef tbody tr', (rows) =>
    Object.fromEntries(rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])),
  );
}

/** Number of points drawn in a figure's SVG, and the count the page says it drew. */
function plotMarks(page, id) {
  return page.$eval(`#${id}`, (f) => ({
    circles: f.querySelectorAll('svg circle').length,
    declared: Number(f.dataset.marks),
  }));
}

async function main() {
  check(CHROMIUM, 'chromium not found (apt-get install -y chromium, or set CHROMIUM)');
  check(existsSync(join(root, 'dist/browser.js')), 'dist/browser.js missing: run npm run build');
  mkdirSync(results, { recursive: true });
  const { server, url: base } = await startDemoServer(0);
  const profile = mkdtempSync(join(tmpdir(), 'glmm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 1000 },
  });
  console.log(
    `browser tests: ${CHROMIUM} (${context.browser()?.version() ?? 'persistent context'}), ${base}`,
  );
  try {
    await test('bundle: a plain HTML page imports dist/browser.js and fits cbpp', async () => {
      const page = await context.newPage();
      await page.goto(`${base}plain.html`);
      await page.waitForFunction(() => window.plainResult, null, { timeout: 60_000 });
      const r = await page.evaluate(() => window.plainResult);
      check(r.backend.startsWith('wasm'), `backend ${r.backend}, expected wasm`);
      expectFixefClose(r.fixef, 'plain page');
      await page.screenshot({ path: join(results, 'plain-page.png'), fullPage: true });
      await page.close();
    });

    await test('bundle: a consumer bundled by esbuild without configuration fits cbpp', async () => {
      const out = join(results, 'consumer.js');
      execFileSync(
        join(root, 'node_modules/.bin/esbuild'),
        [join(here, 'consumer/main.js'), '--bundle', `--outfile=${out}`, '--log-level=error'],
        { cwd: root },
      );
      const code = readFileSync(out, 'utf8');
      // only the bootstrap's worker source text (a string run by Node) may name a node: module
      const scanned = code.replace(
        "const { parentPort, workerData } = require('node:worker_threads');",
        '',
      );
      const imports =
        scanned.match(/(?:\bimport\s*\(|\bfrom|\brequire\()\s*["']node:[a-z_/]+/g) ?? [];
      check(imports.length === 0, `node: imports in the consumer bundle: ${imports.join(', ')}`);
      const page = await context.newPage();
      await page.goto(`${base}plain.html`); // any page of the origin, for fetch('/data/...')
      await page.addScriptTag({ content: code });
      const r = await page.evaluate(() => window.consumerResult);
      check(!r.error, `consumer failed: ${r.error}`);
      check(r.backend.startsWith('wasm'), `backend ${r.backend}, expected wasm`);
      expectFixefClose(r.fixef, 'esbuild consumer');
      await page.close();
    });

    await test('demo: formula syntax errors show their position', async () => {
      const page = await openDemo(context, base);
      await chooseExample(page, 'sleepstudy');
      await page.fill('#formula', 'Reaction ~ Days + (Days | Subject');
      await page.waitForSelector('#formula-error:not([hidden])');
      const err = await page.$eval('#formula-error', (e) => ({
        text: e.textContent,
        position: Number(e.dataset.position),
        marked: e.querySelector('mark') !== null,
      }));
      check(err.marked, `no highlighted position in: ${err.text}`);
      check(
        err.position >= 17 && err.position <= 33,
        `position ${err.position} not in the open parenthesis`,
      );
      await page.screenshot({ path: join(results, 'formula-error.png') });
      await page.fill('#formula', 'Reaction ~ Dayz + (Days | Subject)');
      await page.waitForFunction(() =>
        /unknown column 'Dayz'/.test(document.getElementById('formula-error').textContent),
      );
      await page.fill('#formula', 'Reaction ~ Days + (Days | Subject)');
      await page.waitForSelector('#formula-error[hidden]', { state: 'attached' });
      await page.close();
    });

    await test('demo: cbpp in the worker shows lme4 fixed effects to 4 decimals and the plots', async () => {
      const page = await openDemo(context, base);
      await chooseExample(page, 'cbpp');
      const status = await fitAndWait(page, 120_000);
      const err = await page.$eval('#fit-error', (e) => e.textContent);
      check(status.state === 'done', `status ${status.state}: ${status.text} ${err}`);
      expectFixefShown(await shownFixef(page), 'demo page');
      const varcorr = await page.$$eval('#varcorr tbody tr', (rows) =>
        rows.map((r) => r.cells[3].textContent),
      );
      check(
        varcorr[0] === CBPP.varcorr[0].sdcor.toFixed(4),
        `herd sd shows ${varcorr[0]}, lme4 ${CBPP.varcorr[0].sdcor.toFixed(4)}`,
      );
      const cat = await plotMarks(page, 'plot-caterpillar');
      check(
        cat.circles === CBPP.ngrps.herd && cat.declared === cat.circles,
        `caterpillar: ${JSON.stringify(cat)}, expected 15`,
      );
      const segments = await page.$$eval(
        '#plot-caterpillar svg path, #plot-caterpillar svg line',
        (e) => e.length,
      );
      check(segments >= CBPP.ngrps.herd, `caterpillar: ${segments} interval marks`);
      for (const id of ['plot-observed', 'plot-residuals']) {
        const m = await plotMarks(page, id);
        check(
          m.circles === CBPP.nobs && m.declared === CBPP.nobs,
          `${id}: ${JSON.stringify(m)}, expected ${CBPP.nobs}`,
        );
      }
      await page.screenshot({ path: join(results, 'cbpp-fit.png'), fullPage: true });
      await page.close();
    });

    await test('demo: cancelling a long fit returns to idle, shows nothing, and a new fit works', async () => {
      const page = await openDemo(context, base);
      await page.click('#large');
      await page.waitForFunction(() =>
        document.getElementById('data-info').textContent.startsWith('large:'),
      );
      await page.click('#fit');
      await page.waitForFunction(
        () => /optimize · [1-9]/.test(document.getElementById('status').textContent),
        null,
        {
          timeout: 120_000,
        },
      );
      await page.click('#cancel');
      await page.waitForFunction(
        () => document.getElementById('status').dataset.state !== 'running',
        null,
        {
          timeout: 30_000,
        },
      );
      const after = await page.evaluate(() => ({
        state: document.getElementById('status').dataset.state,
        text: document.getElementById('status').textContent,
        results: !document.getElementById('results').hidden,
        error: !document.getElementById('fit-error').hidden,
        cancelDisabled: document.getElementById('cancel').disabled,
      }));
      check(
        after.state === 'idle' && after.text === 'cancelled',
        `after cancel: ${JSON.stringify(after)}`,
      );
      check(
        !after.results && !after.error && after.cancelDisabled,
        `after cancel: ${JSON.stringify(after)}`,
      );
      await page.screenshot({ path: join(results, 'cancelled.png') });
      await chooseExample(page, 'cbpp');
      const status = await fitAndWait(page, 120_000);
      check(status.state === 'done', `refit after cancel: ${status.text}`);
      expectFixefShown(await shownFixef(page), 'after cancel');
      await page.close();
    });

    if (!skipLarge) {
      await test('demo: 1,000,000 rows, 10,000 groups, y ~ x + (1 | g) in the worker; page responsive', async () => {
        const page = await openDemo(context, base);
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        await page.click('#large');
        await page.waitForFunction(() =>
          document.getElementById('data-info').textContent.startsWith('large:'),
        );
        let peakRss = browserRssKb(profile);
        let peakHeap = 0;
        const sampler = setInterval(async () => {
          peakRss = Math.max(peakRss, browserRssKb(profile));
          try {
            const { metrics } = await cdp.send('Performance.getMetrics');
            const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
            peakHeap = Math.max(peakHeap, used);
          } catch {
            // the session closes with the page
          }
        }, 250);
        let status;
        try {
          status = await fitAndWait(page, 15 * 60_000);
        } finally {
          clearInterval(sampler);
        }
        const err = await page.$eval('#fit-error', (e) => e.textContent);
        check(status.state === 'done', `status ${status.state}: ${status.text} ${err}`);
        const info = await page.evaluate(() => ({
          ...window.lastFit,
          memory: performance.memory
            ? {
                usedJSHeapSize: performance.memory.usedJSHeapSize,
                totalJSHeapSize: performance.memory.totalJSHeapSize,
              }
            : null,
        }));
        const fixef = await shownFixef(page);
        const fps = info.timing.frames / (info.timing.ms / 1000);
        Object.assign(measured, {
          large: {
            rows: info.nobs,
            fitSeconds: info.timing.ms / 1000,
            framesDuringFit: info.timing.frames,
            framesPerSecond: fps,
            longestFrameGapMs: info.timing.maxGapMs,
            pageJsHeapPeakMB: peakHeap / 2 ** 20,
            browserRssPeakMB: peakRss / 1024,
            fixef,
          },
        });
        console.log(`      ${JSON.stringify(measured.large)}`);
        check(info.nobs === 1_000_000, `nobs ${info.nobs}`);
        // the generating model: intercept -0.5, slope 0.8 (estimates within a few standard errors)
        check(
          Math.abs(Number(fixef['(Intercept)']) + 0.5) < 0.05,
          `intercept ${fixef['(Intercept)']}`,
        );
        check(Math.abs(Number(fixef.x) - 0.8) < 0.02, `slope ${fixef.x}`);
        check(fps >= 10, `page not responsive: ${fps.toFixed(1)} frames/s during the fit`);
        const cat = await plotMarks(page, 'plot-caterpillar');
        check(
          cat.circles === cat.declared && cat.circles > 0,
          `caterpillar ${JSON.stringify(cat)}`,
        );
        await page.screenshot({ path: join(results, 'large-fit.png'), fullPage: true });
        await page.close();
      });
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
    writeFileSync(
      join(results, 'browser-results.json'),
      JSON.stringify({ passed, failed, measured }, null, 2),
    );
  }
  console.log(`browser: ${passed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
