/**
 * Runs one fit off the main thread with the library's `fitInWorker` (a module Web Worker,
 * dist/worker.js beside the bundle): data transferred, progress events, cancellation by
 * AbortSignal, errors rethrown with their class. This file only adapts the page's spec.
 */
import { fitInWorker } from '/dist/browser.js';

/**
 * @param spec {kind: 'lmer' | 'glmer', formula, data, options, transfer}: transfer = hand the
 *   typed-array columns to the worker (no copy; they are unusable in the page afterwards)
 * @param opts {signal, onProgress}
 * @returns the fit (a MerFit without a live model: fixef, se, varCorr, ranef, fitted, ...)
 */
export function fitInBackground({ transfer, ...spec }, { signal, onProgress }) {
  return fitInWorker(spec, { signal, onProgress, keepData: transfer !== true });
}
