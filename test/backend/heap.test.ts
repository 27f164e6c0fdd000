import { describe, expect, it } from 'vitest';
import { JsHeap } from '../../src/backend/js/heap';
import { createBackend, loadBackend, loadBackendSync, simdAvailable } from '../../src/backend/load';
import { BACKENDS } from './reference';

describe.each(BACKENDS)('heap ($label)', ({ make }) => {
  it('allocations are zero-filled, disjoint and aligned; f64 and i32 share bytes', () => {
    const h = make().heap;
    const a = h.allocF64(3);
    const b = h.allocI32(5);
    const c = h.allocF64(1);
    expect(a % 2).toBe(0); // 16-byte aligned
    expect(b % 4).toBe(0);
    expect(c % 2).toBe(0);
    expect(b * 4).toBeGreaterThanOrEqual((a + 3) * 8);
    expect(c * 8).toBeGreaterThanOrEqual((b + 5) * 4);
    expect(Array.from(h.f64.subarray(a, a + 3))).toEqual([0, 0, 0]);
    expect(Array.from(h.i32.subarray(b, b + 5))).toEqual([0, 0, 0, 0, 0]);
    h.f64[c] = 1; // IEEE 754: 0x3ff00000 in the high word (little-endian)
    expect(h.i32[c * 2 + 1]).toBe(0x3ff00000);
  });

  it('growth keeps data and re-derives the views', () => {
    const h = make().heap;
    const a = h.allocF64(1000);
    const p = h.allocI32(10);
    for (let i = 0; i < 1000; i++) h.f64[a + i] = i + 0.5;
    for (let i = 0; i < 10; i++) h.i32[p + i] = 100 - i;
    const before = h.f64;
    const big = h.allocF64(8_000_000); // 64 MB: forces growth on both backends
    const after = h.f64;
    expect(after === before).toBe(false); // (wasm: `before` is now detached)
    expect(after.length).toBeGreaterThanOrEqual(big + 8_000_000);
    for (let i = 0; i < 1000; i++) expect(after[a + i]).toBe(i + 0.5);
    for (let i = 0; i < 10; i++) expect(h.i32[p + i]).toBe(100 - i);
    expect(h.i32.buffer).toBe(h.f64.buffer);
    after[big + 7_999_999] = 3;
    expect(h.f64[big + 7_999_999]).toBe(3);
  });

  it('reset returns to the start and new allocations are zeroed again', () => {
    const h = make().heap;
    const a = h.allocF64(16);
    h.f64.fill(7, a, a + 16);
    h.reset();
    const b = h.allocF64(16);
    expect(b).toBe(a);
    expect(Array.from(h.f64.subarray(b, b + 16))).toEqual(new Array(16).fill(0));
  });
});

describe('loader', () => {
  it('picks the SIMD build on this engine and can force scalar', () => {
    expect(simdAvailable()).toBe(true);
    expect(createBackend('wasm').variant).toBe('simd');
    expect(createBackend('wasm', { simd: false }).variant).toBe('scalar');
    expect(createBackend('js').variant).toBe('js');
    expect(loadBackendSync().name).toBe('wasm');
    expect(loadBackendSync('js').name).toBe('js');
  });

  it('async loader returns wasm by default and js on request', async () => {
    const w = await loadBackend();
    expect(w.name).toBe('wasm');
    expect(w.variant).toBe('simd');
    expect((await loadBackend('wasm', { simd: false })).variant).toBe('scalar');
    expect((await loadBackend('js')).name).toBe('js');
  });

  it('every backend has its own memory', () => {
    const a = createBackend('wasm');
    const b = createBackend('wasm');
    const pa = a.heap.allocF64(4);
    const pb = b.heap.allocF64(4);
    a.heap.f64[pa] = 42;
    expect(b.heap.f64[pb]).toBe(0);
    expect(a.heap.f64.buffer).not.toBe(b.heap.f64.buffer);
  });

  it('the js heap starts small and grows by copying', () => {
    const h = new JsHeap(64);
    const a = h.allocF64(4);
    h.f64.set([1, 2, 3, 4], a);
    h.allocF64(100);
    expect(Array.from(h.f64.subarray(a, a + 4))).toEqual([1, 2, 3, 4]);
  });

  it('explicit wasm request fails clearly when WebAssembly is missing', () => {
    const saved = globalThis.WebAssembly;
    try {
      // @ts-expect-error simulate an engine without WebAssembly
      delete globalThis.WebAssembly;
      expect(() => createBackend('wasm')).toThrow(/WASM backend was requested/);
      expect(loadBackendSync().name).toBe('js');
    } finally {
      globalThis.WebAssembly = saved;
    }
  });
});
