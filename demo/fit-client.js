/**
 * Runs one fit off the main thread with the library's `fitInWorker` (module Web Worker):
 * data transferred, progress events, cancellation by AbortSignal, errors with their class.
 * This file only adapts the page's spec and the result to the library's API.
 */
import * as glmm from '/dist/browser.js';

/**
 * @param spec {fn: 'lmer' | 'glmer', formula, data, options}
 * @param opts {signal, onProgress, transfer}: transfer = hand the typed-array columns to the
 *   worker (they are unusable in the page afterwards)
 * @returns the fit as plain data (fields of MerFitData)
 */
export async function fitInBackground(spec, { signal, onProgress, transfer = false }) {
  if (typeof glmm.fitInWorker !== 'function') {
    throw new Error('this build of glmm-wasm has no fitInWorker');
  }
  return glmm.fitInWorker({ ...spec, transfer }, { signal, onProgress });
}
