import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, enc, inProject, keyOf } from './api.js';
import { Properties } from './node.js';

const MAX_LOG = 512 * 1024; // what the tab keeps of a long log: the end, as `docker logs --tail` would show

/** The container's output, the last lines then followed as it comes (`docker logs -f --tail 500`). */
export function ContainerLogs({ name }) {
  const [text, setText] = useState('');
  const [state, setState] = useState('loading');
  const [follow, setFollow] = useState(true);
  const box = useRef(null);
  useEffect(() => {
    const abort = new AbortController();
    setText('');
    (async () => {
      const res = await fetch(inProject(`/api/v1/instances/${enc(name)}/logs?tail=500&follow=${follow}`),
        { credentials: 'same-origin', signal: abort.signal });
      if (!res.ok) {
        setState('error: HTTP ' + res.status);
        return;
      }
      setState(follow ? 'following' : 'loaded');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        setText((t) => (t + chunk).slice(-MAX_LOG));
      }
      if (!abort.signal.aborted) setState('ended');
    })().catch((e) => !abort.signal.aborted && setState('error: ' + e.message));
    return () => abort.abort();
  }, [name, follow]);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return html`<div class="logs">
    <div class="console-bar"><span data-testid="logs-state">${state}</span>
      <label><input type="checkbox" checked=${follow} onChange=${(e) => setFollow(e.target.checked)} /> Follow</label>
    </div>
    <pre ref=${box} data-testid="container-logs">${text}</pre>
  </div>`;
}

/** An argument as a shell would need it written: quoted when it holds anything but plain characters. */
function quote(a) {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

function Table({ head, rows, empty, testid }) {
  if (!rows.length) return html`<p class="hint" data-testid=${testid}>${empty}</p>`;
  return html`<table class="list" data-testid=${testid}>
    <thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
  </table>`;
}

/** Ports, volumes and environment of a container, as `docker inspect` has them, then the whole configuration. */
export function ContainerConfig({ view }) {
  const [ports, setPorts] = useState([]);
  useEffect(() => {
    get('/api/v1/ports').then((l) => setPorts((l || []).filter(
      (p) => p.targetInstance === keyOf(view)))).catch(() => setPorts([]));
  }, [view.name]);
  const spec = view.spec || {};
  const mounts = spec.mounts || [];
  const nics = view.networks || [];
  return html`<div class="container-config">
    <h3>Published ports</h3>
    <${Table} testid="container-ports" head=${['Host address', 'Host port', 'Protocol', 'Container port']}
      empty="No published ports." rows=${ports.map((p) => [p.hostIp || 'all', p.hostPort, p.protocol, p.targetPort])} />
    <h3>Networks</h3>
    <${Table} testid="container-networks" head=${['Network', 'Address', 'MAC']} empty="No network."
      rows=${nics.map((n) => [n.network, n.ip || n.lease?.ip || '–', n.mac || '–'])} />
    <h3>Volumes</h3>
    <${Table} testid="container-volumes" head=${['Kind', 'Source', 'Path in the container', 'Mode']}
      empty="No volumes or binds." rows=${mounts.map((m) => [m.type, m.source, m.target, m.readOnly ? 'ro' : 'rw'])} />
    <h3>Environment</h3>
    <${Table} testid="container-env" head=${['Variable', 'Value']} empty="No environment."
      rows=${(spec.env || []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])} />
    <h3>Process</h3>
    <dl class="facts">
      <dt>Image</dt><dd>${view.image}</dd>
      <dt>Command</dt><dd><code>${[...(spec.entrypoint || []), ...(spec.command || [])].map(quote).join(' ') || '–'}</code></dd>
      <dt>Restart</dt><dd>${spec.restart || 'no'}</dd>
      <dt>Terminal</dt><dd>${spec.tty ? 'yes' : 'no'}</dd>
    </dl>
    <details><summary>Everything</summary><${Properties} value=${spec} /></details>
  </div>`;
}
