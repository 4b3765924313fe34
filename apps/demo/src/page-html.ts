/** The demo's single web page: sign in at the IdP, pick an agent, run a task, see the decision. */
export const pageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dual-auth demo</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1f2328; background: #f6f8fa; }
  body { margin: 0; }
  header { background: #24292f; color: #fff; padding: 14px 24px; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 4px 0 0; color: #c9d1d9; font-size: 13px; }
  main { display: grid; grid-template-columns: 320px 1fr; gap: 16px; padding: 16px 24px; }
  section { min-width: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 14px 16px; }
  h2 { font-size: 15px; margin: 0 0 10px; }
  label, .label { display: block; font-size: 12px; color: #57606a; margin: 10px 0 3px; }
  select, button { width: 100%; font-size: 14px; padding: 6px; }
  button { margin-top: 14px; background: #1f883d; color: #fff; border: 0; border-radius: 6px; padding: 9px; cursor: pointer; }
  button:disabled { background: #8c959f; cursor: default; }
  button.secondary { background: #eaeef2; color: #1f2328; margin-top: 8px; }
  #who { font-size: 14px; margin: 4px 0 0; }
  #who strong { font-size: 15px; }
  [hidden] { display: none !important; }
  .hint { font-size: 12px; color: #57606a; margin-top: 6px; }
  #decision { display: inline-block; font-size: 22px; font-weight: 700; padding: 4px 14px; border-radius: 6px; background: #eaeef2; }
  #decision.ALLOW { background: #dafbe1; color: #116329; }
  #decision.DENY { background: #ffebe9; color: #a40e26; }
  dl { display: grid; grid-template-columns: 140px 1fr; gap: 4px 10px; font-size: 13px; margin: 12px 0 0; }
  dt { color: #57606a; }
  dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
  pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; font-size: 12px; max-height: 260px; overflow: auto; margin: 4px 0 10px; }
  .tokens { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; }
  .tokens > div { min-width: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #eaeef2; font-family: ui-monospace, monospace; }
  th { font-family: system-ui, sans-serif; color: #57606a; }
  .right { grid-column: 2; }
</style>
</head>
<body>
<header>
  <h1>dual-auth demo: an agent may act for a human only if both are authorized</h1>
  <p>Embedded IdP · web application with an in-session agent · out-of-session agent (HTTPS, POST /invoke) · finance API protected by @dual-auth/verifier</p>
</header>
<main>
  <section>
    <h2>Sign in, then run an agent task</h2>
    <div id="signed-out">
      <label for="vendor">Identity provider profile</label>
      <select id="vendor"></select>
      <button id="sign-in" type="button">Sign in with the embedded IdP</button>
      <p class="hint">OpenID Connect: authorization code + PKCE at the IdP's test login page (no passwords).</p>
    </div>
    <div id="signed-in" hidden>
      <span class="label">Signed-in human (from the verified ID token)</span>
      <p id="who"></p>
      <p class="hint" id="human-hint"></p>
      <button id="sign-out" class="secondary" type="button">Sign out</button>
    </div>
    <label for="agent">Agent</label>
    <select id="agent"></select>
    <label for="flow">Flow</label>
    <select id="flow">
      <option value="in-session">in-session (agent inside the app, act in memory)</option>
      <option value="out-of-session">out-of-session (signed act JWT to the remote agent)</option>
      <option value="mcp">MCP tool call (the MCP SDK client calls the finance-tools MCP server)</option>
    </select>
    <label for="task">Task</label>
    <select id="task">
      <option value="post-summary">read the Q4 report and post a summary</option>
      <option value="read-report">read the Q4 report</option>
    </select>
    <button id="run" type="button" disabled>Run task</button>
  </section>
  <section>
    <h2>Decision</h2>
    <span id="decision">–</span>
    <dl>
      <dt>stopped at</dt><dd id="stopped">–</dd>
      <dt>failed condition</dt><dd id="failed">–</dd>
      <dt>code</dt><dd id="code">–</dd>
      <dt>reason</dt><dd id="reason">–</dd>
      <dt>audit event id</dt><dd id="audit-id">–</dd>
      <dt>result</dt><dd id="result">–</dd>
    </dl>
  </section>
  <section class="right">
    <h2>Decoded tokens (claims only: raw tokens never leave the agent)</h2>
    <div class="tokens">
      <div><strong>agent's access token</strong><pre id="token">–</pre></div>
      <div><strong>act assertion (hybrid mode)</strong><pre id="assertion">–</pre></div>
      <div><strong>act JWT (out-of-session)</strong><pre id="act-jwt">–</pre></div>
    </div>
  </section>
  <section class="right">
    <h2>Audit trail of this task (AGBAC events, IAM ids only)</h2>
    <table><thead><tr><th>source</th><th>event id</th><th>agent</th><th>human</th><th>action</th><th>resource</th><th>decision</th><th>reason</th></tr></thead>
    <tbody id="trail"><tr><td colspan="8">run a task to see its audit events</td></tr></tbody></table>
  </section>
</main>
<script>
  const $ = (id) => document.getElementById(id);
  let directory = { vendors: [] };
  let session = { signedIn: false };
  const stoppedLabels = { idp: 'IdP pre-approval', agent: 'agent (act JWT checks)', api: 'API (verifier)', mcp: 'MCP server (verifier)' };
  function option(select, value, text) {
    const element = document.createElement('option');
    element.value = value; element.textContent = text; select.appendChild(element);
  }
  function fillAgents(vendor) {
    const entry = directory.vendors.find((v) => v.vendor === vendor) || directory.vendors[0];
    $('agent').replaceChildren();
    for (const agent of entry.agents) option($('agent'), agent, agent);
  }
  function showSession() {
    $('signed-out').hidden = session.signedIn; $('signed-in').hidden = !session.signedIn;
    $('run').disabled = !session.signedIn;
    if (!session.signedIn) { fillAgents($('vendor').value); return; }
    const human = session.human;
    $('who').replaceChildren();
    const name = document.createElement('strong'); name.textContent = human.name || human.id;
    $('who').append(name, ' via ' + session.vendor);
    $('human-hint').textContent = 'IAM id ' + human.id + ' · roles: ' + (human.roles.join(', ') || 'none') + ' · approved agents: ' + (human.approvedAgents.join(', ') || 'none');
    fillAgents(session.vendor);
  }
  function show(id, value) { $(id).textContent = value === undefined || value === null ? '–' : JSON.stringify(value, null, 2); }
  async function run() {
    $('run').disabled = true; $('decision').textContent = '…'; $('decision').className = '';
    try {
      const response = await fetch('/api/run', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentId: $('agent').value, flow: $('flow').value, task: $('task').value }) });
      if (response.status === 401) { session = { signedIn: false }; showSession(); throw new Error('signed out: sign in again'); }
      const { outcome, trail } = await response.json();
      $('decision').textContent = outcome.decision; $('decision').className = outcome.decision;
      $('stopped').textContent = outcome.stoppedAt ? stoppedLabels[outcome.stoppedAt] : 'not stopped';
      $('failed').textContent = outcome.failed || '–';
      $('code').textContent = outcome.code + (outcome.httpStatus ? ' (HTTP ' + outcome.httpStatus + ')' : '');
      $('reason').textContent = outcome.reason;
      $('audit-id').textContent = outcome.auditEventId || '–';
      $('result').textContent = outcome.result ? JSON.stringify(outcome.result) : '–';
      show('token', outcome.agentToken && outcome.agentToken.claims);
      show('assertion', outcome.actAssertion && outcome.actAssertion.claims);
      show('act-jwt', outcome.actJwt && { header: outcome.actJwt.header, claims: outcome.actJwt.claims });
      const rows = trail.map(({ source, event }) => {
        const tr = document.createElement('tr');
        for (const cell of [source, event.id, event.agentId, event.humanId, event.action, event.resource, event.decision, event.reason]) {
          const td = document.createElement('td'); td.textContent = cell === undefined ? '–' : String(cell); tr.appendChild(td);
        }
        return tr;
      });
      $('trail').replaceChildren(...rows);
    } catch (error) {
      $('decision').textContent = 'error'; $('reason').textContent = String(error);
    } finally { $('run').disabled = !session.signedIn; }
  }
  (async () => {
    directory = await (await fetch('/api/directory')).json();
    for (const entry of directory.vendors) option($('vendor'), entry.vendor, entry.vendor);
    session = await (await fetch('/api/session')).json();
    showSession();
    $('vendor').addEventListener('change', () => fillAgents($('vendor').value));
    $('sign-in').addEventListener('click', () => { location.assign('/login?vendor=' + encodeURIComponent($('vendor').value)); });
    $('sign-out').addEventListener('click', async () => {
      await fetch('/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      session = { signedIn: false }; showSession();
    });
    $('run').addEventListener('click', run);
    document.body.dataset.ready = 'true';
  })();
</script>
</body>
</html>
`;
