/**
 * The sparse Kenward–Roger path (chunks of ZᵀMZ through the sparse factor) against the dense q×q
 * path, on both backends: vcovAdj, P, W and the per-coefficient KR df agree to 1e-8 relative on
 * every model where both run (random slopes, crossed, nested, weighted, several factors).
 */
import { describe, expect, it } from 'vitest';
import { lmerSync } from '../../src/api/lmer';
import { kenwardRoger, krTest, type KenwardRoger } from '../../src/inference/kenwardroger';
import { backends, loadCsv } from '../helpers/fixtures';

const cases: {
  name: string;
  csv: string;
  formula: string;
  factors?: string[];
  weights?: string;
}[] = [
  { name: 'sleepstudy', csv: 'sleepstudy.csv', formula: 'Reaction ~ Days + (Days | Subject)' },
  {
    name: 'penicillin crossed',
    csv: 'penicillin.csv',
    formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)',
  },
  { name: 'pastes nested', csv: 'pastes.csv', formula: 'strength ~ 1 + (1 | batch/cask)' },
  {
    name: 'own slope, two factors',
    csv: 'inference/kr/own_slope.csv',
    formula: 'y ~ A * B + x + (1 + x | g) + (1 | h)',
  },
  {
    name: 'sleepstudy weighted',
    csv: 'weights/data/sleepstudy_weights.csv',
    formula: 'Reaction ~ Days + (Days | Subject)',
    weights: 'w',
  },
];

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
}
function expectMatrixClose(a: number[][], b: number[][], tol: number, label: string): void {
  const scale = Math.max(...b.flat().map(Math.abs));
  a.forEach((r, i) =>
    r.forEach((v, j) =>
      expect(Math.abs(v - b[i][j]) / scale, `${label}[${i}][${j}]`).toBeLessThan(tol),
    ),
  );
}
function unitRows(kr: KenwardRoger): number[][] {
  return kr.names.map((_, j) => kr.names.map((__, k) => (k === j ? 1 : 0)));
}

describe.each(backends)('Kenward-Roger sparse path = dense path (%s)', (backend) => {
  for (const c of cases) {
    it(c.name, () => {
      const data = loadCsv(c.csv);
      const fit = lmerSync(c.formula, data, {
        backend,
        ...(c.weights ? { weights: c.weights } : {}),
      });
      const dense = kenwardRoger(fit, 'dense');
      const sparse = kenwardRoger(fit, 'sparse');
      expectMatrixClose(sparse.vcovAdj, dense.vcovAdj, 1e-8, 'vcovAdj');
      expectMatrixClose(sparse.W, dense.W, 1e-8, 'W');
      sparse.P.forEach((P, i) => expectMatrixClose(P, dense.P[i], 1e-8, `P${i}`));
      unitRows(dense).forEach((L) => {
        const a = krTest([L], sparse).denDF;
        const b = krTest([L], dense).denDF;
        expect(relErr(a, b), `df ${c.name}`).toBeLessThan(1e-8);
      });
      fit.dispose();
    });
  }
});
