import { useMemo, useRef, useState, useEffect } from 'preact/hooks';
import { html } from './html.js';

// One row per resource, grouped as Proxmox VE's tree: the node, then its VMs, containers, networks, pools, volumes,
// images.
// Only the rows in view are in the DOM (fixed row height), so a thousand instances scroll as smoothly as ten.
const ROW = 26;
const OVERSCAN = 10;

const GROUPS = [
  { key: 'vm', label: 'Virtual machines' },
  { key: 'container', label: 'Containers' },
  { key: 'network', label: 'Networks' },
  { key: 'pool', label: 'Storage pools' },
  { key: 'volume', label: 'Volumes' },
  { key: 'image', label: 'Images' },
];

function stateClass(item) {
  return item.status ? 'state-' + item.status : 'state-none';
}

/** The rows to show: the groups with the items that match the filter (name, status or kind). */
export function rows(resources, filter) {
  const f = filter.trim().toLowerCase();
  const out = [{ type: 'node', id: 'node', label: resources.node || 'node' }];
  for (const g of GROUPS) {
    const items = (resources[g.key] || []).filter(
      (i) => !f || i.name.toLowerCase().includes(f) || (i.status || '').includes(f) || g.key.includes(f));
    if (f && items.length === 0) continue;
    out.push({ type: 'group', id: 'group:' + g.key, label: g.label, count: items.length });
    for (const i of items) out.push({ type: g.key, id: g.key + ':' + i.name, label: i.name, item: i });
  }
  return out;
}

export function Tree({ resources, selected, onSelect }) {
  const [filter, setFilter] = useState('');
  const [scroll, setScroll] = useState(0);
  const [height, setHeight] = useState(600);
  const box = useRef(null);
  const all = useMemo(() => rows(resources, filter), [resources, filter]);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scroll / ROW) - OVERSCAN);
  const last = Math.min(all.length, Math.ceil((scroll + height) / ROW) + OVERSCAN);
  const visible = all.slice(first, last);

  function keydown(e) {
    const at = all.findIndex((r) => r.id === selected);
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    let i = at + step;
    while (i >= 0 && i < all.length && all[i].type === 'group') i += step;
    if (i >= 0 && i < all.length) {
      onSelect(all[i]);
      const el = box.current;
      if (i * ROW < el.scrollTop) el.scrollTop = i * ROW;
      if ((i + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * ROW - el.clientHeight;
    }
  }

  return html`
    <nav class="tree" aria-label="Resources">
      <input class="filter" type="search" placeholder="Filter (name, state, kind)" aria-label="Filter resources"
        value=${filter} onInput=${(e) => setFilter(e.target.value)} />
      <div class="rows" ref=${box} tabindex="0" role="tree" onKeyDown=${keydown}
        onScroll=${(e) => setScroll(e.target.scrollTop)}>
        <div style=${{ height: all.length * ROW + 'px', position: 'relative' }}>
          ${visible.map((r, n) => html`
            <div key=${r.id} role=${r.type === 'group' ? 'group' : 'treeitem'}
              class=${'row ' + r.type + (r.id === selected ? ' selected' : '')}
              data-id=${r.id} aria-selected=${r.id === selected}
              style=${{ top: (first + n) * ROW + 'px', height: ROW + 'px' }}
              onClick=${() => r.type !== 'group' && onSelect(r)}>
              ${r.type === 'group'
                ? html`<span class="group-label">${r.label}</span><span class="count">${r.count}</span>`
                : html`<span class=${'icon ' + r.type + ' ' + (r.item ? stateClass(r.item) : '')}
                    title=${r.item?.status || ''}></span><span class="label">${r.label}</span>
                    ${r.item?.status && html`<span class="status">${r.item.status}</span>`}`}
            </div>`)}
        </div>
      </div>
    </nav>`;
}
