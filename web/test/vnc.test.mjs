// The graphical console: a VM with std VGA, its screen in noVNC through the daemon's WebSocket-to-VNC bridge,
// checked against what QEMU itself says the screen is (a QMP screendump through the API).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, screenshot, row, admin } from './lib.mjs';

const VM = 'gfx1';
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
  await login(page, admin);
});

after(async () => {
  await page?.evaluate(async (name) => {
    const h = { CSRFPreventionToken: sessionStorage.getItem('vessel.csrf') };
    await fetch(`/api/v1/instances/${name}?force=true`, { method: 'DELETE', headers: h });
  }, VM).catch(() => {});
  await browser?.close();
});

/** The screen as QEMU has it: the PNG's size from its IHDR chunk, and the bytes. */
function screendump(name) {
  return page.evaluate(async (n) => {
    const r = await fetch(`/api/v1/instances/${n}/screenshot`);
    if (r.status !== 200) return { status: r.status, text: await r.text() };
    const b = new Uint8Array(await r.arrayBuffer());
    const be = (o) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    let hash = 0;
    for (const x of b) hash = (hash * 31 + x) >>> 0;
    return { status: 200, type: r.headers.get('content-type'), png: b[1] === 0x50 && b[2] === 0x4e,
      width: be(16), height: be(20), hash };
  }, name);
}

/** noVNC's canvas: its framebuffer size, how many colours it shows, and a hash of its pixels. */
function canvas() {
  return page.locator('[data-testid=vnc-screen] canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) {
      const px = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      if (colours.size < 16) colours.add(px);
      hash = (hash * 31 + px) >>> 0;
    }
    return { width: c.width, height: c.height, colours: colours.size, hash };
  });
}

test('a VM with std VGA shows its screen in noVNC, of the size QEMU reports, and a typed key changes it', async () => {
  const made = await page.evaluate(async (name) => {
    const h = { 'Content-Type': 'application/json', CSRFPreventionToken: sessionStorage.getItem('vessel.csrf') };
    const c = await fetch('/api/v1/vms', { method: 'POST', headers: h,
      body: JSON.stringify({ name, image: 'tiny', memory: '128M', cpus: 1, display: 'std', networks: [] }) });
    const s = await fetch(`/api/v1/instances/${name}/start?wait=true`, { method: 'POST', headers: h });
    return [c.status, s.status, await s.text()];
  }, VM);
  assert.equal(made[0], 201);
  assert.ok(made[1] < 300, made[2]);

  // A screendump is a PNG; a VM without a display has none to give.
  await row(page, 'vm:' + VM).click();
  await page.click('[data-tab=console]');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'connected',
    null, { timeout: 60_000 });
  // The guest's prompt on tty1: the canvas shows more than one colour once it is drawn.
  await page.waitForFunction(() => {
    const c = document.querySelector('[data-testid=vnc-screen] canvas');
    if (!c || !c.width) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return true;
    return false;
  }, null, { timeout: 120_000 });
  // Typing must be what changes the screen: wait for the guest to run and its screen to stand still first.
  await page.waitForFunction(async (n) => (await (await fetch(`/api/v1/instances/${n}`)).json()).status === 'running',
    VM, { timeout: 180_000, polling: 1000 });
  let dump = await screendump(VM);
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(1000);
    const again = await screendump(VM);
    if (again.hash === dump.hash) break;
    dump = again;
  }
  assert.equal(dump.status, 200, dump.text);
  assert.equal(dump.type, 'image/png');
  assert.ok(dump.png, 'the screenshot is not a PNG');
  const before = await canvas();
  assert.ok(before.colours > 1, 'the noVNC canvas is blank');
  assert.deepEqual([before.width, before.height], [dump.width, dump.height]);
  await screenshot(page, 'vnc');

  // Keys typed into the canvas reach the guest's tty1 shell, which echoes them: the screen changes, for noVNC and
  // for QEMU alike.
  await page.click('[data-testid=vnc-screen] canvas');
  await page.keyboard.type('echo vessel-vga\n', { delay: 30 });
  await page.waitForFunction((h) => {
    const c = document.querySelector('[data-testid=vnc-screen] canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    for (let i = 0; i < d.length; i += 4) hash = (hash * 31 + ((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])) >>> 0;
    return hash !== h;
  }, before.hash, { timeout: 60_000 });
  let after = await screendump(VM);
  for (let i = 0; i < 20 && after.hash === dump.hash; i++) {
    await page.waitForTimeout(500);
    after = await screendump(VM);
  }
  assert.notEqual(after.hash, dump.hash, 'QEMU\'s screen did not change after typing');
  await screenshot(page, 'vnc-typed');
});

test('the screenshot needs a display and VM.Console', async () => {
  const r = await page.evaluate(async () => {
    const res = await fetch('/api/v1/instances/no-such-vm/screenshot');
    return res.status;
  });
  assert.equal(r, 404);
});
