/**
 * systemCrossprodResponse: after a full systemCrossprod with a response y1, writing y2 into the
 * system and recomputing only the response's cross-products gives the A of a full
 * systemCrossprod with y2 (to 1e-12 relative), and leaves every entry of A that does not
 * involve y exactly as it was. On every backend, for a vector first block with a dense tail
 * (completely crossed), a sparse crossed design, a nested design and three blocks (two of them
 * vector), with and without weights, with X and without it (the u-only system of PIRLS).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/kernels';
import { buildModelFrame } from '../../src/frame/modelframe';
import { buildLayout, type BlockLayout } from '../../src/model/layout';
import { buildReStructure, type ReStructure } from '../../src/model/reblocks';
import { allocateSystem, type MixedSystem } from '../../src/model/system';
import { BACKENDS, rng, arrayRelError } from './reference';

const TOL = 1e-12;
const backends = BACKENDS.map((b) => ({ label: b.label, backend: b.make() }));

const rel = arrayRelError;

interface Design {
  label: string;
  formula: string;
  data: Record<string, (string | number)[]>;
  /** Whether every sparse column has the whole tail as its pattern (one syrk for the tail). */
  denseSchur: boolean;
}

/** Columns y, x, z and the grouping factors `groups(i)` for n observations. */
function table(n: number, seed: number, groups: (i: number) => Record<string, string>) {
  const r = rng(seed);
  const data: Record<string, (string | number)[]> = { y: [], x: [], z: [] };
  for (let i = 0; i < n; i++) {
    data.y.push(2 * r());
    data.x.push(r());
    data.z.push(r());
    for (const [k, v] of Object.entries(groups(i))) (data[k] ??= []).push(v);
  }
  return data;
}

const DESIGNS: Design[] = [
  {
    label: 'crossed, dense tail',
    // every level of g meets every level of h
    formula: 'y ~ x + z + (1 + x | g) + (1 | h)',
    data: table(96, 1, (i) => ({ g: `g${i % 12}`, h: `h${Math.floor(i / 12) % 4}` })),
    denseSchur: true,
  },
  {
    label: 'crossed, sparse tail, vector tail block',
    // each level of g meets only some levels of h
    formula: 'y ~ x + (1 + x | g) + (1 + z | h)',
    data: table(90, 2, (i) => ({ g: `g${i % 15}`, h: `h${((i % 15) + (i % 2)) % 6}` })),
    denseSchur: false,
  },
  {
    label: 'nested',
    // class (first block: more levels) within school (tail)
    formula: 'y ~ x + z + (1 + x | class) + (1 | school)',
    data: table(100, 3, (i) => ({ class: `c${i % 20}`, school: `s${(i % 20) % 5}` })),
    denseSchur: false,
  },
  {
    label: 'two tail blocks',
    formula: 'y ~ x + (1 + x | g) + (1 | h) + (1 + z | k)',
    data: table(120, 4, (i) => ({
      g: `g${i % 16}`,
      h: `h${(i * 7 + Math.floor(i / 16)) % 5}`,
      k: `k${Math.floor(i / 5) % 3}`,
    })),
    denseSchur: false,
  },
];

interface Prepared {
  re: ReStructure;
  n: number;
  p: number;
  xRowMajor: Float64Array;
  y1: Float64Array;
  y2: Float64Array;
  w: Float64Array;
}

function prepare(d: Design, seed: number): Prepared {
  const frame = buildModelFrame(d.formula, d.data);
  const n = frame.response.y.length;
  const p = frame.xNames.length;
  const xRowMajor = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xRowMajor[i * p + j] = frame.X[i + j * n];
  const r = rng(seed);
  const y1 = Float64Array.from(frame.response.y);
  const y2 = Float64Array.from({ length: n }, () => 3 * r() + 1);
  // positive weights, some exactly 0 (such observations are skipped)
  const w = Float64Array.from({ length: n }, (_, i) => (i % 11 === 5 ? 0 : 0.3 + (r() + 1)));
  return { re: buildReStructure(frame.randomTerms, n), n, p, xRowMajor, y1, y2, w };
}

type AName = 'panels' | 'a22';
const A: AName[] = ['panels', 'a22'];

function arr(sys: MixedSystem, name: AName): Float64Array {
  const { lay, off } = sys;
  const [at, len] =
    name === 'panels' ? [off.aPanels, lay.valPtr[lay.nSparse]] : [off.a22, lay.t * lay.t];
  return sys.backend.heap.f64.subarray(at, at + len);
}

/** The entries of A that involve y: per array, a mask. */
function responseMask(lay: BlockLayout): Record<AName, Uint8Array> {
  const t = lay.t;
  const panels = new Uint8Array(lay.valPtr[lay.nSparse]);
  for (let j = 0; j < lay.nSparse; j++) {
    const v = lay.nodeV[j];
    const r0 = lay.rowPtr[j];
    const m = v + lay.rowPtr[j + 1] - r0;
    expect(lay.panelRows[r0 + m - v - 1]).toBe(lay.nRows - 1); // the y row closes each panel
    for (let c = 0; c < v; c++) panels[lay.valPtr[j] + c * m + m - 1] = 1;
  }
  const a22 = new Uint8Array(t * t);
  for (let j = 0; j < t; j++) {
    a22[t - 1 + j * t] = 1;
    a22[j + (t - 1) * t] = 1;
  }
  return { panels, a22 };
}

function systemOn(backend: Backend, prep: Prepared, p: number): MixedSystem {
  backend.heap.reset();
  backend.heap.allocF64(3); // odd offsets, as the other kernel tests
  const lay = buildLayout(prep.re.blocks, prep.n, p);
  const sys = allocateSystem(backend, prep.re, lay, p === 0 ? new Float64Array(0) : prep.xRowMajor);
  backend.heap.f64.set(prep.w, sys.off.w);
  return sys;
}

const snapshot = (sys: MixedSystem) =>
  Object.fromEntries(A.map((name) => [name, Float64Array.from(arr(sys, name))])) as Record<
    AName,
    Float64Array
  >;

describe('systemCrossprodResponse = systemCrossprod for a new y, touching only the y parts', () => {
  DESIGNS.forEach((design, di) => {
    const prep = prepare(design, 50 + di);
    for (const p of [prep.p, 0]) {
      for (const weighted of [false, true]) {
        const label = `${design.label}, ${p ? `p=${p}` : 'no X'}, ${weighted ? 'weights' : 'unit weights'}`;
        it(label, () => {
          const results = backends.map(({ label: who, backend }) => {
            const sys = systemOn(backend, prep, p);
            const { lay, desc } = sys;
            expect(lay.blocks[0].v).toBe(2);
            expect(lay.denseSchur).toBe(design.denseSchur);
            const k = backend.kernels;
            const f = () => backend.heap.f64;
            const flag = weighted ? 1 : 0;

            // the reference: a full cross-product pass with y2
            f().set(prep.y2, sys.off.y);
            k.systemCrossprod(desc, flag);
            const full = snapshot(sys);

            // full pass with y1, then y2 and only the response parts
            f().set(prep.y1, sys.off.y);
            k.systemCrossprod(desc, flag);
            const before = snapshot(sys);
            f().set(prep.y2, sys.off.y);
            k.systemCrossprodResponse(desc, flag);
            const updated = snapshot(sys);
            for (const name of A) {
              expect(rel(updated[name], full[name]), `${who} ${name}`).toBeLessThanOrEqual(TOL);
            }

            // everything that does not involve y stays bit for bit; the y parts are recomputed
            // from scratch (garbage there must not leak in)
            const mask = responseMask(lay);
            for (const name of A) {
              const a = arr(sys, name);
              for (let i = 0; i < a.length; i++) a[i] = mask[name][i] ? 7 : 1000 + i;
            }
            k.systemCrossprodResponse(desc, flag);
            for (const name of A) {
              const a = arr(sys, name);
              for (let i = 0; i < a.length; i++) {
                if (mask[name][i]) continue;
                if (a[i] !== 1000 + i) expect.fail(`${who} ${name}[${i}] was changed`);
              }
              const yPart = (x: Float64Array) => x.filter((_, i) => mask[name][i] === 1);
              expect(rel(yPart(a), yPart(full[name])), `${who} ${name}`).toBeLessThanOrEqual(TOL);
            }
            // the y parts did change with y (the test is not vacuous)
            expect(rel(before.a22, full.a22)).toBeGreaterThan(1e-3);
            return updated;
          });
          for (const [i, r] of results.entries()) {
            for (const name of A) {
              expect(
                rel(r[name], results[0][name]),
                `${backends[i].label} vs js ${name}`,
              ).toBeLessThanOrEqual(TOL);
            }
          }
        });
      }
    }
  });
});
