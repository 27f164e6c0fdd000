#!/usr/bin/env node
/**
 * Static server of the demo page (Node http, no server dependency), localhost only.
 *
 *   /            demo/index.html and the page's modules
 *   /dist/...    the library's browser bundle (npm run build)
 *   /vendor/...  Observable Plot and d3, copied from node_modules at start (no CDN)
 *   /data/...    the reference datasets of test/fixtures (index.json lists them)
 *
 * Usage: node demo/serve.mjs [--port N]  (PORT env also works; 0 = any free port).
 * Prints "listening on http://127.0.0.1:PORT/" once ready (the browser tests read that line).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const demoDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(demoDir, '..');
const fixtures = join(root, 'test', 'fixtures');

/** The vendored plotting library: pinned devDependencies, copied so the page never needs a CDN. */
const VENDOR = {
  'd3.min.js': join(root, 'node_modules', 'd3', 'dist', 'd3.min.js'),
  'plot.umd.min.js': join(root, 'node_modules', '@observablehq', 'plot', 'dist', 'plot.umd.min.js'),
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

function copyVendor() {
  const dir = join(demoDir, 'vendor');
  mkdirSync(dir, { recursive: true });
  for (const [name, src] of Object.entries(VENDOR)) {
    if (!existsSync(src)) throw new Error(`demo: ${src} is missing (run npm ci)`);
    copyFileSync(src, join(dir, name));
  }
}

/** Maps a URL path to a file inside one of the served folders, or null (never escapes them). */
function fileFor(pathname) {
  const mounts = [
    ['/dist/', join(root, 'dist')],
    ['/data/', fixtures],
    ['/', demoDir],
  ];
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const rel = pathname.slice(prefix.length) || 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep)) return null;
    if (prefix === '/data/' && extname(file) !== '.csv') return null;
    return file;
  }
  return null;
}

function dataIndex() {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => ({ name: f.replace(/\.csv$/, ''), url: `/data/${f}` }));
}

async function handle(req, res) {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(pathname);
  try {
    if (path === '/data/index.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
      res.end(JSON.stringify(dataIndex()));
      return;
    }
    const file = fileFor(path);
    if (!file) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch (e) {
    const missing = e.code === 'ENOENT' || e.code === 'EISDIR';
    res.writeHead(missing ? 404 : 500, { 'content-type': 'text/plain' });
    res.end(missing ? `not found: ${path}` : String(e));
  }
}

/** Starts the server; resolves with its base URL. */
export async function startDemoServer(port = 0) {
  copyVendor();
  if (!existsSync(join(root, 'dist', 'browser.js'))) {
    throw new Error('demo: dist/browser.js is missing (run npm run build)');
  }
  const server = createServer((req, res) => void handle(req, res));
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const address = server.address();
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : (process.env.PORT ?? 8080));
  const { url } = await startDemoServer(port);
  console.log(`listening on ${url}`);
}
