import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, enc } from './api.js';

/** Maps a problem's field (as the API names it, e.g. "networks[0].ip") to the wizard's field. */
export function fieldOf(apiField) {
  if (!apiField) return null;
  const f = apiField.replace(/\[\d+\].*$/, '').replace(/\..*$/, '');
  return { cloudInit: 'user', networks: 'network', disks: 'disk', tmpfs: 'volumes' }[f] || f;
}

/** An input's change handler for one field of a form (a checkbox gives whether it is checked). */
const setter = (form, setForm) => (k) => (e) =>
  setForm({ ...form, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });

/** A wizard's frame: the dialog over the page, its form and its title. */
function Dialog({ label, onSubmit, children }) {
  return html`<div class="dialog-backdrop">
    <form class="dialog" onSubmit=${onSubmit} aria-label=${label} novalidate>
      <h2>${label}</h2>
      ${children}
    </form>
  </div>`;
}

export function Field({ name, label, errors, children }) {
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
  const set = setter(form, setForm);

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

/** A form's submit: clears the errors, calls the API, and shows a problem at the field it names (else on the form). */
function useSubmit(form, call) {
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await call();
    } catch (err) {
      const f = fieldOf(err.field);
      setErrors(f && f in form ? { [f]: err.message } : { form: err.message });
    } finally {
      setBusy(false);
    }
  }
  return { errors, busy, submit };
}

function Buttons({ busy, errors, onClose, label }) {
  return html`${errors.form && html`<p class="error" role="alert">${errors.form}</p>`}
    <div class="buttons">
      <button type="button" onClick=${onClose}>Cancel</button>
      <button type="submit" class="primary" disabled=${busy}>${busy ? 'Working…' : label}</button>
    </div>`;
}

/** Splits a command line as a shell would for words: spaces separate, quotes ('' or "") keep spaces in. */
export function words(line) {
  const out = [];
  let cur = null;
  let quote = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur = cur ?? '';
    } else if (/\s/.test(ch)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + ch;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}

const list = (text, sep) => text.split(sep).map((p) => p.trim()).filter(Boolean);

/** Run container: image, name, command, ports, volumes, env, restart policy, terminal; as `docker run -d`. */
export function RunContainer({ onClose, onCreated }) {
  const [images, setImages] = useState([]);
  const [networks, setNetworks] = useState([]);
  const [form, setForm] = useState({ name: '', image: '', command: '', ports: '', volumes: '', env: '',
    restart: 'no', network: 'default', memory: '', tty: true, start: true });
  useEffect(() => {
    get('/api/v1/oci-images').then((l) => {
      const refs = l.flatMap((i) => i.references || []).sort();
      setImages(refs);
      if (refs.length) setForm((f) => ({ ...f, image: f.image || refs[0] }));
    }).catch(() => setImages([]));
    get('/api/v1/networks').then((l) => {
      setNetworks(l);
      setForm((f) => ({ ...f, network: l.some((n) => n.name === f.network) ? f.network : l[0]?.name || 'none' }));
    }).catch(() => setNetworks([]));
  }, []);
  const set = setter(form, setForm);
  const { errors, busy, submit } = useSubmit(form, async () => {
    const body = {
      name: form.name.trim() || null,
      image: form.image.trim(),
      command: form.command.trim() ? words(form.command) : null,
      ports: list(form.ports, ','),
      volumes: list(form.volumes, ','),
      env: list(form.env, '\n'),
      restart: form.restart,
      network: form.network,
      memory: form.memory.trim() || null,
      tty: form.tty,
      interactive: form.tty,
    };
    const made = await post('/api/v1/containers', body);
    if (form.start) await post(`/api/v1/instances/${enc(made.name)}/start`);
    onCreated(made.name);
  });
  return html`<${Dialog} label="Run container" onSubmit=${submit}>
      <div class="row2">
        <${Field} name="image" label="Image" errors=${errors}>
          <input name="image" list="oci-images" value=${form.image} onInput=${set('image')} />
          <datalist id="oci-images">${images.map((i) => html`<option value=${i} />`)}</datalist><//>
        <${Field} name="name" label="Name (optional)" errors=${errors}>
          <input name="name" value=${form.name} onInput=${set('name')} autofocus /><//>
      </div>
      <${Field} name="command" label="Command (optional: the image's own)" errors=${errors}>
        <input name="command" value=${form.command} placeholder="sleep 3600" onInput=${set('command')} /><//>
      <div class="row2">
        <${Field} name="ports" label="Published ports" errors=${errors}>
          <input name="ports" value=${form.ports} placeholder="8080:80, 127.0.0.1:5353:53/udp" onInput=${set('ports')} /><//>
        <${Field} name="network" label="Network" errors=${errors}>
          <select name="network" value=${form.network} onChange=${set('network')}>
            ${networks.map((n) => html`<option value=${n.name}>${n.name} (${n.subnet})</option>`)}
            <option value="none">none</option>
          </select><//>
      </div>
      <${Field} name="volumes" label="Volumes and binds" errors=${errors}>
        <input name="volumes" value=${form.volumes} placeholder="data:/var/lib/data, /srv/www:/www:ro"
          onInput=${set('volumes')} /><//>
      <${Field} name="env" label="Environment (KEY=VALUE, one per line)" errors=${errors}>
        <textarea name="env" rows="3" value=${form.env} onInput=${set('env')}></textarea><//>
      <div class="row2">
        <${Field} name="restart" label="Restart policy" errors=${errors}>
          <select name="restart" value=${form.restart} onChange=${set('restart')}>
            <option value="no">no</option>
            <option value="on-failure">on-failure</option>
            <option value="always">always</option>
            <option value="unless-stopped">unless-stopped</option>
          </select><//>
        <${Field} name="memory" label="Memory limit (optional)" errors=${errors}>
          <input name="memory" value=${form.memory} placeholder="256M" onInput=${set('memory')} /><//>
      </div>
      <label class="check"><input type="checkbox" name="tty" checked=${form.tty} onChange=${set('tty')} />
        Terminal and stdin (-it)</label>
      <label class="check"><input type="checkbox" name="start" checked=${form.start} onChange=${set('start')} />
        Start after creating</label>
      <${Buttons} busy=${busy} errors=${errors} onClose=${onClose} label="Run" />
  <//>`;
}

/** Create network: a managed bridge with its subnet, NAT to the outside or isolated. */
export function CreateNetwork({ onClose, onCreated }) {
  const [form, setForm] = useState({ name: '', subnet: '', gateway: '', nat: true, isolated: false });
  const set = setter(form, setForm);
  const { errors, busy, submit } = useSubmit(form, async () => {
    const body = { name: form.name.trim(), subnet: form.subnet.trim() || null, gateway: form.gateway.trim() || null,
      nat: form.nat, isolated: form.isolated };
    await post('/api/v1/networks', body);
    onCreated(body.name);
  });
  return html`<${Dialog} label="Create network" onSubmit=${submit}>
      <${Field} name="name" label="Name" errors=${errors}>
        <input name="name" value=${form.name} onInput=${set('name')} autofocus /><//>
      <div class="row2">
        <${Field} name="subnet" label="Subnet" errors=${errors}>
          <input name="subnet" value=${form.subnet} placeholder="10.20.0.0/24" onInput=${set('subnet')} /><//>
        <${Field} name="gateway" label="Gateway (optional)" errors=${errors}>
          <input name="gateway" value=${form.gateway} placeholder="the first address" onInput=${set('gateway')} /><//>
      </div>
      <label class="check"><input type="checkbox" name="nat" checked=${form.nat} onChange=${set('nat')} />
        NAT to the host's networks</label>
      <label class="check"><input type="checkbox" name="isolated" checked=${form.isolated}
        onChange=${set('isolated')} /> Isolated (instances do not reach each other)</label>
      <${Buttons} busy=${busy} errors=${errors} onClose=${onClose} label="Create" />
  <//>`;
}

/** Create volume: an empty volume of a size in a pool. */
export function CreateVolume({ onClose, onCreated }) {
  const [pools, setPools] = useState([]);
  const [form, setForm] = useState({ name: '', pool: '', size: '1G', format: '' });
  useEffect(() => {
    get('/api/v1/pools').then((l) => {
      setPools(l);
      if (l.length) setForm((f) => ({ ...f, pool: f.pool || l[0].name }));
    }).catch(() => setPools([]));
  }, []);
  const set = setter(form, setForm);
  const { errors, busy, submit } = useSubmit(form, async () => {
    const body = { name: form.name.trim(), pool: form.pool || null, size: form.size.trim(),
      format: form.format || null };
    await post('/api/v1/volumes', body);
    onCreated(body.name);
  });
  return html`<${Dialog} label="Create volume" onSubmit=${submit}>
      <${Field} name="name" label="Name" errors=${errors}>
        <input name="name" value=${form.name} onInput=${set('name')} autofocus /><//>
      <div class="row2">
        <${Field} name="pool" label="Pool" errors=${errors}>
          <select name="pool" value=${form.pool} onChange=${set('pool')}>
            ${pools.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
          </select><//>
        <${Field} name="size" label="Size" errors=${errors}>
          <input name="size" value=${form.size} onInput=${set('size')} /><//>
      </div>
      <${Field} name="format" label="Format" errors=${errors}>
        <select name="format" value=${form.format} onChange=${set('format')}>
          <option value="">the pool's default</option>
          <option value="qcow2">qcow2</option>
          <option value="raw">raw</option>
        </select><//>
      <${Buttons} busy=${busy} errors=${errors} onClose=${onClose} label="Create" />
  <//>`;
}
