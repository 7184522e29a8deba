import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, del, api, enc, keyOf } from './api.js';
import { bytes } from './graphs.js';
import { Properties } from './node.js';

/** Runs a change, then reloads; a refusal shows in the banner. */
function runner(load, onError) {
  return async (p) => {
    try {
      await p;
      await load();
    } catch (e) {
      onError(e.message);
    }
  };
}

/**
 * Hardware: CPUs, memory and its balloon target, disks (the image's root disk and attached volumes, hot-plugged
 * while the VM runs), NICs (added and removed as `vessel vm nic` does), display. Edits show only with VM.Config.
 */
export function Hardware({ view, privs, tick, onError, onChanged }) {
  const [volumes, setVolumes] = useState([]);
  const [networks, setNetworks] = useState([]);
  const [target, setTarget] = useState('');
  const [attach, setAttach] = useState('');
  const [nic, setNic] = useState({ network: '', ip: '' });
  const [hw, setHw] = useState({ cpus: '', memory: '' });
  const [iso, setIso] = useState('');
  const may = privs.has('VM.Config');
  const base = `/api/v1/instances/${enc(view.name)}`;
  const load = async () => {
    const [v, n] = await Promise.all([get('/api/v1/volumes').catch(() => []), get('/api/v1/networks').catch(() => [])]);
    setVolumes(Array.isArray(v) ? v : []);
    setNetworks(Array.isArray(n) ? n : []);
  };
  useEffect(() => {
    load();
  }, [view.name, tick]);
  const [guest, setGuest] = useState(null);
  useEffect(() => {
    if (view.status !== 'running' || view.kind !== 'vm') return;
    get(`/api/v1/instances/${enc(view.name)}/guest?timeout=1`)
      .then(setGuest)
      .catch((e) => setGuest({ error: e.message }));
  }, [view.name, view.status, tick]);
  const run = runner(async () => {
    await load();
    onChanged();
  }, onError);
  const spec = view.spec || {};
  const platform = spec.platform || {};
  const cdroms = (spec.boot?.disks || []).filter((d) => d.media === 'cdrom' && !d.path.includes('/cloud-init/'));
  const stopped = view.status === 'stopped' || view.status === 'created';
  const mine = volumes.filter((v) => v.attachedTo === view.name || v.attachedTo === keyOf(view));
  const free = volumes.filter((v) => !v.attachedTo);
  return html`<section class="hardware" data-testid="hardware">
    <table class="list">
      <tbody>
        <tr><th>Processors</th><td>${spec.cpus} vCPU${spec.cpus === 1 ? '' : 's'} (${spec.accel || 'auto'})</td><td></td></tr>
        <tr><th>Memory</th><td>${bytes(spec.memoryBytes)}</td>
          <td>${may && view.status === 'running' && html`<form class="inline" onSubmit=${(e) => {
            e.preventDefault();
            run(post(base + '/memory-target', { target: target.trim() || null }));
          }}><input name="balloon" placeholder="balloon target, e.g. 192M" value=${target}
            onInput=${(e) => setTarget(e.target.value)} /><button type="submit">Set</button></form>`}</td></tr>
        <tr><th>Platform</th><td data-testid="platform">${platform.os || 'linux'} · ${platform.firmware || 'bios'}${platform.tpm ? ' · TPM 2.0' : ''}</td><td></td></tr>
        ${platform.secureBootNote && html`<tr><th>Secure Boot</th><td class="note">${platform.secureBootNote}</td><td></td></tr>`}
        ${view.runtime?.hyperv && html`<tr><th>Hyper-V</th><td>${view.runtime.hyperv.accepted.join(', ')}${view.runtime.hyperv.refused.length
          ? html`<br /><span class="note">refused by this host: ${view.runtime.hyperv.refused.join(', ')}</span>` : ''}</td><td></td></tr>`}
        ${view.runtime?.tpm && html`<tr><th>TPM</th><td>${view.runtime.tpm}</td><td></td></tr>`}
        <tr><th>Display</th><td>${spec.display || 'none'}</td><td></td></tr>
        ${cdroms.map((d, i) => html`<tr data-cdrom=${i}><th>CD-ROM ${i}</th><td>${d.path.split('/').pop()}</td>
          <td>${may && !spec.template && html`<button data-action="eject" onClick=${() =>
            run(post(base + '/cdrom', { drive: i }))}>Eject</button>`}</td></tr>`)}
        ${view.status === 'running' && html`<tr><th>Guest agent</th><td data-testid="guest-agent">${guest === null ? '…'
          : guest.error ? html`<span class="note">${guest.error}</span>`
          : html`${guest.os?.name || '?'} · ${guest.hostname || '-'}${(guest.interfaces || [])
              .filter((n) => n.name !== 'lo')
              .map((n) => html`<br />${n.name} ${n.addresses.join(' ')}`)}`}</td><td></td></tr>`}
        <tr><th>Boot</th><td>${spec.boot?.kernel ? 'direct kernel' : `firmware, ${(platform.bootOrder || ['disk', 'cdrom']).join(' then ')}`}${spec.image ? ` from image ${view.image}` : ''}</td><td></td></tr>
        ${(view.networks || []).map((n) => html`<tr data-nic=${n.index}><th>Network net${n.index}</th>
          <td>${n.network} · ${n.ip || n.lease?.ip || 'no address'} · ${n.mac}</td>
          <td>${may && html`<button data-action="remove-nic" onClick=${() =>
            confirm(`Remove net${n.index}?`) && run(del(`${base}/nics/${n.index}`))}>Remove</button>`}</td></tr>`)}
        ${mine.map((v) => html`<tr data-volume=${v.name}><th>Disk</th>
          <td>${v.name} · ${v.pool} · ${v.format} · ${bytes(v.virtualSize)}</td>
          <td>${may && html`<button data-action="detach" onClick=${() =>
            run(del(`${base}/volumes/${enc(v.name)}`))}>Detach</button>`}</td></tr>`)}
      </tbody>
    </table>
    ${may && !spec.template && html`<form class="inline" data-testid="hw-edit" onSubmit=${(e) => {
      e.preventDefault();
      const body = {};
      if (hw.cpus !== '') body.cpus = Number(hw.cpus);
      if (hw.memory.trim()) body.memory = hw.memory.trim();
      run(api('PATCH', base, body)).then(() => setHw({ cpus: '', memory: '' }));
    }}><input name="cpus" type="number" min="1" placeholder=${String(spec.cpus)} value=${hw.cpus}
        disabled=${!stopped} onInput=${(e) => setHw({ ...hw, cpus: e.target.value })} aria-label="vCPUs" />
      <input name="memory" placeholder=${bytes(spec.memoryBytes)} value=${hw.memory} disabled=${!stopped}
        onInput=${(e) => setHw({ ...hw, memory: e.target.value })} aria-label="Memory" />
      <button type="submit" disabled=${!stopped || (hw.cpus === '' && !hw.memory.trim())}
        title=${stopped ? '' : 'Stop the VM to change its CPUs and memory'}>Change CPUs / memory</button></form>`}
    ${may && html`<div class="hw-add">
      <form class="inline" onSubmit=${(e) => {
        e.preventDefault();
        run(post(base + '/volumes', { volume: attach })).then(() => setAttach(''));
      }}><select name="attach" value=${attach} onChange=${(e) => setAttach(e.target.value)}>
          <option value="">volume to attach…</option>
          ${free.map((v) => html`<option value=${v.name}>${v.name} (${bytes(v.virtualSize)})</option>`)}
        </select><button type="submit" disabled=${!attach}>Attach disk</button></form>
      ${!spec.template && html`<form class="inline" onSubmit=${(e) => {
        e.preventDefault();
        run(post(base + '/cdrom', { media: iso.trim() })).then(() => setIso(''));
      }}><input name="cdrom" placeholder="ISO image or /path/to.iso" value=${iso}
          onInput=${(e) => setIso(e.target.value)} aria-label="CD-ROM" />
        <button type="submit" disabled=${!iso.trim()}>Insert CD</button></form>`}
      <form class="inline" onSubmit=${(e) => {
        e.preventDefault();
        run(post(base + '/nics', { network: nic.network, ip: nic.ip.trim() || null }));
      }}><select name="nic-network" value=${nic.network} onChange=${(e) => setNic({ ...nic, network: e.target.value })}>
          <option value="">network…</option>
          ${networks.map((n) => html`<option value=${n.name}>${n.name} (${n.subnet})</option>`)}
        </select><input name="nic-ip" placeholder="address (optional)" value=${nic.ip}
          onInput=${(e) => setNic({ ...nic, ip: e.target.value })} />
        <button type="submit" disabled=${!nic.network}>Add NIC</button></form>
    </div>`}
  </section>`;
}

/** Backups: take one now (live if the VM runs), the VM's archives in every pool, verify one, restore one as a new VM. */
export function Backups({ view, privs, tick, onError, onChanged }) {
  const [list, setList] = useState(null);
  const [pools, setPools] = useState([]);
  const [pool, setPool] = useState('');
  const [restoreAs, setRestoreAs] = useState({});
  const load = () => get('/api/v1/backups').then((l) => setList((Array.isArray(l) ? l : [])
    .filter((b) => b.vm === view.name || b.vm === keyOf(view)))).catch((e) => {
    setList([]);
    onError(e.message);
  });
  useEffect(() => {
    load();
    get('/api/v1/pools').then((l) => setPools(Array.isArray(l) ? l : [])).catch(() => setPools([]));
  }, [view.name, tick]);
  const run = runner(load, onError);
  const may = privs.has('VM.Backup');
  if (!list) return html`<p class="hint">Loading…</p>`;
  return html`<section class="backups" data-testid="backups">
    ${may && html`<form class="inline" onSubmit=${(e) => {
      e.preventDefault();
      run(post(`/api/v1/instances/${enc(view.name)}/backup`, pool ? { pool } : {}));
    }}><select name="backup-pool" value=${pool} onChange=${(e) => setPool(e.target.value)}>
        <option value="">default pool</option>
        ${pools.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
      </select><button type="submit" data-action="backup">Back up now</button></form>`}
    ${list.length === 0 ? html`<p class="hint">No backups of ${view.name}.</p>` : html`<table class="list">
      <thead><tr><th>Taken</th><th>Pool</th><th>Kind</th><th>Disks</th><th>Size</th><th></th></tr></thead>
      <tbody>${list.map((b) => html`<tr key=${b.archive} data-backup=${b.archive}>
        <td>${new Date(b.createdAt).toLocaleString()}</td><td>${b.pool}</td><td>${b.live ? 'live' : 'stopped'}</td>
        <td>${b.disks}</td><td>${bytes(b.sizeBytes)}</td>
        <td>${may && html`<button onClick=${() => run(post('/api/v1/backups/verify', { archive: b.archive }))}>Verify</button>
          <form class="inline" onSubmit=${(e) => {
            e.preventDefault();
            run(post('/api/v1/backups/restore', { archive: b.archive, name: (restoreAs[b.archive] || '').trim() }))
              .then(onChanged);
          }}><input name="restore-name" placeholder="restore as…" value=${restoreAs[b.archive] || ''}
            onInput=${(e) => setRestoreAs({ ...restoreAs, [b.archive]: e.target.value })} />
            <button type="submit" data-action="restore" disabled=${!(restoreAs[b.archive] || '').trim()}>Restore</button>
          </form>`}</td></tr>`)}</tbody></table>`}
  </section>`;
}

/** Options: how the VM starts and stops; autostart changes with VM.Config. */
export function Options({ view, privs, onError, onChanged }) {
  const spec = view.spec || {};
  const may = privs.has('VM.Config');
  async function change(body) {
    try {
      await api('PATCH', `/api/v1/instances/${enc(view.name)}`, body);
      onChanged();
    } catch (e) {
      onError(e.message);
    }
  }
  return html`<section class="options" data-testid="options">
    <dl class="facts">
      <dt>Start at boot</dt><dd><label class="check"><input type="checkbox" name="autostart" checked=${!!spec.autostart}
        disabled=${!may || spec.template} onChange=${(e) => change({ autostart: e.target.checked })} />
        start when the node's daemon first starts after the host booted</label></dd>
      <dt>Restart policy</dt><dd><select name="restart" value=${spec.restart || 'no'} disabled=${!may || spec.template}
        onChange=${(e) => change({ restart: e.target.value })}>
        ${['no', 'on-failure', 'always', 'unless-stopped'].map((p) => html`<option value=${p}>${p}</option>`)}
        ${spec.restart && !['no', 'on-failure', 'always', 'unless-stopped'].includes(spec.restart)
          && html`<option value=${spec.restart}>${spec.restart}</option>`}
      </select> when QEMU dies (on-failure) or also when the guest powers off (always)</dd>
      <dt>Acceleration</dt><dd>${spec.accel || 'auto'} (KVM where it works, else TCG)</dd>
      <dt>Stop timeout</dt><dd>${spec.stopTimeoutSeconds} s, then the VM is killed</dd>
      <dt>Template</dt><dd>${spec.template ? 'yes: clones share its disks' : 'no'}</dd>
      <dt>Ready when</dt><dd>${spec.readyMarker ? html`the console prints <code>${spec.readyMarker}</code>` : 'started'}</dd>
      <dt>Firmware</dt><dd>SeaBIOS${spec.boot ? ', direct kernel boot' : ''}</dd>
    </dl>
    <details><summary>Everything</summary><${Properties} value=${spec} /></details>
  </section>`;
}
