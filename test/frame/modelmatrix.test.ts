import { describe, expect, it } from 'vitest';
import { qrRankPivot, rankKeep } from '../../src/frame/modelmatrix';

const col = (...x: number[]) => Float64Array.from(x);

describe('rank check (R qr, LINPACK dqrdc2, tol 1e-7)', () => {
  it('full rank keeps everything', () => {
    const r = rankKeep([col(1, 1, 1, 1), col(1, 2, 3, 4), col(1, 4, 9, 16)]);
    expect(r).toEqual({ keep: [0, 1, 2], drop: [] });
  });

  it('drops later linearly dependent columns', () => {
    const x = col(1, 2, 3, 4);
    const r = rankKeep([
      col(1, 1, 1, 1),
      x,
      x.map((v) => 2 * v),
      col(0, 1, 0, 1),
      x.map((v) => v + 3),
    ]);
    expect(r).toEqual({ keep: [0, 1, 3], drop: [2, 4] });
  });

  it('moves a zero column to the end', () => {
    const { rank, pivot } = qrRankPivot([col(0, 0, 0), col(1, 2, 3), col(1, 1, 1)]);
    expect(rank).toBe(2);
    expect(pivot).toEqual([1, 2, 0]);
  });
});
