/** glmm-wasm public API. */
export { lmer, lmerSync, type LmerOptions, type LmmFit, type ProgressInfo } from './api/lmer';
export { glmer, glmerSync, type GlmerOptions, type GlmmFit } from './api/glmer';
export { MerFit } from './results/fit';
export type {
  MerFitData,
  VarCorrRow,
  RanefGroup,
  OptimizerSummary,
  Timings,
} from './results/types';
export type { DataInput, Column, FrameOptions, ModelFrame } from './frame/types';
export { buildModelFrame } from './frame/modelframe';
export { parseCsv } from './frame/csv';
export { createBackend, loadBackend, loadBackendSync, type BackendName } from './backend/load';
export * from './errors';
export {
  anova,
  type AnovaResult,
  type AnovaModel,
  type AnovaTest,
  type AnovaJson,
} from './inference/lrt';
export {
  confint,
  formatConfint,
  type ConfintOptions,
  type ConfintRow,
  type ConfintMethod,
} from './inference/confint';
export { coefTable, type CoefTableRow, type CoefTableOptions } from './inference/coeftable';
export {
  waldTest,
  type FTestResult,
  type ChisqTestResult,
  type WaldTestOptions,
} from './inference/waldtest';
export {
  anovaType3,
  type Anova3Options,
  type Anova3FRow,
  type Anova3ChisqRow,
} from './inference/anova3';
export { type3Hypotheses, type TermHypothesis } from './inference/type3';
export { type DdfMethod } from './inference/ddf';
export { simulateResponses, type SimulateOptions } from './inference/simulate';
export {
  bootstrap,
  bootstrapConfint,
  defaultStatistic,
  type BootstrapOptions,
  type BootstrapResult,
  type BootStatistic,
} from './inference/bootstrap';
export type { BootSummary } from './inference/bootsummary';
export {
  EmmGrid,
  type EmmeansOptions,
  type EmmRow,
  type ContrastRow,
  type ContrastOptions,
  type ContrastMethod,
  type PAdjust,
} from './inference/emmeans';
export type { AtValue } from './inference/refgrid';
export type { PredictionWithSe } from './inference/predictse';
export { gee, geeSync, GeeFit, type GeeOptions } from './gee/gee';
export type { GeeWaldTest, GeeAnovaRow } from './gee/result';
export { fitInWorker, type WorkerFitOptions } from './worker/fit-in-worker';
export type { WorkerProgress, FitPhase } from './worker/protocol';
export type { FitSpec } from './inference/fitspec';
/** Internal: the entry point of a glmm-wasm worker thread (src/worker/node-entry.ts). */
export { startNodeWorker as __startNodeWorker } from './worker/node-entry';
export { fitMany } from './worker/fitmany';
export type { FitManyOptions, FitOutcome } from './worker/fitmany-specs';
export type { ResponseFit, ResponsesOptions } from './worker/fitmany-responses';
/** Internal: the refits job of the fit workers (src/worker/refits-job.ts; bootstrap, fitMany). */
export { runRefits as __runRefits } from './worker/refits-job';
