/**
 * The model kernels (BlockKernels, CrossprodKernels, PredictorKernels, GlmKernels): JS and both
 * WASM builds (SIMD and scalar) agree on random inputs to 1e-12 relative (not bit-for-bit: AS's
 * exp/log differ from V8's in the last bit), and the blocked pipeline of src/model reproduces a
 * naive dense Cholesky of [ΛᵀZᵀZΛ + I, ΛᵀZᵀX, ΛᵀZᵀy; ...] built in this file.
 *
 * Each kernel is checked in isolation: the js backend's state before the kernel is copied into
 * every other backend's heap, so differences do not accumulate along the pipeline.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/kernels';
import { buildModelFrame } from '../../src/frame/modelframe';
import { FamilyCode, makeFamily, type FamilyKind } from '../../src/model/family';
import { buildLayout } from '../../src/model/layout';
import { buildReStructure, type ReBlock, type ReStructure } from '../../src/model/reblocks';
import {
  allocateSystem,
  logdetRe,
  logdetX,
  pwrss,
  setTheta,
  solveUBeta,
  updateCrossprod,
  updateL,
  type MixedSystem,
} from '../../src/model/system';
import { LinkCode, type LinkName } from '../../src/model/links';
import { BACKENDS, rng, arrayRelError } from './reference';

const TOL = 1e-12;

/** The row-major copy of a column-major n×p matrix (what allocateSystem takes). */
function rowMajor(x: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[i * p + j] = x[i + j * n];
  return out;
}
const backends = BACKENDS.map((b) => ({ label: b.label, backend: b.make() }));

const rel = arrayRelError;

// ---------------------------------------------------------------- random blocked systems

interface Config {
  n: number;
  v1: number;
  tailV: number[];
  nl1: number;
  tailNl: number[];
  p: number;
}

/** A random ReBlock (levels all used, random z with an intercept-like first column). */
function randomBlock(
  group: string,
  nl: number,
  v: number,
  n: number,
  r: () => number,
  thetaStart: number,
): ReBlock {
  const refs = new Int32Array(n);
  for (let i = 0; i < n; i++) refs[i] = i < nl ? i : Math.floor(((r() + 1) / 2) * nl) % nl;
  const z = new Float64Array(n * v);
  for (let i = 0; i < n * v; i++) z[i] = i % v === 0 ? 1 : 2 * r();
  const slots: ReBlock['slots'] = [];
  let k = thetaStart;
  for (let c = 0; c < v; c++)
    for (let row = c; row < v; row++) slots.push({ row, col: c, thetaIndex: k++ });
  return {
    group,
    levels: Array.from({ length: nl }, (_, l) => `${group}${l}`),
    nl,
    refs,
    v,
    z,
    colNames: Array.from({ length: v }, (_, c) => `c${c}`),
    slots,
    terms: [{ start: 0, end: v, lme4Order: 0 }],
  };
}

interface Problem {
  re: ReStructure;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  theta: Float64Array;
}

function randomProblem(cfg: Config, seed: number): Problem {
  const r = rng(seed);
  const blocks: ReBlock[] = [];
  let nTheta = 0;
  const add = (b: ReBlock) => {
    blocks.push(b);
    nTheta += (b.v * (b.v + 1)) / 2;
  };
  add(randomBlock('A', cfg.nl1, cfg.v1, cfg.n, r, 0));
  cfg.tailV.forEach((v, k) => add(randomBlock(`B${k}`, cfg.tailNl[k], v, cfg.n, r, nTheta)));
  const re: ReStructure = { blocks, nTheta, thetaNames: [], lower: [], start: [] };
  const x = new Float64Array(cfg.n * cfg.p);
  for (let i = 0; i < x.length; i++) x[i] = i % cfg.p === 0 ? 1 : r();
  const y = Float64Array.from({ length: cfg.n }, () => 3 * r());
  const w = Float64Array.from({ length: cfg.n }, () => 0.2 + (r() + 1));
  const theta = Float64Array.from({ length: nTheta }, () => 0.3 + r());
  return { re, x, y, w, theta };
}

function systemOn(backend: Backend, prob: Problem, p: number): MixedSystem {
  backend.heap.reset();
  backend.heap.allocF64(3); // odd offsets: unaligned SIMD loads
  const lay = buildLayout(prob.re.blocks, prob.y.length, p);
  const sys = allocateSystem(backend, prob.re, lay, prob.x);
  backend.heap.f64.set(prob.y, sys.off.y);
  backend.heap.f64.set(prob.w, sys.off.w);
  return sys;
}

type ArrName = 'a11' | 'l11' | 'a21' | 'l21' | 'a22' | 'l22' | 'x1' | 'x2';
function arr(sys: MixedSystem, name: ArrName): Float64Array {
  const { lay, off } = sys;
  const v1 = lay.first.v;
  const sizes = { a11: lay.first.nl * v1 * v1, a21: lay.rowIdx.length * v1, a22: lay.t * lay.t };
  const len =
    name === 'a11' || name === 'l11'
      ? sizes.a11
      : name === 'a21' || name === 'l21'
        ? sizes.a21
        : name === 'a22' || name === 'l22'
          ? sizes.a22
          : name === 'x1'
            ? lay.first.nl * lay.first.v
            : lay.t;
  return sys.backend.heap.f64.subarray(off[name], off[name] + len);
}
const ALL: ArrName[] = ['a11', 'l11', 'a21', 'l21', 'a22', 'l22', 'x1', 'x2'];
function copyState(from: MixedSystem, to: MixedSystem) {
  for (const name of ALL) arr(to, name).set(arr(from, name));
  from.off.tm.forEach((o, k) => {
    const vv = [from.lay.first, ...from.lay.tailBlocks][k].v ** 2;
    to.backend.heap.f64.set(from.backend.heap.f64.subarray(o, o + vv), to.off.tm[k]);
  });
}

const CONFIGS: Config[] = [];
for (const v1 of [1, 2, 3]) {
  CONFIGS.push({ n: 60, v1, tailV: [], nl1: 9, tailNl: [], p: 2 });
  CONFIGS.push({ n: 80, v1, tailV: [1], nl1: 11, tailNl: [5], p: 3 });
  CONFIGS.push({ n: 90, v1, tailV: [2], nl1: 10, tailNl: [4], p: 1 });
  CONFIGS.push({ n: 120, v1, tailV: [1, 2], nl1: 12, tailNl: [6, 3], p: 2 });
}
CONFIGS.push({ n: 50, v1: 2, tailV: [2, 1], nl1: 8, tailNl: [4, 3], p: 0 });

/** The steps of updateL one at a time (mirrors src/model/system.ts). */
const steps: { name: string; out: ArrName[]; run: (s: MixedSystem) => number | void }[] = [
  {
    name: 'inflateDiagBlocks',
    out: ['l11'],
    run: (s) =>
      s.backend.kernels.inflateDiagBlocks(
        s.lay.first.nl,
        s.lay.first.v,
        s.off.a11,
        s.off.l11,
        s.off.tm[0],
      ),
  },
  {
    name: 'scaleTailRows',
    out: ['l21'],
    run: (s) => {
      arr(s, 'l21').set(arr(s, 'a21'));
      const { off, lay } = s;
      s.backend.kernels.scaleTailRows(
        lay.first.nl,
        lay.first.v,
        off.rowPtr,
        off.rowIdx,
        off.l21,
        off.rowT,
        off.rowStart,
        off.rowV,
      );
    },
  },
  {
    name: 'rightScaleSolve',
    out: ['l21'],
    run: (s) =>
      s.backend.kernels.rightScaleSolve(
        s.lay.first.nl,
        s.lay.first.v,
        s.off.rowPtr,
        s.off.l21,
        s.off.tm[0],
        s.off.l11,
      ),
  },
  {
    name: 'scaleInflateTail',
    out: ['l22'],
    run: (s) => {
      arr(s, 'l22').set(arr(s, 'a22'));
      s.backend.kernels.scaleInflateTail(
        s.lay.t,
        s.off.l22,
        s.off.rowT,
        s.off.rowStart,
        s.off.rowV,
      );
    },
  },
  {
    name: 'sparseSyrkSub',
    out: ['l22'],
    run: (s) =>
      s.backend.kernels.sparseSyrkSub(
        s.lay.first.nl,
        s.lay.first.v,
        s.off.rowPtr,
        s.off.rowIdx,
        s.off.l21,
        s.off.l22,
        s.lay.t,
      ),
  },
  { name: 'potrf', out: ['l22'], run: (s) => s.backend.kernels.potrf(s.lay.t, s.off.l22, s.lay.t) },
  {
    name: 'sumLogDiagBlocks',
    out: [],
    run: (s) => s.backend.kernels.sumLogDiagBlocks(s.lay.first.nl, s.lay.first.v, s.off.l11),
  },
  {
    name: 'solveFirstBlock',
    out: ['x1'],
    run: (s) => {
      const x2 = arr(s, 'x2');
      for (let j = 0; j < x2.length; j++) x2[j] = 0.5 * Math.sin(j + 1);
      const { off, lay } = s;
      s.backend.kernels.solveFirstBlock(
        lay.first.nl,
        lay.first.v,
        off.rowPtr,
        off.rowIdx,
        off.l11,
        off.l21,
        off.x2,
        off.x1,
      );
    },
  },
];

describe('block and cross-product kernels: js = wasm scalar = wasm simd', () => {
  it('runs the three builds', () => {
    expect(backends.map((b) => b.backend.variant)).toEqual(['js', 'scalar', 'simd']);
  });
  CONFIGS.forEach((cfg, ci) => {
    const label = `v1=${cfg.v1} tail v=[${cfg.tailV.join(',')}] p=${cfg.p}`;
    for (const weighted of [false, true]) {
      it(`accumulateCrossprod ${label} ${weighted ? 'weights' : 'unit weights'}`, () => {
        const prob = randomProblem(cfg, 100 + ci);
        const systems = backends.map((b) => systemOn(b.backend, prob, cfg.p));
        for (const s of systems) {
          // garbage in the outputs: the kernel must zero them first
          for (const name of ['a11', 'a21', 'a22'] as const) arr(s, name).fill(7);
          updateCrossprod(s, weighted);
        }
        for (const name of ['a11', 'a21', 'a22'] as const) {
          for (const s of systems.slice(1)) {
            expect(
              rel(arr(s, name), arr(systems[0], name)),
              `${s.backend.variant} ${name}`,
            ).toBeLessThanOrEqual(TOL);
          }
        }
        // unit weights = explicit weights of 1
        if (!weighted) {
          const s = systems[0];
          const a22 = Float64Array.from(arr(s, 'a22'));
          s.backend.heap.f64.fill(1, s.off.w, s.off.w + cfg.n);
          updateCrossprod(s, true);
          expect(rel(arr(s, 'a22'), a22)).toBeLessThanOrEqual(1e-14);
        }
      });
    }
    it(`updateL steps ${label}`, () => {
      const prob = randomProblem(cfg, 200 + ci);
      const systems = backends.map((b) => systemOn(b.backend, prob, cfg.p));
      const js = systems[0];
      updateCrossprod(js, true);
      setTheta(js, prob.theta);
      for (const step of steps) {
        const results = systems.slice(1).map((s) => {
          copyState(js, s);
          return step.run(s);
        });
        const jsResult = step.run(js);
        systems.slice(1).forEach((s, i) => {
          for (const name of step.out) {
            expect(
              rel(arr(s, name), arr(js, name)),
              `${step.name} ${s.backend.variant} ${name}`,
            ).toBeLessThanOrEqual(TOL);
          }
          if (typeof jsResult === 'number') {
            expect(
              rel([results[i] as number], [jsResult]),
              `${step.name} ${s.backend.variant} result`,
            ).toBeLessThanOrEqual(TOL);
          }
        });
        if (step.name === 'inflateDiagBlocks' || step.name === 'potrf') expect(jsResult).toBe(0);
      }
    });
    it(`addRandomEffects ${label}`, () => {
      const prob = randomProblem(cfg, 300 + ci);
      const outs = backends.map(({ backend }) => {
        const s = systemOn(backend, prob, cfg.p);
        const { lay, off } = s;
        const h = backend.heap;
        const q1 = lay.first.nl * lay.first.v;
        const b1 = h.allocF64(q1);
        const bTail = h.allocF64(Math.max(1, lay.qt));
        const base = h.allocF64(lay.n);
        const out = h.allocF64(lay.n);
        const rr = rng(400 + ci);
        for (let i = 0; i < q1; i++) h.f64[b1 + i] = rr();
        for (let i = 0; i < lay.qt; i++) h.f64[bTail + i] = rr();
        for (let i = 0; i < lay.n; i++) h.f64[base + i] = rr();
        const sumVt = lay.tailBlocks.reduce((a, b) => a + b.v, 0);
        backend.kernels.addRandomEffects(
          lay.n,
          lay.first.v,
          off.refs1,
          off.z1,
          lay.tailBlocks.length,
          off.tailRow,
          off.tailV,
          off.zTail,
          sumVt,
          b1,
          bTail,
          base,
          out,
        );
        return Float64Array.from(h.f64.subarray(out, out + lay.n));
      });
      for (const o of outs.slice(1)) expect(rel(o, outs[0])).toBeLessThanOrEqual(TOL);
      // against a direct evaluation from the blocks
      const rr = rng(400 + ci);
      const [first, ...tail] = prob.re.blocks;
      const b1 = Float64Array.from({ length: first.nl * first.v }, () => rr());
      const qt = tail.reduce((a, b) => a + b.nl * b.v, 0);
      const bT = Float64Array.from({ length: qt }, () => rr());
      const base = Float64Array.from({ length: cfg.n }, () => rr());
      const expected = base.map((bi, i) => {
        let s = bi;
        for (let c = 0; c < first.v; c++)
          s += first.z[i * first.v + c] * b1[first.refs[i] * first.v + c];
        let start = 0;
        for (const b of tail) {
          for (let c = 0; c < b.v; c++) s += b.z[i * b.v + c] * bT[start + b.refs[i] * b.v + c];
          start += b.nl * b.v;
        }
        return s;
      });
      expect(rel(outs[0], expected)).toBeLessThanOrEqual(1e-13);
    });
  });
});

// ---------------------------------------------------------------- GLM kernels

const FAMILY_LINKS: [FamilyKind, LinkName[]][] = [
  ['gaussian', ['identity', 'log', 'inverse']],
  ['binomial', ['logit', 'probit', 'cauchit', 'log', 'cloglog']],
  ['poisson', ['log', 'identity', 'sqrt']],
  ['Gamma', ['inverse', 'identity', 'log']],
  ['inverse.gaussian', ['1/mu^2', 'inverse', 'identity', 'log']],
  ['negative.binomial', ['log', 'sqrt', 'identity']],
];

/** Valid (y, mu, prior weights) for a family; eta = linkfun(mu). */
function glmInputs(kind: FamilyKind, link: LinkName, n: number, theta: number, seed: number) {
  const r = rng(seed);
  const u = () => (r() + 1) / 2;
  const fam = makeFamily(kind, link, kind === 'negative.binomial' ? { theta } : {});
  const mu = new Float64Array(n);
  const y = new Float64Array(n);
  const wt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'binomial': {
        mu[i] = link === 'log' ? 0.02 + 0.9 * u() : 0.02 + 0.96 * u();
        wt[i] = 1 + Math.floor(10 * u());
        // includes y = 0 and y = 1 (the limits of the deviance terms)
        y[i] = Math.floor(u() * (wt[i] + 1)) / wt[i];
        break;
      }
      case 'poisson':
      case 'negative.binomial':
        mu[i] = 0.2 + 6 * u();
        y[i] = Math.floor(8 * u());
        wt[i] = 0.5 + u();
        break;
      case 'gaussian':
        mu[i] = link === 'identity' ? 4 * r() : 0.3 + 3 * u();
        y[i] = mu[i] + r();
        wt[i] = 0.5 + u();
        break;
      default:
        mu[i] = 0.3 + 3 * u();
        y[i] = 0.05 + 4 * u();
        wt[i] = 0.5 + u();
    }
  }
  const eta = mu.map((m) => fam.linkfun(m));
  return { fam, mu, y, wt, eta };
}

interface GlmOut {
  mu: Float64Array;
  w: Float64Array;
  z: Float64Array;
  inv: Float64Array;
  dev: Float64Array;
  devSum: number;
  pred: Float64Array;
}

function runGlm(
  backend: Backend,
  family: number,
  link: number,
  inp: ReturnType<typeof glmInputs>,
  base: Float64Array | null,
  theta: number,
): GlmOut {
  const n = inp.y.length;
  const h = backend.heap;
  h.reset();
  h.allocF64(1);
  const [y, eta, mu, pw, w, z, inv, dev, beta, x, pred] = [n, n, n, n, n, n, n, n, 3, 3 * n, n].map(
    (k) => h.allocF64(k),
  );
  const b = base ? h.allocF64(n) : -1;
  const f = h.f64;
  f.set(inp.y, y);
  f.set(inp.eta, eta);
  f.set(inp.wt, pw);
  if (base) f.set(base, b);
  for (let i = 0; i < 3 * n; i++) f[x + i] = Math.cos(i * 0.7);
  f.set([0.3, -0.2, 0.1], beta);
  const k = backend.kernels;
  k.glmWorkingWeightsResid(family, link, n, y, eta, b, mu, pw, w, z, theta);
  k.glmLinkinv(link, n, eta, inv);
  k.glmDevResid(family, n, y, mu, pw, dev, theta);
  const devSum = k.glmDevResidSum(family, n, y, mu, pw, theta);
  k.fixedPredictor(n, 3, x, beta, b, pred);
  const g = h.f64;
  const read = (o: number) => Float64Array.from(g.subarray(o, o + n));
  return {
    mu: read(mu),
    w: read(w),
    z: read(z),
    inv: read(inv),
    dev: read(dev),
    devSum,
    pred: read(pred),
  };
}

describe('GLM kernels: js = wasm scalar = wasm simd, for every family × link', () => {
  let seed = 1;
  for (const [kind, links] of FAMILY_LINKS) {
    for (const link of links) {
      for (const theta of kind === 'negative.binomial' ? [0.7, 5] : [NaN]) {
        for (const withBase of [false, true]) {
          const label = `${kind}${kind === 'negative.binomial' ? `(θ=${theta})` : ''} ${link}${withBase ? ' with offset' : ''}`;
          const s = seed++;
          it(label, () => {
            const n = 37;
            const inp = glmInputs(kind, link, n, theta, 1000 + s);
            const r = rng(2000 + s);
            const base = withBase ? Float64Array.from({ length: n }, () => 0.3 * r()) : null;
            const outs = backends.map(({ backend }) =>
              runGlm(backend, FamilyCode[kind], LinkCode[link], inp, base, theta),
            );
            const js = outs[0];
            for (const [i, o] of outs.entries()) {
              if (i === 0) continue;
              const who = backends[i].label;
              for (const key of ['mu', 'w', 'z', 'inv', 'dev', 'pred'] as const) {
                expect(rel(o[key], js[key]), `${who} ${key}`).toBeLessThanOrEqual(TOL);
              }
              expect(rel([o.devSum], [js.devSum]), `${who} devSum`).toBeLessThanOrEqual(TOL);
            }
            // and against the family's own functions
            const { fam } = inp;
            for (let i = 0; i < n; i++) {
              const m = fam.linkinv(inp.eta[i]);
              const d = fam.muEta(inp.eta[i]);
              expect(Math.abs(js.mu[i] - m)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(m)));
              expect(Math.abs(js.mu[i] - inp.mu[i])).toBeLessThanOrEqual(
                1e-9 * Math.max(1, inp.mu[i]),
              );
              const wi = (inp.wt[i] * d * d) / fam.variance(m);
              expect(Math.abs(js.w[i] - wi)).toBeLessThanOrEqual(1e-12 * Math.max(1, wi));
              const zi = inp.eta[i] - (base ? base[i] : 0) + (inp.y[i] - m) / d;
              expect(Math.abs(js.z[i] - zi)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(zi)));
              expect(js.dev[i]).toBeGreaterThanOrEqual(-1e-12);
            }
            const sum = js.dev.reduce((a, b) => a + b, 0);
            expect(Math.abs(js.devSum - sum)).toBeLessThanOrEqual(1e-12 * Math.max(1, sum));
          });
        }
      }
    }
  }
});

// ---------------------------------------------------------------- dense reference

/** Naive dense Cholesky (lower, in place on a full n×n row-major copy). */
function denseChol(a: number[][]): number[][] {
  const n = a.length;
  const l = a.map((row) => row.map(() => 0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] ** 2;
    expect(d).toBeGreaterThan(0);
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solves M x = b for SPD M via its Cholesky factor. */
function denseSolve(m: number[][], b: number[]): number[] {
  const l = denseChol(m);
  const n = b.length;
  const y = b.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i] -= l[i][k] * y[k];
    y[i] /= l[i][i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i] -= l[k][i] * y[k];
    y[i] /= l[i][i];
  }
  return y;
}

describe('blocked L = dense Cholesky of the full system (src/model pipeline)', () => {
  const r = rng(777);
  const n = 48;
  const data = {
    g: Array.from({ length: n }, (_, i) => `g${i % 7}`),
    h: Array.from({ length: n }, (_, i) => `h${(i * 5 + Math.floor(i / 7)) % 4}`),
    x: Array.from({ length: n }, () => r()),
    z: Array.from({ length: n }, () => r()),
    y: Array.from({ length: n }, () => 2 * r()),
  };
  const frame = buildModelFrame('y ~ x + z + (1 + x | g) + (1 | h)', data);
  const p = frame.xNames.length;
  const re = buildReStructure(frame.randomTerms, n);
  const theta = Float64Array.from({ length: re.nTheta }, (_, i) => [0.8, -0.3, 0.6, 1.3][i % 4]);

  /** Dense Z in layout order and Λ (q×q, block diagonal with one T per level). */
  const lay = buildLayout(re.blocks, n, p);
  const blocks = [lay.first, ...lay.tailBlocks];
  const starts = [0, ...lay.tailStart.map((s) => s + lay.first.nl * lay.first.v)];
  const q = lay.q;
  const Z = Array.from({ length: n }, () => new Array<number>(q).fill(0));
  const Lam = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  blocks.forEach((b, k) => {
    for (let i = 0; i < n; i++)
      for (let c = 0; c < b.v; c++) Z[i][starts[k] + b.refs[i] * b.v + c] = b.z[i * b.v + c];
    const T = new Array<number>(b.v * b.v).fill(0);
    for (const s of b.slots) T[s.row + s.col * b.v] = theta[s.thetaIndex];
    for (let l = 0; l < b.nl; l++) {
      for (let c = 0; c < b.v; c++)
        for (let rr = 0; rr < b.v; rr++)
          Lam[starts[k] + l * b.v + rr][starts[k] + l * b.v + c] = T[rr + c * b.v];
    }
  });
  // M = [ZΛ X y]; A = MᵀM + diag(I_q, 0)
  const X = (i: number, j: number) => frame.X[i + j * n];
  const M = Array.from({ length: n }, (_, i) => {
    const row: number[] = [];
    for (let c = 0; c < q; c++) {
      let s = 0;
      for (let k = 0; k < q; k++) s += Z[i][k] * Lam[k][c];
      row.push(s);
    }
    for (let j = 0; j < p; j++) row.push(X(i, j));
    row.push(frame.response.y[i]);
    return row;
  });
  const m = q + p + 1;
  const A = Array.from({ length: m }, (_, a) =>
    Array.from({ length: m }, (_, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += M[i][a] * M[i][b];
      return s + (a === b && a < q ? 1 : 0);
    }),
  );
  const Ld = denseChol(A);
  const denseLogdetRe = 2 * Ld.slice(0, q).reduce((s, row, i) => s + Math.log(row[i]), 0);
  const denseLogdetX = 2 * Ld.slice(q, q + p).reduce((s, row, i) => s + Math.log(row[q + i]), 0);
  const densePwrss = Ld[m - 1][m - 1] ** 2;
  const sol = denseSolve(
    A.slice(0, m - 1).map((row) => row.slice(0, m - 1)),
    A.slice(0, m - 1).map((row) => row[m - 1]),
  );

  it('has a vector first block and a crossed tail', () => {
    expect(lay.first.group).toBe('g');
    expect(lay.first.v).toBe(2);
    expect(lay.tailBlocks.map((b) => b.group)).toEqual(['h']);
  });

  for (const { label, backend } of backends) {
    it(label, () => {
      backend.heap.reset();
      const sys = allocateSystem(backend, re, lay, rowMajor(frame.X, n, p));
      backend.heap.f64.set(frame.response.y, sys.off.y);
      updateCrossprod(sys, false);
      expect(updateL(setTheta(sys, theta))).toBe(0);
      expect(Math.abs(logdetRe(sys) - denseLogdetRe)).toBeLessThanOrEqual(
        1e-11 * Math.max(1, Math.abs(denseLogdetRe)),
      );
      expect(Math.abs(logdetX(sys) - denseLogdetX)).toBeLessThanOrEqual(
        1e-11 * Math.max(1, Math.abs(denseLogdetX)),
      );
      expect(Math.abs(pwrss(sys) / densePwrss - 1)).toBeLessThanOrEqual(1e-11);
      const { u, beta } = solveUBeta(sys);
      expect(rel(u, sol.slice(0, q))).toBeLessThanOrEqual(1e-11);
      expect(rel(beta, sol.slice(q))).toBeLessThanOrEqual(1e-11);
      // the residual identity: pwrss = |y - ZΛu - Xβ|² + |u|²
      let rss = 0;
      for (let i = 0; i < n; i++) {
        let fit = 0;
        for (let c = 0; c < q; c++) fit += M[i][c] * u[c];
        for (let j = 0; j < p; j++) fit += X(i, j) * beta[j];
        rss += (frame.response.y[i] - fit) ** 2;
      }
      const pen = u.reduce((s, v) => s + v * v, 0);
      expect(Math.abs((rss + pen) / densePwrss - 1)).toBeLessThanOrEqual(1e-10);
    });
  }
});
