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
