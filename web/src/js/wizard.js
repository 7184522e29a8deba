import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, enc } from './api.js';

/** Maps a problem's field (as the API names it, e.g. "networks[0].ip") to the wizard's field. */
function fieldOf(apiField) {
  if (!apiField) return null;
  const f = apiField.replace(/\[\d+\].*$/, '').replace(/\..*$/, '');
  return { cloudInit: 'user', networks: 'network', disks: 'disk' }[f] || f;
}

function Field({ name, label, errors, children }) {
  return html`<label class=${errors[name] ? 'field invalid' : 'field'} data-field=${name}>${label}
    ${children}
    ${errors[name] && html`<span class="field-error" role="alert">${errors[name]}</span>`}
  </label>`;
}

/** Create VM: name, image, CPUs, memory, network and address, published ports, display, cloud-init. */
export function CreateVm({ onClose, onCreated }) {
  const [images, setImages] = useState([]);
  const [networks, setNetworks] = useState([]);
  const [form, setForm] = useState({ name: '', image: '', cpus: 1, memory: '256M', network: 'default', ip: '',
    ports: '', display: 'none', user: '', password: '', start: true });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get('/api/v1/images').then((l) => {
      setImages(l);
      if (l.length) setForm((f) => ({ ...f, image: f.image || l[0].name }));
    }).catch(() => setImages([]));
    get('/api/v1/networks').then((l) => {
      setNetworks(l);
      // The default network when there is one, else the first, else none.
      setForm((f) => ({ ...f, network: l.some((n) => n.name === f.network) ? f.network : l[0]?.name || 'none' }));
    }).catch(() => setNetworks([]));
  }, []);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    const body = {
      name: form.name.trim(),
      image: form.image,
      cpus: Number(form.cpus),
      memory: form.memory.trim(),
      display: form.display,
      networks: form.network === 'none' ? [] : [{ network: form.network, ip: form.ip.trim() || null }],
      ports: form.ports.split(',').map((p) => p.trim()).filter(Boolean),
    };
    if (form.user) body.cloudInit = { user: form.user, password: form.password || null };
    try {
      await post('/api/v1/vms', body);
      if (form.start) await post(`/api/v1/instances/${enc(body.name)}/start`);
      onCreated(body.name);
    } catch (err) {
      const f = fieldOf(err.field);
      setErrors(f && f in form ? { [f]: err.message } : { form: err.message });
    } finally {
      setBusy(false);
    }
  }

  return html`<div class="dialog-backdrop">
    <form class="dialog" onSubmit=${submit} aria-label="Create VM" novalidate>
      <h2>Create virtual machine</h2>
      <${Field} name="name" label="Name" errors=${errors}>
        <input name="name" value=${form.name} onInput=${set('name')} autofocus /><//>
      <${Field} name="image" label="Image" errors=${errors}>
        <select name="image" value=${form.image} onChange=${set('image')}>
          ${images.map((i) => html`<option value=${i.name}>${i.name}</option>`)}
        </select><//>
      <div class="row2">
        <${Field} name="cpus" label="CPUs" errors=${errors}>
          <input name="cpus" type="number" min="1" value=${form.cpus} onInput=${set('cpus')} /><//>
        <${Field} name="memory" label="Memory" errors=${errors}>
          <input name="memory" value=${form.memory} onInput=${set('memory')} /><//>
      </div>
      <div class="row2">
        <${Field} name="network" label="Network" errors=${errors}>
          <select name="network" value=${form.network} onChange=${set('network')}>
            ${networks.map((n) => html`<option value=${n.name}>${n.name} (${n.subnet})</option>`)}
            <option value="none">none</option>
          </select><//>
        <${Field} name="ip" label="Address (optional)" errors=${errors}>
          <input name="ip" value=${form.ip} placeholder="from DHCP" onInput=${set('ip')} /><//>
      </div>
      <${Field} name="ports" label="Published ports" errors=${errors}>
        <input name="ports" value=${form.ports} placeholder="8080:80, 127.0.0.1:2222:22" onInput=${set('ports')} /><//>
      <${Field} name="display" label="Display" errors=${errors}>
        <select name="display" value=${form.display} onChange=${set('display')}>
          <option value="none">none (serial console only)</option>
          <option value="std">std VGA</option>
          <option value="virtio">virtio-gpu</option>
        </select><//>
      <fieldset><legend>Cloud-init (optional)</legend>
        <div class="row2">
          <${Field} name="user" label="User" errors=${errors}>
            <input name="user" value=${form.user} onInput=${set('user')} autocomplete="off" /><//>
          <${Field} name="password" label="Password" errors=${errors}>
            <input name="password" type="password" value=${form.password} onInput=${set('password')}
              autocomplete="new-password" /><//>
        </div>
      </fieldset>
      <label class="check"><input type="checkbox" name="start" checked=${form.start} onChange=${set('start')} />
        Start after creating</label>
      ${errors.form && html`<p class="error" role="alert">${errors.form}</p>`}
      <div class="buttons">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${busy ? 'Creating…' : 'Create'}</button>
      </div>
    </form>
  </div>`;
}
