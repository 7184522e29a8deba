import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, post, del, enc } from './api.js';
import { Graph, bytes } from './graphs.js';

const RANGES = ['hour', 'day', 'week', 'year'];
/** How much time each range's graphs show at least, in seconds. */
const SPANS = { hour: 3600, day: 86400, week: 7 * 86400, year: 365 * 86400 };
const LIVE_MS = 3000;

/** Which privilege an action needs on this instance, as the API checks it. */
export function need(kind, action) {
  const p = kind === 'vm' ? 'VM.' : 'Container.';
  return p + { start: 'PowerMgmt', stop: 'PowerMgmt', restart: 'PowerMgmt', kill: 'PowerMgmt',
    console: 'Console', delete: 'Allocate', snapshot: 'Snapshot' }[action];
}

function Actions({ view, privs, onChanged, onError }) {
  const name = view.name;
  const kind = view.kind;
  const running = view.status === 'running';
  const can = (a) => privs.has(need(kind, a));
  async function act(what) {
    try {
      if (what === 'delete') {
        if (!confirm(`Delete ${kind} ${name}? Its disks go with it.`)) return;
        await del(`/api/v1/instances/${enc(name)}?force=true`);
      } else {
        await post(`/api/v1/instances/${enc(name)}/${what}`);
      }
      onChanged();
    } catch (e) {
      onError(e.message);
    }
  }
  const button = (what, label, enabled) => can(what) && html`
    <button data-action=${what} disabled=${!enabled} onClick=${() => act(what)}>${label}</button>`;
  return html`<div class="actions">
    ${button('start', 'Start', !running)}
    ${button('stop', kind === 'vm' ? 'Shutdown' : 'Stop', running)}
    ${button('restart', kind === 'vm' ? 'Reboot' : 'Restart', running)}
    ${button('kill', 'Kill', running)}
    ${button('delete', 'Delete', !running)}
  </div>`;
}

/** Bytes per second of counter {@code group.field} (disk or net) between two samples; null when unknown. */
function rate(prev, cur, group, field) {
  if (!prev || prev[group][field] < 0 || cur[group][field] < 0) return null;
  const dt = (Date.parse(cur.at) - Date.parse(prev.at)) / 1000;
  return dt > 0 ? Math.max(0, (cur[group][field] - prev[group][field]) / dt) : null;
}

/** History for the range from the rings, then (for the hour) live samples appended as they come. */
function useSeries(name, range, running) {
  const [hist, setHist] = useState([]);
  const [live, setLive] = useState([]);
  useEffect(() => {
    let gone = false;
    setLive([]);
    get(`/api/v1/instances/${enc(name)}/history?range=${range}`)
      .then((h) => !gone && setHist(h.points || []))
      .catch(() => !gone && setHist([]));
    return () => {
      gone = true;
    };
  }, [name, range]);
  useEffect(() => {
    if (!running || range !== 'hour') return undefined;
    let prev = null;
    let gone = false;
    async function sample() {
      try {
        const s = await get(`/api/v1/instances/${enc(name)}/stats`);
        if (gone) return;
        const point = {
          t: Date.parse(s.at) / 1000,
          cpu: s.cpuPercent,
          guest: s.memory.guestUsed >= 0 ? s.memory.guestUsed : null,
          overhead: s.memory.overhead >= 0 ? s.memory.overhead : null,
          cgroup: s.memory.cgroupUsage >= 0 ? s.memory.cgroupUsage : null,
          dr: rate(prev, s, 'disk', 'readBytes'),
          dw: rate(prev, s, 'disk', 'writeBytes'),
          rx: rate(prev, s, 'net', 'rxBytes'),
          tx: rate(prev, s, 'net', 'txBytes'),
        };
        prev = s;
        setLive((l) => [...l.slice(-1200), point]);
      } catch {
        // stopped meanwhile: the next view refresh says so
      }
    }
    sample();
    const timer = setInterval(sample, LIVE_MS);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, [name, range, running]);

  const fromHist = hist.map((p) => ({
    t: p.start, cpu: p.cpu, guest: p.guestUsed >= 0 ? p.guestUsed : null, overhead: null, cgroup: p.memory,
    dr: p.diskRead, dw: p.diskWrite, rx: p.netRx, tx: p.netTx,
  }));
  const lastHist = fromHist.length ? fromHist[fromHist.length - 1].t : 0;
  const points = [...fromHist, ...live.filter((p) => p.t > lastHist)];
  const col = (f) => points.map((p) => p[f]);
  return {
    cpu: [col('t'), col('cpu')],
    memory: [col('t'), col('guest'), col('overhead'), col('cgroup')],
    disk: [col('t'), col('dr'), col('dw')],
    net: [col('t'), col('rx'), col('tx')],
  };
}

export function Summary({ view, privs, onChanged, onError }) {
  const [range, setRange] = useState('hour');
  const running = view.status === 'running';
  const s = useSeries(view.name, range, running);
  const spec = view.spec || {};
  return html`<section class="summary">
    <${Actions} view=${view} privs=${privs} onChanged=${onChanged} onError=${onError} />
    <dl class="facts">
      <dt>State</dt><dd data-testid="status" class=${'state-' + view.status}>${view.status}</dd>
      <dt>Kind</dt><dd>${view.kind === 'vm' ? 'virtual machine' : 'container'}</dd>
      <dt>Image</dt><dd>${view.image || '–'}</dd>
      <dt>CPUs</dt><dd>${spec.cpus ?? '–'}</dd>
      <dt>Memory</dt><dd>${bytes(view.memory?.configured)}</dd>
      <dt>Project</dt><dd>${view.project}</dd>
      <dt>Addresses</dt><dd>${(view.networks || []).map((n) => `${n.network}: ${n.ip || '…'}`).join(', ') || '–'}</dd>
      <dt>Created</dt><dd>${view.createdAt ? new Date(view.createdAt).toLocaleString() : '–'}</dd>
    </dl>
    <div class="ranges" role="group" aria-label="Time range">
      ${RANGES.map((r) => html`<button class=${r === range ? 'on' : ''} onClick=${() => setRange(r)}>${r}</button>`)}
    </div>
    <div class="graphs">
      <${Graph} title="CPU" testid="graph-cpu" series=${['CPU']} unit="percent" span=${SPANS[range]}
        max=${(spec.cpus || 1) * 100} data=${s.cpu} />
      <${Graph} title="Memory" testid="graph-memory" series=${['guest used', 'QEMU overhead', 'cgroup']}
        unit="bytes" span=${SPANS[range]} data=${s.memory} />
      <${Graph} title="Disk" testid="graph-disk" series=${['read', 'write']} unit="rate" span=${SPANS[range]}
        data=${s.disk} />
      <${Graph} title="Network" testid="graph-net" series=${['in', 'out']} unit="rate" span=${SPANS[range]}
        data=${s.net} />
    </div>
  </section>`;
}
