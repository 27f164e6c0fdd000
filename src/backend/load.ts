/**
 * Backend loading. The WASM bytes are inlined at build time (tsup `loader: binary`, the vitest
 * plugin in tests), so this works in Node (ESM and CJS), workers and browsers without fs/URL.
 *
 * Two WASM builds ship: SIMD (f64x2) and scalar; the SIMD one is used when
 * `WebAssembly.validate` accepts it. Compiled modules are cached per variant; every backend
 * gets its own instance and memory, so separate fits never share a heap.
 */
import simdBytes from '../../build/glmm-simd.wasm';
import scalarBytes from '../../build/glmm.wasm';
import { JsHeap } from './js/heap';
import { createJsKernels } from './js/kernels';
import type { Backend } from './kernels';
import { WasmHeap } from './wasm/heap';
import { createWasmKernels } from './wasm/kernels';
import type { WasmExports } from './wasm/exports';

export type BackendName = 'wasm' | 'js';
type WasmVariant = 'simd' | 'scalar';

/** Options of `createBackend` / `loadBackend`. */
export interface BackendOptions {
  /**
   * WASM build to use: true = SIMD (throws if the engine lacks SIMD), false = scalar,
   * undefined = SIMD when supported. Ignored for the js backend.
   */
  simd?: boolean;
}

const modules: Partial<Record<WasmVariant, WebAssembly.Module>> = {};
const pending: Partial<Record<WasmVariant, Promise<WebAssembly.Module>>> = {};
let simdValid: boolean | undefined;

/** True when this engine has WebAssembly at all. */
export function wasmAvailable(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function';
}

/** True when this engine accepts the SIMD build (cached). */
export function simdAvailable(): boolean {
  if (simdValid === undefined) {
    try {
      simdValid = wasmAvailable() && WebAssembly.validate(bytesOf('simd'));
    } catch {
      simdValid = false;
    }
  }
  return simdValid;
}

function chooseVariant(opts: BackendOptions): WasmVariant {
  if (!wasmAvailable()) throw new Error('glmm-wasm: WebAssembly is not available in this engine');
  if (opts.simd === false) return 'scalar';
  if (simdAvailable()) return 'simd';
  if (opts.simd === true) {
    throw new Error('glmm-wasm: the SIMD build was requested but this engine lacks WASM SIMD');
  }
  return 'scalar';
}

/** The inlined bytes (never shared memory, whatever the `.wasm` declaration says). */
function bytesOf(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  return (variant === 'simd' ? simdBytes : scalarBytes) as Uint8Array<ArrayBuffer>;
}

function moduleSync(variant: WasmVariant): WebAssembly.Module {
  let m = modules[variant];
  if (!m) {
    m = new WebAssembly.Module(bytesOf(variant));
    modules[variant] = m;
  }
  return m;
}

function moduleAsync(variant: WasmVariant): Promise<WebAssembly.Module> {
  const m = modules[variant];
  if (m) return Promise.resolve(m);
  let p = pending[variant];
  if (!p) {
    p = WebAssembly.compile(bytesOf(variant)).then((mod) => {
      modules[variant] = mod;
      return mod;
    });
    pending[variant] = p;
    p.catch(() => {
      delete pending[variant];
    });
  }
  return p;
}

/** Reads an AssemblyScript string (UTF-16, byte length stored just before it). */
function readAsString(memory: WebAssembly.Memory | undefined, ptr: number): string {
  if (!memory || !ptr) return '';
  try {
    const p = ptr >>> 0;
    const bytes = new Uint32Array(memory.buffer, p - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(memory.buffer, p, bytes >>> 1));
  } catch {
    return '';
  }
}

function imports(memoryRef: { memory?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, column: number): never {
        const text = readAsString(memoryRef.memory, msg) || 'abort';
        const where = readAsString(memoryRef.memory, file);
        throw new Error(
          `glmm-wasm: WASM kernel aborted: ${text}${where ? ` (${where}:${line}:${column})` : ''}`,
        );
      },
    },
  };
}

/** The instance's exports under the type asc declares for them (./wasm/exports). */
function exportsOf(instance: WebAssembly.Instance): WasmExports {
  return instance.exports as WasmExports;
}

function wrap(instance: WebAssembly.Instance, variant: WasmVariant): Backend {
  const ex = exportsOf(instance);
  const heap = new WasmHeap(ex.memory, ex.heapBase());
  return { name: 'wasm', variant, heap, kernels: createWasmKernels(ex) };
}

function instantiateSync(variant: WasmVariant): Backend {
  const ref: { memory?: WebAssembly.Memory } = {};
  const instance = new WebAssembly.Instance(moduleSync(variant), imports(ref));
  ref.memory = exportsOf(instance).memory;
  return wrap(instance, variant);
}

async function instantiateAsync(variant: WasmVariant): Promise<Backend> {
  const ref: { memory?: WebAssembly.Memory } = {};
  const instance = await WebAssembly.instantiate(await moduleAsync(variant), imports(ref));
  ref.memory = exportsOf(instance).memory;
  return wrap(instance, variant);
}

function jsBackend(): Backend {
  const heap = new JsHeap();
  return { name: 'js', variant: 'js', heap, kernels: createJsKernels(heap) };
}

function wasmError(e: unknown): Error {
  return new Error(
    `glmm-wasm: the WASM backend was requested but cannot be loaded: ${
      e instanceof Error ? e.message : String(e)
    }`,
    { cause: e },
  );
}

/**
 * A fresh backend (own heap; for wasm its own instance and memory from the cached module).
 * Throws when `name === 'wasm'` and WebAssembly cannot be loaded.
 */
export function createBackend(name: BackendName = 'wasm', opts: BackendOptions = {}): Backend {
  if (name === 'js') return jsBackend();
  try {
    return instantiateSync(chooseVariant(opts));
  } catch (e) {
    throw wasmError(e);
  }
}

/**
 * Synchronous loader. With no name: wasm when it loads, else js. With 'wasm': wasm or a
 * clear error. Uses `new WebAssembly.Module` (fine in Node and workers; browsers' main
 * threads allow it for a module this small).
 */
export function loadBackendSync(name?: BackendName, opts: BackendOptions = {}): Backend {
  if (name === 'js') return jsBackend();
  if (name === 'wasm') return createBackend('wasm', opts);
  try {
    return instantiateSync(chooseVariant(opts));
  } catch {
    return jsBackend();
  }
}

/** Asynchronous loader (compiles off the main thread where the engine can). Same rules. */
export async function loadBackend(name?: BackendName, opts: BackendOptions = {}): Promise<Backend> {
  if (name === 'js') return jsBackend();
  try {
    return await instantiateAsync(chooseVariant(opts));
  } catch (e) {
    if (name === 'wasm') throw wasmError(e);
    return jsBackend();
  }
}
