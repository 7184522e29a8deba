import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, logout, privileges, whenUnauthorized, enc } from './api.js';
import { Login } from './login.js';
import { Tree } from './tree.js';
import { Summary } from './summary.js';
import { Console } from './console.js';
import { Snapshots } from './snapshots.js';
import { CreateVm } from './wizard.js';
import { BottomPanel, follow } from './events.js';
import { NodeSummary, Properties } from './node.js';

const none = { privileges: new Set() };

async function list(path) {
  try {
    const l = await get(path);
    return Array.isArray(l) ? l : [];
  } catch (e) {
    if (e.status === 403) return []; // the caller may not see these: the tree leaves them out
    throw e;
  }
}

async function loadResources() {
  const [instances, networks, pools, images] = await Promise.all([
    list('/api/v1/instances'), list('/api/v1/networks'), list('/api/v1/pools'), list('/api/v1/images')]);
  return {
    node: location.hostname,
    vm: instances.filter((i) => i.kind === 'vm').sort(byName),
    container: instances.filter((i) => i.kind === 'container').sort(byName),
    network: networks.sort(byName),
    pool: pools.sort(byName),
    image: images.map((i) => ({ ...i, name: i.name || i.references?.[0] || i.id })).sort(byName),
  };
}

function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The instance's ACL path, as the API checks it. */
function aclPath(item) {
  const kind = item.kind === 'vm' ? 'vms' : 'containers';
  return item.project && item.project !== 'default'
    ? `/projects/${item.project}/${kind}/${item.name}` : `/${kind}/${item.name}`;
}

function InstanceDetail({ name, tick, onError, onChanged }) {
  const [view, setView] = useState(null);
  const [privs, setPrivs] = useState(none.privileges);
  const [tab, setTab] = useState('summary');
  useEffect(() => {
    setTab('summary');
  }, [name]);
  useEffect(() => {
    let gone = false;
    get(`/api/v1/instances/${enc(name)}`).then(async (v) => {
      const p = await privileges(aclPath(v));
      if (!gone) {
        setView(v);
        setPrivs(p.privileges);
      }
    }).catch((e) => !gone && onError(e.message));
    return () => {
      gone = true;
    };
  }, [name, tick]);
  if (!view || view.name !== name) return html`<p class="hint">Loading ${name}…</p>`;
  const vm = view.kind === 'vm';
  const consolePriv = vm ? 'VM.Console' : 'Container.Console';
  const tabs = [['summary', 'Summary'], privs.has(consolePriv) && vm && ['console', 'Console'],
    vm && ['snapshots', 'Snapshots'], ['config', 'Configuration']].filter(Boolean);
  return html`<div class="detail" data-instance=${name}>
    <h2><span class=${'icon ' + view.kind + ' state-' + view.status}></span>${name}</h2>
    <div class="tabs" role="tablist">
      ${tabs.map(([k, label]) => html`<button role="tab" data-tab=${k} aria-selected=${tab === k}
        class=${tab === k ? 'on' : ''} onClick=${() => setTab(k)}>${label}</button>`)}
    </div>
    <div class="tab-body">
      ${tab === 'summary' && html`<${Summary} view=${view} privs=${privs} onChanged=${onChanged} onError=${onError} />`}
      ${tab === 'console' && html`<${Console} view=${view} />`}
      ${tab === 'snapshots' && html`<${Snapshots} view=${view} privs=${privs} tick=${tick} onError=${onError} />`}
      ${tab === 'config' && html`<${Properties} value=${view.spec} />`}
    </div>
  </div>`;
}

function Workspace({ user, onLogout }) {
  const [resources, setResources] = useState({ vm: [], container: [], network: [], pool: [], image: [] });
  const [selected, setSelected] = useState({ id: 'node', type: 'node' });
  const [events, setEvents] = useState([]);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState(null);
  const [wizard, setWizard] = useState(false);
  const [canCreate, setCanCreate] = useState(false);
  const pending = useRef(null);

  const reload = useCallback(() => {
    loadResources().then((r) => {
      setResources(r);
      setTick((t) => t + 1);
    }).catch((e) => setError(e.message));
  }, []);
  useEffect(() => {
    reload();
    privileges('/vms').then((p) => setCanCreate(p.privileges.has('VM.Allocate'))).catch(() => {});
    const stop = follow((e) => {
      setEvents((l) => [e, ...l].slice(0, 500));
      clearTimeout(pending.current);
      pending.current = setTimeout(reload, 250); // a burst of events is one reload
    });
    const timer = setInterval(reload, 15000);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, []);

  const item = selected.type === 'node' ? null
    : (resources[selected.type] || []).find((i) => selected.type + ':' + i.name === selected.id);
  return html`<div class="workspace">
    <header>
      <span class="brand"><img src=${document.querySelector('link[rel=icon]').href} alt="" /> Vessel</span>
      <span class="node">${resources.node}</span>
      ${canCreate && html`<button class="primary" data-action="create-vm" onClick=${() => setWizard(true)}>
        Create VM</button>`}
      <span class="spacer"></span>
      <span class="user" data-testid="user">${user}</span>
      <button onClick=${onLogout}>Log out</button>
    </header>
    <${Tree} resources=${resources} selected=${selected.id} onSelect=${setSelected} />
    <main>
      ${error && html`<p class="error banner" role="alert">${error}
        <button onClick=${() => setError(null)} aria-label="Dismiss">×</button></p>`}
      ${selected.type === 'node' && html`<${NodeSummary} />`}
      ${(selected.type === 'vm' || selected.type === 'container') && html`<${InstanceDetail}
        name=${selected.id.slice(selected.type.length + 1)} tick=${tick} onError=${setError} onChanged=${reload} />`}
      ${['network', 'pool', 'image'].includes(selected.type) && item && html`<div class="detail">
        <h2>${item.name}</h2><${Properties} value=${item} /></div>`}
    </main>
    <${BottomPanel} events=${events} tick=${tick} />
    ${wizard && html`<${CreateVm} onClose=${() => setWizard(false)} onCreated=${(name) => {
      setWizard(false);
      reload();
      setSelected({ id: 'vm:' + name, type: 'vm' });
    }} />`}
  </div>`;
}

function App() {
  const [user, setUser] = useState(undefined);
  const check = () => {
    if (!sessionStorage.getItem('vessel.csrf')) {
      setUser(null);
      return;
    }
    privileges('/').then((p) => setUser(p.user)).catch(() => setUser(null));
  };
  useEffect(() => {
    whenUnauthorized(() => setUser(null));
    check();
  }, []);
  if (user === undefined) return html`<p class="hint">…</p>`;
  if (user === null) return html`<${Login} onLogin=${check} />`;
  return html`<${Workspace} user=${user} onLogout=${() => logout().finally(() => setUser(null))} />`;
}

render(html`<${App} />`, document.getElementById('app'));
