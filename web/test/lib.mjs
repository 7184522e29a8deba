// What the browser tests share: Debian's chromium driven by playwright-core (never a downloaded browser), a fresh
// profile per run, the daemon's URL and users from the environment the Java side (WebUiIT) sets.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const url = process.env.VESSEL_URL || 'https://127.0.0.1:8006';
export const admin = { user: process.env.VESSEL_ADMIN_USER || 'admin', password: process.env.VESSEL_ADMIN_PASSWORD };
export const auditor = { user: process.env.VESSEL_AUDITOR_USER || 'auditor', password: process.env.VESSEL_AUDITOR_PASSWORD };
const shots = process.env.VESSEL_SCREENSHOTS;

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'vessel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
    ignoreHTTPSErrors: true, // the node's own CA; the TLS tests check the certificate itself
    viewport: { width: 1400, height: 900 },
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  return {
    context,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function login(page, who) {
  await page.goto(url + '/');
  await page.fill('input[name=username]', who.user);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=user]');
}

export async function screenshot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name + '.png') });
}

/** The tree's row for an item, e.g. vm:web1. */
export function row(page, id) {
  return page.locator(`.tree .row[data-id="${id}"]`);
}

/** Calls the API from the page, as the logged-in user: the cookie and the CSRF token the UI keeps. */
export function callApi(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const headers = { CSRFPreventionToken: sessionStorage.getItem('vessel.csrf') };
    if (b !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(p, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: r.status, body: await r.text() };
  }, [method, path, body]);
}

/** Waits until the bottom panel shows a task of this operation that succeeded. */
export function taskSucceeded(page, operation, timeout = 120_000) {
  return page.waitForFunction((op) => [...document.querySelectorAll('.bottom tr.task')]
    .some((r) => r.textContent.includes(op) && r.classList.contains('succeeded')), operation, { timeout });
}
