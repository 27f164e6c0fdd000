/**
 * How a FitSpec's data cross to a worker. Typed-array columns are transferred, not copied: after
 * the call the caller's arrays are detached (length 0), the price of not copying a million-row
 * column on the main thread. With `keepData: true` they are copied instead and the caller's arrays
 * stay usable. Either way nothing the caller passed is modified otherwise. Plain arrays (numbers,
 * strings) and row objects are always copied by structured clone; columns on a SharedArrayBuffer
 * are shared as they are (the worker only reads them).
 */
import type { FitSpec } from '../inference/fitspec';
import type { Column, DataInput } from '../frame/types';

/** A spec ready to post and the buffers to transfer with it. */
export interface PreparedSpec {
  spec: FitSpec;
  transfer: ArrayBuffer[];
}

/**
 * The spec to post: column tables with typed arrays get a new table object (the caller's object
 * is not touched) whose typed columns are the caller's arrays (transferred) or copies.
 */
export function prepareSpec(spec: FitSpec, keepData: boolean): PreparedSpec {
  const data = spec.data;
  if (Array.isArray(data) || data === null || typeof data !== 'object') {
    return { spec, transfer: [] };
  }
  const transfer = new Set<ArrayBuffer>();
  const table: Record<string, Column> = {};
  for (const [name, column] of Object.entries(data as Record<string, Column>)) {
    table[name] = ArrayBuffer.isView(column) ? crossing(column, keepData, transfer) : column;
  }
  return { spec: { ...spec, data: table as DataInput }, transfer: [...transfer] };
}

type TypedColumn = Extract<Column, ArrayBufferView>;

function crossing(column: TypedColumn, keepData: boolean, transfer: Set<ArrayBuffer>): TypedColumn {
  const buffer = column.buffer;
  if (!(buffer instanceof ArrayBuffer)) return column; // shared memory: nothing to move
  // a view of part of a buffer is copied: transferring would detach the rest of it, and
  // structured clone would copy the whole buffer
  const whole = column.byteOffset === 0 && column.byteLength === buffer.byteLength;
  if (keepData || !whole) {
    const copy = column.slice() as TypedColumn;
    transfer.add(copy.buffer as ArrayBuffer);
    return copy;
  }
  transfer.add(buffer);
  return column;
}
