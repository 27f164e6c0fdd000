/**
 * The fields of a system descriptor (assembly/descriptor.ts) by name, read once per kernel call:
 * sizes as numbers, arrays as their element offsets into the heap's views.
 */
import * as D from '../../../assembly/descriptor';
import type { Heap } from '../kernels';

export function systemFields(heap: Heap, sd: number) {
  const g = (i: number) => heap.i32[sd + i];
  return {
    n: g(D.SYS_N),
    p: g(D.SYS_P),
    q: g(D.SYS_Q),
    nRows: g(D.SYS_NROWS),
    K: g(D.SYS_NBLOCKS),
    blocks: g(D.SYS_BLOCKS),
    nSparse: g(D.SYS_NSPARSE),
    d0: g(D.SYS_D0),
    t: g(D.SYS_T),
    qt: g(D.SYS_QT),
    denseSchur: g(D.SYS_DENSE_SCHUR) !== 0,
    nodeRow: g(D.SYS_NODE_ROW),
    nodeV: g(D.SYS_NODE_V),
    rowPtr: g(D.SYS_ROW_PTR),
    panelRows: g(D.SYS_PANEL_ROWS),
    valPtr: g(D.SYS_VAL_PTR),
    tailFrom: g(D.SYS_TAIL_FROM),
    updPtr: g(D.SYS_UPD_PTR),
    updCol: g(D.SYS_UPD_COL),
    updPos: g(D.SYS_UPD_POS),
    rowT: g(D.SYS_ROW_T),
    rowStart: g(D.SYS_ROW_START),
    rowV: g(D.SYS_ROW_V),
    obsNode: g(D.SYS_OBS_NODE),
    obsZ: g(D.SYS_OBS_Z),
    sumV: g(D.SYS_SUMV),
    pairPos: g(D.SYS_PAIR_POS),
    nPairs: g(D.SYS_NPAIRS),
    x: g(D.SYS_X),
    y: g(D.SYS_Y),
    w: g(D.SYS_W),
    aPanels: g(D.SYS_A_PANELS),
    lPanels: g(D.SYS_L_PANELS),
    a22: g(D.SYS_A22),
    l22: g(D.SYS_L22),
    solution: g(D.SYS_XSOL),
    scratchI32: g(D.SYS_SCRATCH_I32),
    scratchF64: g(D.SYS_SCRATCH_F64),
  };
}
