import type { Kernels } from '../kernels';

/**
 * The raw exports of `build/glmm.wasm` / `build/glmm-simd.wasm` (see `assembly/index.ts`): the
 * kernels of the contract under the same names and argument order, but every array argument is
 * a BYTE address into `memory` (unsigned; read returned pointers with `>>> 0`) rather than an
 * element offset; sizes and leading dimensions stay in elements. An optional array passed as
 * -1 in the contract is 0 here (byte 0 is never heap).
 */
export type WasmExports = Kernels & {
  readonly memory: WebAssembly.Memory;
  /** First free byte above the module's static data, 16-byte aligned. */
  heapBase(): number;
  /** `groupSums` of the contract under its AssemblyScript name (assembly/ghq.ts). */
  agqGroupSums(
    n: number,
    values: number,
    group: number,
    nGroups: number,
    out: number,
    extra: number,
  ): void;
};
