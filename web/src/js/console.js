import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import RFB from 'novnc/core/rfb.js';
import keysyms from 'novnc/core/input/keysymdef.js';
import KeyTable from 'novnc/core/input/keysym.js';
import { html } from './html.js';
import { post, enc } from './api.js';

// Both consoles start with a single-use ticket (valid 30 s) and a WebSocket to the path it names: a WebSocket
// cannot send a header, and the ticket is the only secret that ever goes into a URL.
async function open(name, type) {
  const t = await post(`/api/v1/instances/${enc(name)}/console/ticket?type=${type}`);
  return { ...t, url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${t.path}` };
}

/**
 * A terminal in xterm.js over a WebSocket: binary frames both ways, the terminal's size as a text (control) frame.
 * {@code connect(cols, rows)} gives the socket's URL (from a single-use ticket); a text frame from the daemon is its
 * own control message: {"exit":N} when an exec's command ended.
 */
function TerminalSocket({ connect, testid, toolbar }) {
  const box = useRef(null);
  const [state, setState] = useState('connecting');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current);
    fit.fit();
    let ws = null;
    let closed = false;
    const encoder = new TextEncoder();
    setState('connecting');
    connect(term.cols, term.rows).then((url) => {
      if (closed) return;
      ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        setState('connected');
        ws.send(JSON.stringify({ resize: [term.cols, term.rows] }));
        term.focus();
      };
      ws.onmessage = (e) => {
        if (typeof e.data !== 'string') {
          term.write(new Uint8Array(e.data));
          return;
        }
        try {
          const m = JSON.parse(e.data);
          if ('exit' in m) setState('exited ' + m.exit);
        } catch {
          term.write(e.data);
        }
      };
      ws.onclose = () => !closed && setState((s) => (s.startsWith('exited') ? s : 'disconnected'));
    }).catch((e) => setState('error: ' + e.message));
    const data = term.onData((d) => ws?.readyState === 1 && ws.send(encoder.encode(d)));
    const resize = term.onResize(({ cols, rows }) => ws?.readyState === 1 && ws.send(JSON.stringify({ resize: [cols, rows] })));
    const ro = new ResizeObserver(() => fit.fit());
    ro.observe(box.current);
    return () => {
      closed = true;
      ro.disconnect();
      data.dispose();
      resize.dispose();
      ws?.close();
      term.dispose();
    };
  }, [connect, generation]);
  return html`<div class="console serial">
    <div class="console-bar"><span data-testid="console-state">${state}</span>
      ${toolbar}
      <button onClick=${() => setGeneration((g) => g + 1)}>Reconnect</button></div>
    <div class="terminal" ref=${box} data-testid=${testid}></div>
  </div>`;
}

/** The serial console of a VM. */
export function SerialConsole({ name }) {
  const connect = useCallback(() => open(name, 'serial').then((t) => t.url), [name]);
  return html`<${TerminalSocket} connect=${connect} testid="serial-terminal" />`;
}

/** A command (a shell by default) in a running container, with a terminal: Docker's {@code exec -it}. */
export function ContainerExec({ name }) {
  const [command, setCommand] = useState('/bin/sh');
  const [running, setRunning] = useState('/bin/sh');
  const connect = useCallback((cols, rows) => open(name, 'exec').then((t) => {
    const argv = running.trim().split(/\s+/).filter(Boolean);
    const q = argv.map((a) => 'cmd=' + enc(a)).join('&');
    return `${t.url}&tty=true&cols=${cols}&rows=${rows}&${q}`;
  }), [name, running]);
  const toolbar = html`<form class="inline" onSubmit=${(e) => {
    e.preventDefault();
    setRunning(command);
  }}><input name="command" aria-label="Command" value=${command} onInput=${(e) => setCommand(e.target.value)} />
    <button type="submit">Run</button></form>`;
  return html`<${TerminalSocket} connect=${connect} testid="exec-terminal" toolbar=${toolbar} />`;
}

/** The container's own process, as `docker attach`: its output from the start, typing to its stdin when it has one. */
export function ContainerAttach({ name, stdin }) {
  const connect = useCallback(() => open(name, 'attach').then((t) => `${t.url}&logs=true&stdin=${!!stdin}`),
    [name, stdin]);
  return html`<${TerminalSocket} connect=${connect} testid="attach-terminal" />`;
}

const STICKY = [
  { label: 'Ctrl', keysym: KeyTable.XK_Control_L, code: 'ControlLeft' },
  { label: 'Alt', keysym: KeyTable.XK_Alt_L, code: 'AltLeft' },
  { label: 'Win', keysym: KeyTable.XK_Super_L, code: 'MetaLeft' },
];

/** The graphical console in noVNC, through the daemon's WebSocket-to-VNC bridge, with the VNC password the ticket brought. */
export function GraphicalConsole({ name }) {
  const box = useRef(null);
  const rfb = useRef(null);
  const [state, setState] = useState('connecting');
  const [generation, setGeneration] = useState(0);
  const [scale, setScale] = useState(true);
  const [held, setHeld] = useState({});
  const [clip, setClip] = useState('');
  useEffect(() => {
    let closed = false;
    open(name, 'vnc').then((t) => {
      if (closed) return;
      const r = new RFB(box.current, t.url, { credentials: { password: t.password } });
      r.scaleViewport = scale;
      r.background = '#222';
      r.addEventListener('connect', () => setState('connected'));
      r.addEventListener('disconnect', (e) => !closed && setState(e.detail.clean ? 'disconnected' : 'connection lost'));
      r.addEventListener('securityfailure', (e) => setState('refused: ' + (e.detail.reason || e.detail.status)));
      rfb.current = r;
    }).catch((e) => setState('error: ' + e.message));
    return () => {
      closed = true;
      rfb.current?.disconnect();
      rfb.current = null;
      setHeld({});
    };
  }, [name, generation]);
  useEffect(() => {
    if (rfb.current) rfb.current.scaleViewport = scale;
  }, [scale]);

  function toggle(k) {
    const down = !held[k.label];
    rfb.current?.sendKey(k.keysym, k.code, down);
    setHeld({ ...held, [k.label]: down });
  }
  // Types the text into the guest key by key: a guest without a clipboard agent still gets it.
  function typeText() {
    for (const ch of clip) {
      const cp = ch.codePointAt(0);
      const sym = ch === '\n' ? KeyTable.XK_Return : keysyms.lookup(cp);
      rfb.current?.sendKey(sym, null, true);
      rfb.current?.sendKey(sym, null, false);
    }
  }
  return html`<div class="console graphical">
    <div class="console-bar">
      <span data-testid="console-state">${state}</span>
      <button onClick=${() => rfb.current?.sendCtrlAltDel()}>Ctrl-Alt-Del</button>
      ${STICKY.map((k) => html`<button class=${held[k.label] ? 'on' : ''} aria-pressed=${!!held[k.label]}
        onClick=${() => toggle(k)}>${k.label}</button>`)}
      <label><input type="checkbox" checked=${scale} onChange=${(e) => setScale(e.target.checked)} /> Scale</label>
      <button onClick=${() => box.current.requestFullscreen?.()}>Full screen</button>
      <button onClick=${() => setGeneration((g) => g + 1)}>Reconnect</button>
      <input class="clip" placeholder="Text to type into the guest" value=${clip}
        onInput=${(e) => setClip(e.target.value)} />
      <button onClick=${typeText} disabled=${!clip}>Type</button>
    </div>
    <div class="screen" ref=${box} data-testid="vnc-screen"></div>
  </div>`;
}

export function Console({ view }) {
  const hasDisplay = view.spec?.display && view.spec.display !== 'none';
  const [mode, setMode] = useState(hasDisplay ? 'vnc' : 'serial');
  if (view.status !== 'running') return html`<p class="hint">The console opens once ${view.name} runs.</p>`;
  return html`<div class="consoles">
    ${hasDisplay && html`<div class="subtabs">
      <button class=${mode === 'vnc' ? 'on' : ''} onClick=${() => setMode('vnc')}>Graphical</button>
      <button class=${mode === 'serial' ? 'on' : ''} onClick=${() => setMode('serial')}>Serial</button></div>`}
    ${mode === 'vnc' ? html`<${GraphicalConsole} name=${view.name} />` : html`<${SerialConsole} name=${view.name} />`}
  </div>`;
}
