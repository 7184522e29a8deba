import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

export function bytes(n) {
  if (n == null || n < 0) return '–';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + u[i];
}

/**
 * A time series graph. {@code data} is uPlot's column form: [times (s), series...]; {@code series} names them;
 * {@code unit} formats the axis (percent, bytes, bytes per second). {@code span} (seconds) is the time the x axis
 * shows at least, ending at the newest point, so a few points do not stretch over years; {@code max} is the y axis's
 * least top (for CPU percent, 100 per core).
 */
export function Graph({ title, series, data, unit, testid, span, max }) {
  const box = useRef(null);
  const plot = useRef(null);

  useEffect(() => {
    const fmt = unit === 'percent' ? (v) => v.toFixed(0) + '%'
      : unit === 'rate' ? (v) => bytes(v) + '/s' : (v) => bytes(v);
    const opts = {
      width: box.current.clientWidth || 400,
      height: 160,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (u, lo, hi) => (span ? [Math.min(lo, hi - span), hi] : [lo, hi === lo ? lo + 1 : hi]) },
        y: { range: (u, lo, hi) => [0, Math.max(hi, max || (unit === 'percent' ? 100 : 1))] },
      },
      axes: [{}, { values: (u, vals) => vals.map(fmt), size: 84 }],
      series: [{}, ...series.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5,
        value: (u, v) => (v == null ? '–' : fmt(v)) }))],
    };
    plot.current = new uPlot(opts, data, box.current);
    const ro = new ResizeObserver(() => plot.current.setSize({ width: box.current.clientWidth, height: 160 }));
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      plot.current.destroy();
    };
  }, [series.join(','), unit, span, max]);

  useEffect(() => {
    const p = plot.current;
    if (!p) return;
    p.setData(data);
    // uPlot does not range an x axis of one point (it spans years): the span ending at that point, as for more
    const t = data[0];
    if (span && t?.length === 1) p.setScale('x', { min: t[0] - span, max: t[0] });
  }, [data]);

  const points = data[0]?.length || 0;
  return html`<figure class="graph" data-testid=${testid} data-points=${points}>
    <figcaption>${title}</figcaption><div ref=${box}></div></figure>`;
}
