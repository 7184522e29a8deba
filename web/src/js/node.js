import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get } from './api.js';
import { Graph, bytes } from './graphs.js';

/** A value as a definition list, nested objects indented: the configuration of anything the API describes. */
export function Properties({ value }) {
  if (value == null) return html`<span>–</span>`;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return html`<span>${value.join(', ') || '–'}</span>`;
    return html`<ol class="props">${value.map((v) => html`<li><${Properties} value=${v} /></li>`)}</ol>`;
  }
  if (typeof value === 'object') {
    return html`<dl class="props">${Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => html`<dt>${k}</dt><dd><${Properties} value=${v} /></dd>`)}</dl>`;
  }
  return html`<span>${String(value)}</span>`;
}

/** The node: its CPU and memory, live from the stats the daemon samples, and its instances' share of them. */
export function NodeSummary() {
  const [points, setPoints] = useState([]);
  const [latest, setLatest] = useState(null);
  useEffect(() => {
    let gone = false;
    async function sample() {
      try {
        const s = await get('/api/v1/stats');
        if (gone) return;
        setLatest(s);
        setPoints((p) => [...p.slice(-600), { t: Date.parse(s.at) / 1000, cpu: s.cpuPercent,
          used: s.memoryTotal - s.memoryAvailable, inst: s.instancesMemory }]);
      } catch {
        // not allowed or not yet: the graph stays empty
      }
    }
    sample();
    const timer = setInterval(sample, 3000);
    return () => {
      gone = true;
      clearInterval(timer);
    };
  }, []);
  const col = (f) => points.map((p) => p[f]);
  return html`<div class="detail">
    <h2>Node ${location.hostname}</h2>
    ${latest && html`<dl class="facts">
      <dt>CPUs</dt><dd>${latest.cpus}</dd>
      <dt>Memory</dt><dd>${bytes(latest.memoryTotal - latest.memoryAvailable)} used of ${bytes(latest.memoryTotal)}</dd>
      <dt>Running</dt><dd>${latest.running}</dd>
    </dl>`}
    <div class="graphs">
      <${Graph} title="Node CPU" testid="graph-node-cpu" series=${['CPU']} unit="percent" span=${1800}
        max=${(latest?.cpus || 1) * 100} data=${[col('t'), col('cpu')]} />
      <${Graph} title="Node memory" testid="graph-node-memory" series=${['used', 'instances']} unit="bytes" span=${1800}
        data=${[col('t'), col('used'), col('inst')]} />
    </div>
  </div>`;
}
