import type { Heap } from '../kernels';

const PAGE = 65536;
/** Every allocation starts on a 16-byte boundary (f64x2 friendly). */
const ALIGN = 16;
/** WebAssembly 32-bit memories stop at 65536 pages (4 GiB). */
const MAX_PAGES = 65536;

/**
 * Bump allocator in a WebAssembly memory, above the module's static data (`heapBase`).
 * Grows the memory as needed; growth detaches old views, so `f64`/`i32` are re-derived
 * whenever `view.buffer !== memory.buffer`. Allocations are zero-filled.
 */
export class WasmHeap implements Heap {
  private readonly base: number;
  private top: number;
  private f64View: Float64Array;
  private i32View: Int32Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.base = roundUp(heapBase >>> 0, ALIGN);
    this.top = this.base;
    this.f64View = new Float64Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  get f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer)
      this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }

  get i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer)
      this.i32View = new Int32Array(this.memory.buffer);
    return this.i32View;
  }

  /** Bytes reserved above `heapBase`. */
  get used(): number {
    return this.top - this.base;
  }

  allocF64(n: number): number {
    return this.allocBytes(n * 8) / 8;
  }

  allocI32(n: number): number {
    return this.allocBytes(n * 4) / 4;
  }

  reset(): void {
    this.top = this.base;
  }

  /** Byte address of a fresh zero-filled block. */
  private allocBytes(bytes: number): number {
    const start = this.top;
    const end = start + roundUp(bytes, ALIGN);
    if (end > this.memory.buffer.byteLength) this.grow(end);
    new Uint8Array(this.memory.buffer, start, end - start).fill(0);
    this.top = end;
    return start;
  }

  private grow(minBytes: number): void {
    const have = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil(minBytes / PAGE);
    if (need > MAX_PAGES) {
      throw new RangeError(`WASM heap: ${minBytes} bytes requested, the limit is 4 GiB`);
    }
    // over-allocate by half to keep the number of grow calls (and view re-derivations) small
    const want = Math.min(MAX_PAGES, Math.max(need, Math.ceil(have * 1.5)));
    try {
      this.memory.grow(want - have);
    } catch {
      try {
        this.memory.grow(need - have);
      } catch (e) {
        throw new RangeError(
          `WASM heap: cannot grow memory to ${need} pages (${minBytes} bytes): ${String(e)}`,
        );
      }
    }
  }
}

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}
