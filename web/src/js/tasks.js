import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { get, enc, keyOf } from './api.js';

function time(t) {
  return t ? new Date(t).toLocaleTimeString() : '';
}

/** A task's log, followed while the task runs (PVE's task viewer): the lines after the last one seen, every second. */
export function TaskLog({ task }) {
  const [lines, setLines] = useState([]);
  useEffect(() => {
    let gone = false;
    let after = 0;
    let timer = null;
    async function more() {
      try {
        const l = await get(`/api/v1/tasks/${enc(task.id)}/log?after=${after}`);
        if (gone) return;
        if (l.length) {
          after = l[l.length - 1].seq;
          setLines((old) => [...old, ...l].slice(-2000));
        }
        const t = await get(`/api/v1/tasks/${enc(task.id)}`);
        if (!gone && (t.state === 'running' || t.state === 'queued')) timer = setTimeout(more, 1000);
      } catch {
        // the task is gone or not ours: what came stays
      }
    }
    more();
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [task.id]);
  return html`<pre class="task-log" data-testid="task-log">${lines.length
    ? lines.map((l) => `${time(l.at)}  ${l.line}`).join('\n') : 'No log lines.'}</pre>`;
}

/** Tasks as a table, newest first; a click on one opens its log under it. */
export function TaskTable({ tasks }) {
  const [open, setOpen] = useState(null);
  return html`<table><thead><tr><th>Started</th><th>Operation</th><th>Target</th><th>User</th><th>State</th>
      <th>Message</th></tr></thead><tbody>
      ${tasks.map((t) => html`<${Fragment} key=${t.id}>
        <tr class=${'task ' + t.state + (open === t.id ? ' open' : '')} data-task=${t.id}
          onClick=${() => setOpen(open === t.id ? null : t.id)} title="Show the log">
          <td>${time(t.startedAt || t.createdAt)}</td><td>${t.operation}</td><td>${t.target}</td>
          <td>${t.user || ''}</td><td>${t.state}${t.state === 'running' ? ` ${Math.round(t.progress * 100)}%` : ''}</td>
          <td>${t.error?.detail || t.message || ''}</td></tr>
        ${open === t.id && html`<tr class="task-log-row"><td colspan="6"><${TaskLog} task=${t} /></td></tr>`}
      <//>`)}
    </tbody></table>`;
}

/** The tasks run on one instance (its task history), newest first. */
export function InstanceTasks({ view, tick }) {
  const [tasks, setTasks] = useState(null);
  useEffect(() => {
    get('/api/v1/tasks?limit=1000').then((l) => setTasks((Array.isArray(l) ? l : [])
      .filter((t) => t.target === keyOf(view))))
      .catch(() => setTasks([]));
  }, [view.name, tick]);
  if (!tasks) return html`<p class="hint">Loading…</p>`;
  if (!tasks.length) return html`<p class="hint">No tasks on ${view.name} yet.</p>`;
  return html`<div class="instance-tasks" data-testid="instance-tasks"><${TaskTable} tasks=${tasks} /></div>`;
}
