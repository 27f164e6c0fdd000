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
export type { DataInput, Column, FrameOptions, ModelFrame } from './data/types';
export { buildModelFrame } from './data/modelframe';
export { parseCsv } from './data/csv';
export { createBackend, loadBackend, loadBackendSync, type BackendName } from './backend/load';
export * from './errors';
