import type { Heap } from '../kernels';

/** Bytes per allocation granule: every allocation starts on a 16-byte boundary. */
const ALIGN = 16;

/**
 * Growable heap over one ArrayBuffer with f64 and i32 views of the same bytes. Growth copies
 * into a bigger buffer and replaces both views, so callers re-read `f64`/`i32` after `alloc*`.
 */
export class JsHeap implements Heap {
  private buffer: ArrayBuffer;
  private top = 0;
  f64: Float64Array;
  i32: Int32Array;

  constructor(initialBytes = 1 << 16) {
    this.buffer = new ArrayBuffer(roundUp(Math.max(initialBytes, ALIGN), ALIGN));
    this.f64 = new Float64Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Bytes currently reserved. */
  get used(): number {
    return this.top;
  }

  allocF64(n: number): number {
    return this.allocBytes(n * 8) / 8;
  }

  allocI32(n: number): number {
    return this.allocBytes(n * 4) / 4;
  }

  reset(): void {
    this.top = 0;
  }

  private allocBytes(bytes: number): number {
    const start = this.top;
    const end = start + roundUp(bytes, ALIGN);
    if (end > this.buffer.byteLength) this.grow(end);
    new Uint8Array(this.buffer, start, end - start).fill(0);
    this.top = end;
    return start;
  }

  private grow(minBytes: number): void {
    let size = this.buffer.byteLength;
    while (size < minBytes) size *= 2;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(new Uint8Array(this.buffer, 0, this.top));
    this.buffer = next;
    this.f64 = new Float64Array(next);
    this.i32 = new Int32Array(next);
  }
}

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}
