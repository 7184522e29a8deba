// The REST face, as the UI calls it. The login ticket lives in an HttpOnly cookie the page never sees; every call
// that changes something carries the CSRF token that came with it (Proxmox VE's CSRFPreventionToken).

const CSRF_KEY = 'vessel.csrf';
const PROJECT_KEY = 'vessel.project';

/** The project the UI works in (Incus's project switcher): every call names it, as the CLI's --project does. */
export function project() {
  return sessionStorage.getItem(PROJECT_KEY) || 'default';
}

export function setProject(name) {
  if (name && name !== 'default') sessionStorage.setItem(PROJECT_KEY, name);
  else sessionStorage.removeItem(PROJECT_KEY);
}

/** A path with the project in its query, for what cannot send a header (streams read with fetch elsewhere). */
export function inProject(path) {
  const p = project();
  return p === 'default' ? path : path + (path.includes('?') ? '&' : '?') + 'project=' + encodeURIComponent(p);
}

/** An answer that is not 2xx: the RFC 9457 problem, with the field it is about when the API names one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.field = problem?.field || null;
    this.code = problem?.code || null;
  }
}

let onUnauthorized = () => {};

/** Called when a call answers 401: the session is gone and the login page shows. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'X-Vessel-Project': project() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = sessionStorage.getItem(CSRF_KEY);
  if (method !== 'GET' && csrf) headers.CSRFPreventionToken = csrf;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith('/access/ticket')) onUnauthorized();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const del = (path) => api('DELETE', path);

export async function login(username, password) {
  const t = await api('POST', '/api/v1/access/ticket', { username, password });
  sessionStorage.setItem(CSRF_KEY, t.csrfPreventionToken);
  return t;
}

export async function logout() {
  try {
    await api('DELETE', '/api/v1/access/ticket');
  } finally {
    sessionStorage.removeItem(CSRF_KEY);
  }
}

/** What the caller may do on an ACL path, as the API decides it. */
export async function privileges(path) {
  const w = await get('/api/v1/access/whoami?path=' + encodeURIComponent(path));
  return { user: w.name, method: w.method, privileges: new Set(w.privileges) };
}

export const enc = encodeURIComponent;

/** An instance's key as the engine names it in tasks and ports: web, or web.dev for web in project dev. */
export function keyOf(view) {
  return view.project && view.project !== 'default' ? `${view.name}.${view.project}` : view.name;
}
