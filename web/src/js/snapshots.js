import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, del, enc } from './api.js';

/** The snapshot tree (each under its parent, "current" marks where the VM is), with create, rollback and delete. */
export function Snapshots({ view, privs, tick, onError }) {
  const [tree, setTree] = useState(null);
  const [name, setName] = useState('');
  const [ram, setRam] = useState(false);
  const [cloneName, setCloneName] = useState('');
  const may = privs.has('VM.Snapshot');
  const base = `/api/v1/instances/${enc(view.name)}`;
  const load = () => get(base + '/snapshots').then(setTree).catch((e) => onError(e.message));
  useEffect(() => {
    load();
  }, [view.name, tick]);
  async function run(p) {
    try {
      await p;
      await load();
    } catch (e) {
      onError(e.message);
    }
  }
  if (!tree) return html`<p class="hint">Loading…</p>`;
  const children = (parent) => tree.snapshots.filter((s) => (s.parent || null) === parent);
  const item = (s) => html`<li key=${s.name} data-snapshot=${s.name}>
      <span class="snap-name">${s.name}</span>${s.ram ? html` <span class="tag">RAM</span>` : ''}
      <span class="when">${new Date(s.createdAt).toLocaleString()}</span>
      ${may && html`<button data-action="rollback" onClick=${() => run(post(`${base}/snapshots/${enc(s.name)}/rollback`))}>
        Rollback</button><button data-action="delete-snapshot"
        onClick=${() => confirm(`Delete snapshot ${s.name}?`) && run(del(`${base}/snapshots/${enc(s.name)}`))}>Delete</button>`}
      ${tree.current === s.name && html`<ul><li class="current">● now</li></ul>`}
      ${children(s.name).length > 0 && html`<ul>${children(s.name).map(item)}</ul>`}
    </li>`;
  return html`<section class="snapshots">
    ${may && html`<form class="inline" onSubmit=${(e) => {
      e.preventDefault();
      run(post(base + '/snapshots', { name: name.trim(), ram: view.status === 'running' && ram })).then(() => setName(''));
    }}>
      <input name="snapshot" placeholder="snapshot name" value=${name} onInput=${(e) => setName(e.target.value)} />
      <label class="check"><input type="checkbox" checked=${ram} disabled=${view.status !== 'running'}
        onChange=${(e) => setRam(e.target.checked)} /> with RAM</label>
      <button type="submit" disabled=${!name.trim()}>Take snapshot</button>
    </form>`}
    <ul class="snap-tree">${children(null).map(item)}
      ${tree.current == null && html`<li class="current">● now</li>`}</ul>
    ${privs.has('VM.Clone') && html`<form class="inline" onSubmit=${(e) => {
      e.preventDefault();
      // A template's clones share its disks (linked); any other VM's get copies of them (full).
      run(post(base + '/clone', { name: cloneName.trim(), mode: view.spec?.template ? 'linked' : 'full' }))
        .then(() => setCloneName(''));
    }}>
      <input name="clone" placeholder="clone name" value=${cloneName} onInput=${(e) => setCloneName(e.target.value)} />
      <button type="submit" disabled=${!cloneName.trim() || view.status === 'running'}
        title=${view.status === 'running' ? 'Stop the VM to clone it' : ''}>Clone</button>
    </form>`}
  </section>`;
}
