// A thousand instances in the store: the tree renders them all (its group counts them), keeps only the rows in view
// in the DOM, scrolls to the last one, and filters. They live in a project of their own, so the other suites'
// trees stay as they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, screenshot, row, callApi, url, admin } from './lib.mjs';

const N = 1000;
const PROJECT = 'scale';
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
});

test(`${N} instances: the tree renders them, keeps few rows in the DOM, scrolls to the last and filters`, async () => {
  await login(page, admin);
  // The project shares the default project's images (the tiny guest) and makes VMs without NICs.
  const made = await callApi(page, 'POST', '/api/v1/projects', { name: PROJECT, features: { images: 'false' } });
  assert.equal(made.status, 201, made.body);
  const names = Array.from({ length: N }, (_, i) => 'vm-' + String(i).padStart(4, '0'));
  const failures = await page.evaluate(async ([all, project]) => {
    const headers = { CSRFPreventionToken: sessionStorage.getItem('vessel.csrf'), 'Content-Type': 'application/json',
      'X-Vessel-Project': project };
    const errors = [];
    let next = 0;
    async function worker() {
      while (next < all.length) {
        const name = all[next++];
        const r = await fetch('/api/v1/vms', { method: 'POST', headers,
          body: JSON.stringify({ name, image: 'tiny', memory: '64M', networks: [] }) });
        if (r.status !== 201) errors.push(`${name}: ${r.status} ${await r.text()}`);
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker));
    return errors;
  }, [names, PROJECT]);
  assert.deepEqual(failures.slice(0, 3), []);
  // JSON answers are gzip'd for a client that asks, as the browser does
  const listed = await page.request.get(`${url}/api/v1/instances?project=${PROJECT}`,
    { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(listed.status(), 200);
  assert.equal(listed.headers()['content-encoding'], 'gzip');
  assert.equal((await listed.json()).length, N);

  await page.evaluate((p) => sessionStorage.setItem('vessel.project', p), PROJECT);
  const t0 = Date.now();
  await page.goto(url + '/');
  await page.waitForFunction((n) => document.querySelector('.tree .row[data-id="group:vm"] .count')?.textContent
    === String(n), N, { timeout: 60_000 });
  console.log(`# the tree showed ${N} instances ${Date.now() - t0} ms after navigation`);
  assert.equal(await page.inputValue('[data-testid=project]'), PROJECT);
  const inDom = await page.locator('.tree .row').count();
  assert.ok(inDom < 120, `${inDom} rows in the DOM: the tree does not keep to the rows in view`);
  assert.equal(await row(page, 'vm:vm-0999').count(), 0);

  await page.locator('.tree .rows').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await row(page, 'vm:vm-0999').waitFor();
  assert.equal(await row(page, 'vm:vm-0000').count(), 0);
  await row(page, 'vm:vm-0999').click();
  await page.waitForSelector('.detail[data-instance=vm-0999] [data-testid=status]');
  assert.equal(await page.textContent('[data-testid=status]'), 'created');
  await screenshot(page, 'tree-1000');

  await page.fill('.tree .filter', 'vm-050');
  await page.waitForFunction(() => document.querySelector('.tree .row[data-id="group:vm"] .count')?.textContent === '10');
  await row(page, 'vm:vm-0505').waitFor();
});

test('in a project of its own: the wizard makes the VM there, and its serial console opens there', async () => {
  await page.fill('.tree .filter', '');
  await page.click('[data-action=create-vm]');
  await page.fill('.dialog input[name=name]', 'p1');
  await page.selectOption('.dialog select[name=image]', 'tiny');
  await page.selectOption('.dialog select[name=network]', 'none');
  await page.fill('.dialog input[name=memory]', '128M');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.dialog', { state: 'detached' });
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'running',
    null, { timeout: 120_000 });
  const inProject = await callApi(page, 'GET', `/api/v1/instances/p1?project=${PROJECT}`);
  assert.equal(JSON.parse(inProject.body).project, PROJECT);
  assert.equal((await callApi(page, 'GET', '/api/v1/instances/p1?project=default')).status, 404);
  // the guest's shell is up once it printed its ready marker (a key typed while it boots is lost)
  await page.waitForFunction(async (p) => (await (await fetch(`/api/v1/instances/p1/logs?project=${p}`)).text())
    .includes('VESSEL-READY'), PROJECT, { timeout: 120_000, polling: 500 });
  await page.click('[data-tab=console]');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'connected');
  await page.click('[data-testid=serial-terminal]');
  // the shell flushes what came before it started: type once its prompt answers an Enter
  const prompt = () => page.evaluate(() => document.querySelector('[data-testid=serial-terminal] .xterm-rows')
    ?.textContent.includes('p1:/#'));
  for (let i = 0; i < 60 && !(await prompt()); i++) {
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
  }
  await page.keyboard.type('echo project-$((40+2))\n');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=serial-terminal] .xterm-rows')?.textContent.includes('project-42'),
    null, { timeout: 60_000 }).catch(async (e) => {
    throw new Error(`${e.message}; the terminal shows: ${await page.textContent('[data-testid=serial-terminal]')}; `
      + `the state: ${await page.textContent('[data-testid=console-state]')}`);
  });
  await page.click('[data-tab=summary]');
  await page.click('[data-action=kill]');
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'stopped',
    null, { timeout: 60_000 });
});

