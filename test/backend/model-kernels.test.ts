/**
 * The GLM kernels: JS and both WASM builds (SIMD and scalar) agree on random inputs to 1e-12
 * relative (not bit-for-bit: AS's exp/log differ from V8's in the last bit), for every family
 * and link. (The system kernels are checked in sparse-system.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/kernels';
import { FamilyCode, makeFamily, type FamilyKind } from '../../src/model/family';
import { LinkCode, type LinkName } from '../../src/model/links';
import { BACKENDS, rng, arrayRelError } from './reference';

const TOL = 1e-12;

const backends = BACKENDS.map((b) => ({ label: b.label, backend: b.make() }));

const rel = arrayRelError;

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
