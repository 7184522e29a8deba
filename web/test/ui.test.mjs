// The web UI against a real daemon (in the test's network namespace), a real tiny guest and a real browser.
// The tests run in order and share the guest the wizard creates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, screenshot, row, callApi, taskSucceeded, url, admin, auditor } from './lib.mjs';

const VM = 'web1';
const IMAGE = process.env.VESSEL_CONTAINER_IMAGE || 'busybox:web';
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
});

test('the page comes with a strict Content-Security-Policy, gzip and cache headers', async () => {
  const res = await page.goto(url + '/');
  const h = res.headers();
  assert.match(h['content-security-policy'], /script-src 'self' 'sha256-[A-Za-z0-9+/=]+';/);
  assert.doesNotMatch(h['content-security-policy'], /unsafe-eval/);
  assert.match(h['content-security-policy'], /connect-src 'self'/);
  assert.equal(h['cache-control'], 'no-cache');
  const script = await page.locator('script[type=module]').getAttribute('src');
  const asset = await page.request.get(url + script, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(asset.status(), 200);
  assert.equal(asset.headers()['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(asset.headers()['content-encoding'], 'gzip');
});

test('a wrong password is refused, and the page stays on the login form', async () => {
  await page.goto(url + '/');
  await page.fill('input[name=username]', admin.user);
  await page.fill('input[name=password]', admin.password + '-wrong');
  await page.click('button[type=submit]');
  await page.waitForSelector('.login [role=alert]');
  assert.match(await page.textContent('.login [role=alert]'), /Wrong user name or password/);
  assert.equal(await page.locator('[data-testid=user]').count(), 0);
  await screenshot(page, 'login');
});

test('the wizard shows an API validation error at its field, and creates nothing', async () => {
  await login(page, admin);
  await page.click('[data-action=create-vm]');
  await page.fill('.dialog input[name=name]', 'bad-memory');
  await page.fill('.dialog input[name=memory]', 'lots');
  await page.click('.dialog button[type=submit]');
  const err = page.locator('.dialog [data-field=memory] .field-error');
  await err.waitFor();
  assert.match(await err.textContent(), /'lots' is not a size/);
  assert.equal((await callApi(page, 'GET', '/api/v1/instances/bad-memory')).status, 404);
  await page.click('.dialog button[type=button]');
});

test('through the wizard: create a VM from the tiny image, start it, see it running and its graphs draw', async () => {
  await page.click('[data-action=create-vm]');
  await page.fill('.dialog input[name=name]', VM);
  await page.selectOption('.dialog select[name=image]', 'tiny-disk'); // the tiny guest with a root disk to snapshot
  await page.fill('.dialog input[name=memory]', '256M');
  await screenshot(page, 'create-vm');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.dialog', { state: 'detached' });
  await page.waitForSelector(`.detail[data-instance=${VM}]`);
  await page.waitForFunction(
    (id) => document.querySelector(`.tree .row[data-id="${id}"] .status`)?.textContent === 'running',
    'vm:' + VM, { timeout: 180_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'running',
    null, { timeout: 30_000 });
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=graph-cpu]')?.dataset.points) >= 3, null, { timeout: 60_000 });
  const drawn = await page.locator('[data-testid=graph-cpu] canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) coloured++;
    return coloured;
  });
  assert.ok(drawn > 0, 'the CPU graph drew nothing');
  await screenshot(page, 'summary');
});

test('the serial console shows the guest, and a typed command echoes its answer', async () => {
  await page.click('[data-tab=console]');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'connected');
  await page.click('[data-testid=serial-terminal]');
  await page.keyboard.press('Enter');
  await page.keyboard.type('echo vessel-$((6*7))\n');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=serial-terminal] .xterm-rows')?.textContent.includes('vessel-42'),
    null, { timeout: 60_000 });
  await screenshot(page, 'console');
});

test('a console ticket is good for one connection only', async () => {
  await page.click('[data-tab=summary]'); // the console tab lets the serial line go
  const result = await page.evaluate(async (name) => {
    const t = await (await fetch(`/api/v1/instances/${name}/console/ticket?type=serial`, {
      method: 'POST', headers: { CSRFPreventionToken: sessionStorage.getItem('vessel.csrf') } })).json();
    const open = (path) => new Promise((resolve) => {
      const ws = new WebSocket(`wss://${location.host}${path}`);
      ws.onopen = () => {
        ws.close();
        resolve('open');
      };
      ws.onerror = () => resolve('refused');
    });
    return [await open(t.path), await open(t.path)];
  }, VM);
  assert.deepEqual(result, ['open', 'refused']);
});

test('snapshot, shutdown, rollback and clone through the UI', async () => {
  await page.click('[data-tab=snapshots]');
  await page.fill('input[name=snapshot]', 'before');
  await page.click('.snapshots form.inline:first-child button[type=submit]');
  await page.waitForSelector('[data-snapshot=before]', { timeout: 120_000 });
  await screenshot(page, 'snapshots');
  await page.click('[data-tab=summary]');
  await page.click('[data-action=stop]');
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'stopped',
    null, { timeout: 180_000 });
  await page.click('[data-tab=snapshots]');
  await page.click('[data-snapshot=before] [data-action=rollback]');
  await page.waitForFunction(
    () => [...document.querySelectorAll('.bottom tr.task')].some((r) => r.textContent.includes('rollback')
      && r.textContent.includes('succeeded')), null, { timeout: 120_000 });
  await page.fill('input[name=clone]', VM + '-copy');
  await page.click('.snapshots form.inline:last-child button[type=submit]');
  await row(page, 'vm:' + VM + '-copy').waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('.banner.error').count(), 0);
});

test('the network and volume wizards: a bad subnet shows at its field, then both are made', async () => {
  await page.click('[data-action=create-network]');
  await page.fill('.dialog input[name=name]', 'webnet');
  await page.fill('.dialog input[name=subnet]', '10.77.0.0/33');
  await page.click('.dialog button[type=submit]');
  const err = page.locator('.dialog [data-field=subnet] .field-error');
  await err.waitFor();
  assert.match(await err.textContent(), /10\.77\.0\.0\/33/);
  assert.equal((await callApi(page, 'GET', '/api/v1/networks/webnet')).status, 404);
  await page.fill('.dialog input[name=subnet]', '10.77.0.0/24');
  await screenshot(page, 'create-network');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.dialog', { state: 'detached' });
  await row(page, 'network:webnet').waitFor();

  await page.click('[data-action=create-volume]');
  await page.fill('.dialog input[name=name]', 'webvol');
  await page.fill('.dialog input[name=size]', '64M');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.dialog', { state: 'detached' });
  await row(page, 'volume:webvol').waitFor();
  assert.equal(JSON.parse((await callApi(page, 'GET', '/api/v1/volumes/webvol')).body).virtualSize, 64 << 20);
});

test('hardware: attach the new volume to the stopped VM; backup: back it up; task history shows the log', async () => {
  await row(page, 'vm:' + VM).click();
  await page.click('[data-tab=hardware]');
  await page.waitForSelector('[data-testid=hardware]');
  assert.match(await page.textContent('[data-testid=hardware]'), /1 vCPU/);
  await page.fill('[data-testid=hw-edit] input[name=cpus]', '2');
  await page.fill('[data-testid=hw-edit] input[name=memory]', '320M');
  await page.click('[data-testid=hw-edit] button[type=submit]');
  await page.waitForFunction(() => /2 vCPUs/.test(document.querySelector('[data-testid=hardware]')?.textContent));
  assert.match(await page.textContent('[data-testid=hardware]'), /320\.0 MiB/);
  await page.click('[data-tab=options]');
  // a click, not check(): the box follows the stored spec, so it turns on when the PATCH has been answered
  await page.click('[data-testid=options] input[name=autostart]');
  await page.waitForFunction(async (vm) => (await (await fetch(`/api/v1/instances/${vm}`)).json()).spec.autostart, VM);
  await page.selectOption('[data-testid=options] select[name=restart]', 'on-failure');
  await page.waitForFunction(async (vm) => (await (await fetch(`/api/v1/instances/${vm}`)).json()).spec.restart
    === 'on-failure', VM);
  await page.click('[data-tab=hardware]');
  await page.selectOption('select[name=attach]', 'webvol');
  await page.click('.hw-add form:first-child button[type=submit]');
  await page.waitForSelector('[data-testid=hardware] [data-volume=webvol]');
  const disk = JSON.parse((await callApi(page, 'GET', '/api/v1/volumes/webvol')).body);
  assert.equal(disk.attachedTo, VM);
  await screenshot(page, 'hardware');

  await page.click('[data-tab=backup]');
  await page.click('[data-action=backup]');
  await page.waitForSelector('[data-testid=backups] [data-backup]', { timeout: 180_000 });
  await screenshot(page, 'backup');

  await page.click('[data-tab=tasks]');
  const backup = page.locator('[data-testid=instance-tasks] tr.task', { hasText: 'backup' }).first();
  await backup.waitFor();
  await backup.click();
  const log = page.locator('[data-testid=instance-tasks] [data-testid=task-log]');
  await page.waitForFunction(() => /backup: succeeded/.test(
    document.querySelector('[data-testid=instance-tasks] [data-testid=task-log]')?.textContent || ''));
  assert.match(await log.textContent(), /backup .*started/);
});

test('hardware of a Windows 11 VM: its platform and the Secure Boot keys warning', async () => {
  const made = await callApi(page, 'POST', '/api/v1/vms', {
    name: 'win11', os: 'win11', memory: '512M', disks: [{ size: '64M' }], networks: [],
  });
  assert.equal(made.status, 201, made.body);
  await row(page, 'vm:win11').click();
  await page.click('[data-tab=hardware]');
  await page.waitForSelector('[data-testid=platform]');
  assert.equal((await page.textContent('[data-testid=platform]')).trim(), 'win11 · uefi-secure · TPM 2.0');
  assert.match(await page.textContent('[data-testid=hardware]'), /2011 UEFI CA, which expired in June 2026/);
  assert.match(await page.textContent('[data-testid=hardware]'), /Bootfirmware, disk then cdrom/);
  await screenshot(page, 'hardware-win11');
});

test('run a container through the wizard: its logs, its environment, and a shell in it', async () => {
  await page.click('[data-action=create-container]');
  await page.fill('.dialog input[name=image]', IMAGE);
  await page.fill('.dialog input[name=name]', 'shell1');
  await page.fill('.dialog input[name=command]', "sh -c 'echo started-ok; exec sleep 3600'");
  await page.fill('.dialog textarea[name=env]', 'GREETING=hello from the wizard');
  await page.fill('.dialog input[name=ports]', '127.0.0.1:18080:80');
  await screenshot(page, 'run-container');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.dialog', { state: 'detached' });
  await page.waitForFunction(
    () => document.querySelector('.tree .row[data-id="container:shell1"] .status')?.textContent === 'running',
    null, { timeout: 60_000 });
  await page.waitForSelector('.detail[data-instance=shell1] [data-tab=exec]');

  await page.click('[data-tab=logs]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=container-logs]')?.textContent.includes('started-ok'));

  await page.click('[data-tab=config]');
  await page.waitForSelector('[data-testid=container-env]');
  assert.match(await page.textContent('[data-testid=container-env]'), /GREETING\s*hello from the wizard/);
  await page.waitForFunction(() => document.querySelector('[data-testid=container-ports]')?.textContent.includes('18080'));
  await screenshot(page, 'container-config');

  await page.click('[data-tab=exec]');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'connected');
  await page.click('[data-testid=exec-terminal]');
  await page.keyboard.type('echo "exec-$((6*7)) $GREETING"; stty size\n');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=exec-terminal] .xterm-rows')?.textContent
      .includes('exec-42 hello from the wizard'), null, { timeout: 30_000 });
  await screenshot(page, 'container-exec');
  await page.keyboard.type('exit 3\n');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'exited 3');

  // attach: the process's output from the start, and its terminal echoes what is typed into its stdin
  await page.click('[data-tab=attach]');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-state]')?.textContent === 'connected');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=attach-terminal] .xterm-rows')?.textContent.includes('started-ok'));
  await page.click('[data-testid=attach-terminal]');
  await page.keyboard.type('typed-through-attach');
  await page.waitForFunction(() => document.querySelector('[data-testid=attach-terminal] .xterm-rows')
    ?.textContent.includes('typed-through-attach'), null, { timeout: 30_000 });
});

test('an Auditor sees no start button, and the API refuses the forced call', async () => {
  await page.click('header button:last-child'); // log out
  await page.waitForSelector('input[name=username]');
  await login(page, auditor);
  await row(page, 'vm:' + VM + '-copy').click();
  await page.waitForSelector(`.detail[data-instance=${VM}-copy] [data-testid=status]`);
  assert.equal(await page.locator('[data-action=start]').count(), 0);
  assert.equal(await page.locator('[data-action=create-vm]').count(), 0);
  const forced = await callApi(page, 'POST', `/api/v1/instances/${VM}-copy/start`);
  assert.equal(forced.status, 403, forced.body);
  await screenshot(page, 'auditor');

  // none of the other wizards, and no changes in the VM's tabs: hidden, and refused when forced
  for (const k of ['container', 'network', 'volume']) {
    assert.equal(await page.locator(`[data-action=create-${k}]`).count(), 0, k);
  }
  await page.click('[data-tab=hardware]');
  await page.waitForSelector('[data-testid=hardware]');
  assert.equal(await page.locator('[data-testid=hw-edit]').count(), 0);
  assert.equal(await page.locator('.hw-add').count(), 0);
  assert.equal((await callApi(page, 'PATCH', `/api/v1/instances/${VM}-copy`, { cpus: 2 })).status, 403);
  await page.click('[data-tab=options]');
  assert.ok(await page.locator('[data-testid=options] input[name=autostart]').isDisabled());
  await page.click('[data-tab=backup]');
  assert.equal(await page.locator('[data-action=backup]').count(), 0);
  assert.equal((await callApi(page, 'POST', `/api/v1/instances/${VM}-copy/backup`, {})).status, 403);

  // a container: its logs and configuration, but no shell, no attach, and the forced ticket refused
  await row(page, 'container:shell1').click();
  await page.waitForSelector('.detail[data-instance=shell1] [data-tab=logs]');
  assert.equal(await page.locator('[data-tab=exec]').count(), 0);
  assert.equal(await page.locator('[data-tab=attach]').count(), 0);
  assert.equal((await callApi(page, 'POST', '/api/v1/instances/shell1/console/ticket?type=exec')).status, 403);
});
