import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, logout, privileges, whenUnauthorized, enc, project, setProject } from './api.js';
import { Login } from './login.js';
import { Tree } from './tree.js';
import { Summary } from './summary.js';
import { ContainerLogs, ContainerConfig } from './container.js';
import { Snapshots } from './snapshots.js';
import { Hardware, Backups, Options } from './vmtabs.js';
import { InstanceTasks } from './tasks.js';
import { CreateVm, RunContainer, CreateNetwork, CreateVolume } from './wizard.js';
import { BottomPanel, follow } from './events.js';
import { NodeSummary, Properties } from './node.js';

const none = { privileges: new Set() };

// The header's create buttons: the wizard, the ACL path and privilege it needs, its label.
const CREATE = [
  ['vm', '/vms', 'VM.Allocate', 'Create VM'],
  ['container', '/containers', 'Container.Allocate', 'Run container'],
  ['network', '/networks', 'Network.Allocate', 'Create network'],
  ['volume', '/pools', 'Pool.Allocate', 'Create volume'],
];
const WIZARDS = {
  vm: { component: CreateVm, select: 'vm' },
  container: { component: RunContainer, select: 'container' },
  network: { component: CreateNetwork, select: 'network' },
  volume: { component: CreateVolume, select: 'volume' },
};

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
  const [instances, networks, pools, volumes, images] = await Promise.all([
    list('/api/v1/instances'), list('/api/v1/networks'), list('/api/v1/pools'), list('/api/v1/volumes'),
    list('/api/v1/images')]);
  return {
    node: location.hostname,
    vm: instances.filter((i) => i.kind === 'vm').sort(byName),
    container: instances.filter((i) => i.kind === 'container').sort(byName),
    network: networks.sort(byName),
    pool: pools.sort(byName),
    volume: volumes.sort(byName),
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

/**
 * The consoles (xterm.js and noVNC, most of the page's weight) load when a console tab first opens, not with the
 * login page: a dynamic import, resolved through the same import map.
 */
let consoles = null;
function LazyConsole({ kind, ...props }) {
  const [mod, setMod] = useState(null);
  useEffect(() => {
    consoles = consoles || import('./console.js');
    consoles.then(setMod);
  }, []);
  if (!mod) return html`<p class="hint">Loading the console…</p>`;
  const C = { exec: mod.ContainerExec, attach: mod.ContainerAttach }[kind] || mod.Console;
  return html`<${C} ...${props} />`;
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
  const running = view.status === 'running';
  const tabs = [['summary', 'Summary'], privs.has(consolePriv) && vm && ['console', 'Console'],
    !vm && ['logs', 'Logs'], !vm && privs.has(consolePriv) && running && ['exec', 'Exec'],
    !vm && privs.has(consolePriv) && running && ['attach', 'Attach'],
    vm && ['hardware', 'Hardware'], vm && ['snapshots', 'Snapshots'], vm && ['backup', 'Backup'],
    vm && ['options', 'Options'], !vm && ['config', 'Configuration'], ['tasks', 'Task history']].filter(Boolean);
  return html`<div class="detail" data-instance=${name}>
    <h2><span class=${'icon ' + view.kind + ' state-' + view.status}></span>${name}</h2>
    <div class="tabs" role="tablist">
      ${tabs.map(([k, label]) => html`<button role="tab" data-tab=${k} aria-selected=${tab === k}
        class=${tab === k ? 'on' : ''} onClick=${() => setTab(k)}>${label}</button>`)}
    </div>
    <div class="tab-body">
      ${tab === 'summary' && html`<${Summary} view=${view} privs=${privs} onChanged=${onChanged} onError=${onError} />`}
      ${tab === 'console' && html`<${LazyConsole} kind="vm" view=${view} />`}
      ${tab === 'snapshots' && html`<${Snapshots} view=${view} privs=${privs} tick=${tick} onError=${onError} />`}
      ${tab === 'logs' && html`<${ContainerLogs} name=${name} />`}
      ${tab === 'exec' && html`<${LazyConsole} kind="exec" name=${name} />`}
      ${tab === 'attach' && html`<${LazyConsole} kind="attach" name=${name} stdin=${!!view.spec?.interactive} />`}
      ${tab === 'hardware' && html`<${Hardware} view=${view} privs=${privs} tick=${tick} onError=${onError}
        onChanged=${onChanged} />`}
      ${tab === 'backup' && html`<${Backups} view=${view} privs=${privs} tick=${tick} onError=${onError}
        onChanged=${onChanged} />`}
      ${tab === 'options' && html`<${Options} view=${view} privs=${privs} onError=${onError} onChanged=${onChanged} />`}
      ${tab === 'config' && html`<${ContainerConfig} view=${view} />`}
      ${tab === 'tasks' && html`<${InstanceTasks} view=${view} tick=${tick} />`}
    </div>
  </div>`;
}

function Workspace({ user, onLogout }) {
  const [resources, setResources] = useState({ vm: [], container: [], network: [], pool: [], volume: [], image: [] });
  const [selected, setSelected] = useState({ id: 'node', type: 'node' });
  const [events, setEvents] = useState([]);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState(null);
  const [wizard, setWizard] = useState(null);
  const [can, setCan] = useState({});
  const [projects, setProjects] = useState([]);
  const [current, setCurrent] = useState(project());
  const pending = useRef(null);

  const reload = useCallback(() => {
    loadResources().then((r) => {
      setResources(r);
      setTick((t) => t + 1);
    }).catch((e) => setError(e.message));
  }, []);
  useEffect(() => {
    // What the header offers: each wizard only to a caller whose role may do it (the API refuses the others anyway).
    const scope = current === 'default' ? '' : '/projects/' + current;
    Promise.all(CREATE.map(([, path, priv]) => privileges(scope + path).then((p) => p.privileges.has(priv), () => false)))
      .then((ok) => setCan(Object.fromEntries(CREATE.map(([k], n) => [k, ok[n]]))));
  }, [current]);
  useEffect(() => {
    list('/api/v1/projects').then((l) => setProjects(l.map((p) => p.name).sort())).catch(() => setProjects([]));
  }, []);
  useEffect(() => {
    reload();
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
      ${projects.length > 1 && html`<label class="project">Project
        <select data-testid="project" value=${current} onChange=${(e) => {
          setProject(e.target.value);
          setCurrent(e.target.value);
          setSelected({ id: 'node', type: 'node' });
          reload();
        }}>${projects.map((p) => html`<option value=${p}>${p}</option>`)}</select></label>`}
      ${CREATE.filter(([k]) => can[k]).map(([k, , , label]) => html`<button class=${k === 'vm' ? 'primary' : ''}
        data-action=${'create-' + k} onClick=${() => setWizard(k)}>${label}</button>`)}
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
      ${['network', 'pool', 'volume', 'image'].includes(selected.type) && item && html`<div class="detail">
        <h2>${item.name}</h2><${Properties} value=${item} /></div>`}
    </main>
    <${BottomPanel} events=${events} tick=${tick} />
    ${wizard && html`<${WIZARDS[wizard].component} onClose=${() => setWizard(null)} onCreated=${(name) => {
      const type = WIZARDS[wizard].select;
      setWizard(null);
      reload();
      setSelected({ id: type + ':' + name, type });
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
