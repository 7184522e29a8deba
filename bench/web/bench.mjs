// The measurements of bench/web/run (which starts the daemon): see that script. Setup goes through the unix socket
// as root; the UI is Debian's chromium driven by playwright-core with a fresh profile.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

const require = createRequire(join(process.cwd(), 'package.json'));
const { chromium } = require('playwright-core');
const socket = process.env.BENCH_SOCKET;
const url = process.env.BENCH_URL;
const N = Number(process.env.BENCH_INSTANCES);
const ROUNDS = 5;
const KEYS = 40;

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => (res.statusCode < 300 ? resolve(data ? JSON.parse(data) : null)
          : reject(new Error(`${method} ${path}: ${res.statusCode} ${data}`))));
      });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

async function task(method, path, body) {
  const t = await call(method, path, body);
  for (;;) {
    const done = await call('GET', `/api/v1/tasks/${t.id}/wait?timeout=60`);
    if (done.state === 'succeeded') return done;
    if (done.state !== 'running' && done.state !== 'queued') throw new Error(`${path}: ${JSON.stringify(done)}`);
  }
}

const median = (l) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

// --- set-up: the tiny image, N stopped VMs, one running VM for the console
await task('POST', '/api/v1/images/build-tiny');
const names = Array.from({ length: N }, (_, i) => 'vm-' + String(i).padStart(4, '0'));
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < names.length) await call('POST', '/api/v1/vms', { name: names[next++], image: 'tiny', memory: '64M' });
}));
await call('POST', '/api/v1/vms', { name: 'echo', image: 'tiny', memory: '128M' });
await task('POST', '/api/v1/instances/echo/start?wait=true');

// --- peer of the tree: the same list fetched by curl over TLS with a login ticket
const ticket = JSON.parse(execFileSync('curl', ['-sf', '--cacert', process.env.BENCH_CA, '-H',
  'Content-Type: application/json', '-d', JSON.stringify({ username: process.env.BENCH_USER,
    password: process.env.BENCH_PASSWORD }), `${url}/api/v1/access/ticket`], { encoding: 'utf8' })).ticket;
const curlMs = [];
for (let i = 0; i < ROUNDS; i++) {
  const out = execFileSync('curl', ['-sf', '-o', '/dev/null', '-w', '%{time_total}', '--cacert', process.env.BENCH_CA,
    '-H', `Authorization: Bearer ${ticket}`, `${url}/api/v1/instances`], { encoding: 'utf8' });
  curlMs.push(Number(out) * 1000);
}

// --- the browser
const profile = mkdtempSync(join(tmpdir(), 'vessel-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, ignoreHTTPSErrors: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
  viewport: { width: 1400, height: 900 },
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
let transferred = 0;
cdp.on('Network.loadingFinished', (e) => (transferred += e.encodedDataLength));

// first load: an empty cache, the login page, the login, the tree drawn
await page.goto(url + '/');
await page.waitForSelector('input[name=username]');
const loginBytes = transferred;
await page.fill('input[name=username]', process.env.BENCH_USER);
await page.fill('input[name=password]', process.env.BENCH_PASSWORD);
await page.click('button[type=submit]');
const counted = (n) => page.waitForFunction((c) => document.querySelector('.tree .row[data-id="group:vm"] .count')
  ?.textContent === String(c), n, { timeout: 120_000 });
await counted(N + 1);
const firstLoadBytes = transferred;

// navigation to the tree drawn, warm cache (the modules are immutable), logged in
const treeMs = [];
for (let i = 0; i < ROUNDS; i++) {
  const t0 = Date.now();
  await page.goto(url + '/');
  await counted(N + 1);
  treeMs.push(Date.now() - t0);
}

// serial echo through the bridge: one key, wait for the guest's echo of it, KEYS times
await page.evaluate(() => 0);
const bridge = await page.evaluate(async (keys) => {
  const t = await (await fetch('/api/v1/instances/echo/console/ticket?type=serial', {
    method: 'POST', headers: { CSRFPreventionToken: sessionStorage.getItem('vessel.csrf') } })).json();
  const ws = new WebSocket(`wss://${location.host}${t.path}`);
  ws.binaryType = 'arraybuffer';
  await new Promise((r, j) => { ws.onopen = r; ws.onerror = j; });
  let seen = '';
  let waiter = null;
  ws.onmessage = (e) => {
    seen += new TextDecoder().decode(e.data);
    if (waiter) waiter();
  };
  const until = (s) => new Promise((r) => {
    waiter = () => seen.includes(s) && r();
    waiter();
  });
  ws.send(new TextEncoder().encode('\n'));
  await until('#');
  const out = [];
  for (let i = 0; i < keys; i++) {
    const k = String.fromCharCode(97 + (i % 26));
    seen = '';
    const t0 = performance.now();
    ws.send(new TextEncoder().encode(k));
    await until(k);
    out.push(performance.now() - t0);
  }
  ws.send(new TextEncoder().encode('\u0015')); // ^U: the line is dropped
  ws.close();
  return out;
}, KEYS);
await context.close();
rmSync(profile, { recursive: true, force: true });

// the same on the raw console stream (HTTP upgrade on the unix socket, as `vessel vm console`)
const raw = await new Promise((resolve, reject) => {
  const req = http.request({ socketPath: socket, path: '/api/v1/instances/echo/console',
    headers: { Connection: 'Upgrade', Upgrade: 'vessel-console' } });
  req.on('upgrade', async (res, s) => {
    let seen = '';
    let waiter = null;
    s.on('data', (d) => {
      seen += d.toString('latin1');
      if (waiter) waiter();
    });
    const until = (x) => new Promise((r) => {
      waiter = () => seen.includes(x) && r();
      waiter();
    });
    s.write('\n');
    await until('#');
    const out = [];
    for (let i = 0; i < KEYS; i++) {
      const k = String.fromCharCode(97 + (i % 26));
      seen = '';
      const t0 = performance.now();
      s.write(k);
      await until(k);
      out.push(performance.now() - t0);
    }
    s.write('\u0015');
    s.end();
    resolve(out);
  });
  req.on('response', (res) => reject(new Error('the console refused the upgrade: ' + res.statusCode)));
  req.on('error', reject);
  req.end();
});

const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) + 'x' : '–');
console.log('| benchmark | vessel | peer | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(`| navigation to the tree drawn with ${N + 1} instances, warm cache, logged in (median of ${ROUNDS}) | ` +
  `${fmt(median(treeMs))} ms | GET /api/v1/instances with curl over TLS: ${fmt(median(curlMs))} ms | ` +
  `${ratio(median(treeMs), median(curlMs))} |`);
console.log(`| first load, empty cache: login page, then logged in until the tree is drawn | ` +
  `${(firstLoadBytes / 1024).toFixed(0)} KiB | the login page alone: ${(loginBytes / 1024).toFixed(0)} KiB | ` +
  `${ratio(firstLoadBytes, loginBytes)} |`);
console.log(`| serial keystroke echo, tiny guest, through the WebSocket bridge from chromium (median of ${KEYS}) | ` +
  `${fmt(median(bridge))} ms | the raw console stream on the unix socket: ${fmt(median(raw))} ms | ` +
  `${ratio(median(bridge), median(raw))} |`);
