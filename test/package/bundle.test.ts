/**
 * The built package (dist/, made by `npm run build`, which `npm test` runs first) loads and fits
 * in Node as ESM, as CJS and inside worker_threads, with the WASM bytes inlined.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const data = `{ y: [1, 2, 3, 5, 4, 6, 9, 8, 7], g: ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'] }`;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('built bundle', () => {
  beforeAll(() => {
    if (!existsSync(join(dist, 'index.js')))
      throw new Error('dist/ is missing: run `npm run build`');
  });

  it('loads as ESM and fits with the wasm backend', () => {
    const out = node([
      '--input-type=module',
      '-e',
      `import('./dist/index.js').then(async (m) => { const f = await m.lmer('y ~ 1 + (1 | g)', ${data}); console.log(JSON.stringify([f.backend, f.logLik])); });`,
    ]);
    const [backend, logLik] = JSON.parse(out) as [string, number];
    expect(backend.startsWith('wasm')).toBe(true);
    expect(Number.isFinite(logLik)).toBe(true);
  });

  it('loads as CJS and gives the same fit on both backends', () => {
    const out = node([
      '-e',
      `const m = require('./dist/index.cjs'); const d = ${data}; console.log(JSON.stringify([m.lmerSync('y ~ 1 + (1 | g)', d).logLik, m.lmerSync('y ~ 1 + (1 | g)', d, { backend: 'js' }).logLik]));`,
    ]);
    const [wasm, js] = JSON.parse(out) as [number, number];
    expect(Math.abs(wasm - js)).toBeLessThan(1e-9);
  });

  it('fits inside worker_threads', () => {
    const worker = `const { parentPort } = require('node:worker_threads'); const m = require(${JSON.stringify(join(dist, 'index.cjs'))}); parentPort.postMessage(m.lmerSync('y ~ 1 + (1 | g)', ${data}).backend);`;
    const out = node([
      '-e',
      `const { Worker } = require('node:worker_threads'); const w = new Worker(${JSON.stringify(worker)}, { eval: true }); w.on('message', (b) => { console.log(b); process.exit(0); }); w.on('error', (e) => { console.error(e); process.exit(1); });`,
    ]);
    expect(out.startsWith('wasm')).toBe(true);
  });

  it('needs no file system or network access at run time', () => {
    const code = readFileSync(join(dist, 'index.js'), 'utf8');
    expect(code).not.toMatch(/readFileSync|from ['"]node:fs['"]|fetch\(/);
  });
});
