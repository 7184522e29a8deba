import { useState } from 'preact/hooks';
import { html } from './html.js';
import { login } from './api.js';

/** The login form: a Vessel user of the local realm. */
export function Login({ onLogin }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      onLogin();
    } catch (err) {
      setError(err.status === 401 ? 'Wrong user name or password.' : err.message);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="login" onSubmit=${submit} aria-label="Log in">
      <h1><img src=${document.querySelector('link[rel=icon]').href} alt="" /> Vessel</h1>
      <label>User name
        <input name="username" autocomplete="username" autofocus required
          value=${username} onInput=${(e) => setUsername(e.target.value)} />
      </label>
      <label>Password
        <input name="password" type="password" autocomplete="current-password" required
          value=${password} onInput=${(e) => setPassword(e.target.value)} />
      </label>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" disabled=${busy}>${busy ? 'Logging in…' : 'Log in'}</button>
    </form>`;
}
