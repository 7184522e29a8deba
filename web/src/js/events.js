import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get } from './api.js';
import { TaskTable } from './tasks.js';

/**
 * Follows the daemon's event stream (server-sent events) and calls {@code onEvent} with each event. Read with fetch
 * rather than EventSource: every event type (created, started, image-pulled, …) is an SSE event name, and fetch
 * sends Last-Event-ID itself on a reconnect, so nothing is missed between two connections.
 */
export function follow(onEvent) {
  let last = null;
  let stopped = false;
  let controller = null;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream' };
        if (last != null) headers['Last-Event-ID'] = String(last);
        const res = await fetch('/api/v1/events', { headers, signal: controller.signal, credentials: 'same-origin', cache: 'no-store' });
        if (res.status === 401) return;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let cut;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            const id = frame.split('\n').find((l) => l.startsWith('id: '));
            if (id) last = Number(id.slice(4));
            if (data) onEvent(JSON.parse(data));
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** The bottom panel: running and recent tasks, and the events as they come. */
export function BottomPanel({ events, tick }) {
  const [tab, setTab] = useState('tasks');
  const [tasks, setTasks] = useState([]);
  useEffect(() => {
    // newest first, as the API lists them
    get('/api/v1/tasks').then((t) => setTasks(Array.isArray(t) ? t.slice(0, 100) : [])).catch(() => {});
  }, [tick]);
  return html`<section class="bottom" aria-label="Tasks and events">
    <div class="tabs small">
      <button class=${tab === 'tasks' ? 'on' : ''} onClick=${() => setTab('tasks')}>Tasks</button>
      <button class=${tab === 'events' ? 'on' : ''} onClick=${() => setTab('events')}>Events (${events.length})</button>
    </div>
    <div class="log">
      ${tab === 'tasks'
        ? html`<${TaskTable} tasks=${tasks} />`
        : html`<table><tbody>${events.map((e) => html`<tr key=${e.seq} class="event">
              <td>${e.at ? new Date(e.at).toLocaleTimeString() : ''}</td><td>${e.type}</td><td>${e.kind}</td><td>${e.name}</td></tr>`)}</tbody></table>`}
    </div>
  </section>`;
}
