/**
 * The exports of `build/glmm.wasm` / `build/glmm-simd.wasm`, typed by what asc itself declares
 * for them: `--bindings raw` (asconfig.json) writes `build/glmm.d.ts` and `build/glmm-simd.d.ts`
 * beside the binaries, and the types below are read from there, never written by hand. The
 * kernels have the contract's names and argument order (see assembly/index.ts), but every array
 * argument is a BYTE address into `memory` (unsigned; read returned pointers with `>>> 0`)
 * rather than an element offset; sizes and leading dimensions stay in elements. An optional
 * array passed as -1 in the contract is 0 here (byte 0 is never heap).
 *
 * The declarations exist once the WASM is built: `npm test` runs `npm run build` (asc first)
 * before `tsc --noEmit`. Only types are imported, so nothing of the generated `.js` is bundled.
 */
import type { instantiate as instantiateScalar } from '../../../build/glmm';
import type { instantiate as instantiateSimd } from '../../../build/glmm-simd';
import type { Kernels } from '../kernels';

/** What asc declares for a module's exports (all its kernels take and return plain numbers). */
type Declared<I extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<I>>;

/** The exports of the scalar build, as asc declares them. */
type ScalarExports = Declared<typeof instantiateScalar>;
/** The exports of the SIMD build, as asc declares them. */
type SimdExports = Declared<typeof instantiateSimd>;

/** Exports that are not kernels of the contract. */
type Runtime = 'memory' | 'heapBase';

/**
 * The exports of either WASM build: `memory`, `heapBase()` (first free byte above the module's
 * static data, 16-byte aligned) and the kernels of the contract in byte-pointer form.
 */
export type WasmExports = ScalarExports;

// ---------------------------------------------------------------------------------------------
// Compile-time checks of the module against the contract: each `Expect<...>` below fails
// `tsc --noEmit` with the name of the offending kernel (e.g. `Type '"systemSolve: 2 parameters
// in the contract, 1 in the wasm exports"' does not satisfy the constraint 'never'`).

/** Fails to type-check unless T is `never` (its error message then shows T). */
type Expect<T extends never> = T;

type Fn = (...args: never[]) => unknown;
type Arity<F extends Fn> = Parameters<F>['length'];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A description of each contract kernel that the exports E lack or declare differently. */
type ContractMismatch<E> = {
  [K in keyof Kernels]: K extends keyof E
    ? E[K] extends Fn
      ? Same<Arity<E[K]>, Arity<Kernels[K]>> extends false
        ? `${K}: ${Arity<Kernels[K]>} parameters in the contract, ${Arity<E[K]>} in the wasm exports`
        : Same<ReturnType<E[K]>, ReturnType<Kernels[K]>> extends false
          ? `${K}: the contract and the wasm exports return different types`
          : never
      : `${K}: not a function in the wasm exports`
    : `${K}: missing from the wasm exports`;
}[keyof Kernels];

/** Exports of E that are neither a contract kernel nor the runtime (internal helpers leaked). */
type Unexpected<E> = Exclude<keyof E, keyof Kernels | Runtime>;

/** Keys that only one of A, B has. */
type KeyDifference<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;

type CheckScalar = Expect<ContractMismatch<ScalarExports>>;
type CheckSimd = Expect<ContractMismatch<SimdExports>>;
type CheckScalarSurface = Expect<Unexpected<ScalarExports>>;
type CheckSimdSurface = Expect<Unexpected<SimdExports>>;
type CheckBuildsAgree = Expect<KeyDifference<ScalarExports, SimdExports>>;
