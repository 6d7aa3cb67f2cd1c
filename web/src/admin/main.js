// The admin UI: one page, its data from /admin/api/… behind the session cookie (HttpOnly: this script
// never sees it). Every server API call goes through /admin/api/call/<method>, the same methods as /api.
const $ = (id) => document.getElementById(id);
const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
};

class LoginRequired extends Error {}

async function call(method, body = {}) {
  const response = await fetch(`api/call/${method}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (response.status === 401) {
    showLogin();
    throw new LoginRequired();
  }
  const json = await response.json();
  if (json.error) throw new Error(`${method}: ${json.error.message} (${json.error.code})`);
  return json.result;
}

async function getJson(path) {
  const response = await fetch(path);
  if (response.status === 401) {
    showLogin();
    throw new LoginRequired();
  }
  return response.json();
}

// ---- login -------------------------------------------------------------------------------------------
function showLogin() {
  stopStats();
  $('app').classList.add('hidden');
  $('login').classList.remove('hidden');
  $('password').focus();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const response = await fetch('login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: $('password').value }),
  });
  if (response.ok) {
    $('password').value = '';
    $('login-error').textContent = '';
    start();
    return;
  }
  $('login-error').textContent = response.status === 429
    ? `Too many wrong passwords: try again in ${response.headers.get('Retry-After')} s.`
    : 'Wrong password.';
});

$('logout').addEventListener('click', async () => {
  await fetch('logout', { method: 'POST' });
  showLogin();
});

// ---- tabs --------------------------------------------------------------------------------------------
const loaders = {
  overview: loadNodes, channels: loadChannels, connections: async () => {}, console: loadConsole, documents: loadDocuments,
};
for (const button of document.querySelectorAll('#tabs button')) {
  button.addEventListener('click', () => showTab(button.dataset.tab));
}
function showTab(tab) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const p of document.querySelectorAll('[data-page]')) p.classList.toggle('hidden', p.dataset.page !== tab);
  loaders[tab]().catch(report);
}
function report(e) {
  if (!(e instanceof LoginRequired)) console.error(e);
}

// ---- overview: live stats over SSE, nodes --------------------------------------------------------------
const HISTORY = 120;
const samples = [];
let stats = null;

function startStats() {
  stopStats();
  stats = new EventSource('api/stats');
  stats.addEventListener('open', () => { $('live').textContent = 'live'; $('live').className = 'ok'; });
  stats.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; $('live').className = 'muted'; });
  stats.addEventListener('stats', (e) => {
    const s = JSON.parse(e.data);
    for (const key of ['clients', 'users', 'channels', 'subscriptions']) $(`s-${key}`).textContent = s[key];
    $('s-published').textContent = s.published_per_second.toFixed(1);
    $('s-delivered').textContent = s.delivered_per_second.toFixed(1);
    $('s-published-total').textContent = s.published_total;
    $('s-delivered-total').textContent = s.delivered_total;
    samples.push(s);
    if (samples.length > HISTORY) samples.shift();
    drawChart();
  });
}
function stopStats() {
  if (stats) stats.close();
  stats = null;
}

function drawChart() {
  const canvas = $('chart');
  const g = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  g.clearRect(0, 0, w, h);
  const max = Math.max(1, ...samples.map((s) => Math.max(s.published_per_second, s.delivered_per_second)));
  g.strokeStyle = '#e4e7ec';
  g.fillStyle = '#667085';
  g.font = '12px system-ui';
  for (let i = 0; i <= 4; i++) {
    const y = 10 + ((h - 30) * i) / 4;
    g.beginPath(); g.moveTo(40, y); g.lineTo(w, y); g.stroke();
    g.fillText(((max * (4 - i)) / 4).toFixed(max < 8 ? 1 : 0), 2, y + 4);
  }
  const line = (key, color) => {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    samples.forEach((s, i) => {
      const x = 40 + ((w - 40) * (i + HISTORY - samples.length)) / (HISTORY - 1);
      const y = 10 + (h - 30) * (1 - s[key] / max);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  };
  line('published_per_second', '#3b5bdb');
  line('delivered_per_second', '#2b8a3e');
}

async function loadNodes() {
  const info = await call('info');
  const body = $('nodes').tBodies[0];
  body.replaceChildren(...info.nodes.map((n) => el('tr', {},
    el('td', { textContent: n.name }), el('td', { className: 'mono', textContent: n.uid }),
    el('td', { textContent: n.version }), el('td', { textContent: n.num_clients ?? 0 }),
    el('td', { textContent: n.num_users ?? 0 }), el('td', { textContent: n.num_channels ?? 0 }),
    el('td', { textContent: n.num_subs ?? 0 }), el('td', { textContent: `${n.uptime ?? 0} s` }))));
}

// ---- channels and presence -----------------------------------------------------------------------------
$('channels-refresh').addEventListener('click', () => loadChannels().catch(report));
$('presence-load').addEventListener('click', () => loadPresence($('presence-input').value).catch(report));

async function loadChannels() {
  const result = await call('channels', { pattern: $('channel-pattern').value });
  const body = $('channels').tBodies[0];
  body.replaceChildren(...Object.entries(result.channels).map(([name, info]) => el('tr', {},
    el('td', { className: 'mono', textContent: name }), el('td', { textContent: info.num_clients }),
    el('td', {}, el('button', {
      className: 'secondary', textContent: 'Presence', onclick: () => loadPresence(name).catch(report),
    })))));
}

async function loadPresence(channel) {
  $('presence-input').value = channel;
  $('presence-channel').textContent = channel;
  const body = $('presence').tBodies[0];
  try {
    const [presence, presenceStats] = await Promise.all([
      call('presence', { channel }), call('presence_stats', { channel })]);
    $('presence-stats').textContent = `${presenceStats.num_clients} connection(s), ${presenceStats.num_users} user(s)`;
    body.replaceChildren(...Object.values(presence.presence).map((c) => el('tr', {},
      el('td', { className: 'mono', textContent: c.client }), el('td', { textContent: c.user }),
      el('td', { className: 'mono', textContent: c.conn_info ? JSON.stringify(c.conn_info) : '' }))));
  } catch (e) {
    if (e instanceof LoginRequired) throw e;
    $('presence-stats').textContent = e.message;
    body.replaceChildren();
  }
}

// ---- connection inspector -------------------------------------------------------------------------------
$('conn-load').addEventListener('click', () => loadConnections().catch(report));

async function loadConnections() {
  const user = $('conn-user').value;
  const result = await call('connections', { user });
  const rows = Object.entries(result.connections);
  $('conn-status').textContent = `${rows.length} connection(s) on this node`;
  $('connections').tBodies[0].replaceChildren(...rows.map(([client, c]) => el('tr', { dataset: { client } },
    el('td', { className: 'mono', textContent: client }), el('td', { textContent: c.user }),
    el('td', { textContent: c.transport }), el('td', { className: 'mono', textContent: c.remote_addr }),
    el('td', {}, ...c.channels.map((channel) => el('span', { className: 'pill' }, channel, ' ',
      el('a', {
        href: '#', title: `unsubscribe from ${channel}`, textContent: '×', className: 'unsubscribe',
        onclick: (e) => { e.preventDefault(); act('unsubscribe', { user: c.user, client, channel }); },
      })))),
    el('td', {}, el('button', {
      className: 'danger', textContent: 'Disconnect',
      onclick: () => act('disconnect', { user: c.user, client }),
    })))));
}

async function act(method, body) {
  try {
    await call(method, body);
    $('conn-status').textContent = `${method} sent to ${body.client}`;
    setTimeout(() => loadConnections().catch(report), 300);
  } catch (e) {
    if (!(e instanceof LoginRequired)) $('conn-status').textContent = e.message;
  }
}

// ---- console ------------------------------------------------------------------------------------------
let methods = null;
async function loadConsole() {
  if (methods) return;
  const doc = await getJson('api/openapi.json');
  methods = Object.entries(doc.paths).map(([path, item]) => ({
    name: path.replace('/api/', ''), summary: item.post.summary,
    example: item.post.requestBody.content['application/json'].example ?? {},
  }));
  $('method').replaceChildren(...methods.map((m) => el('option', { value: m.name, textContent: m.name })));
  selectMethod(methods[0].name);
}
function selectMethod(name) {
  const m = methods.find((x) => x.name === name);
  $('method').value = name;
  $('method-summary').textContent = m.summary;
  $('request').value = JSON.stringify(m.example, null, 2);
}
$('method').addEventListener('change', () => selectMethod($('method').value));
$('send').addEventListener('click', async () => {
  const started = performance.now();
  const response = await fetch(`api/call/${$('method').value}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: $('request').value,
  });
  if (response.status === 401) { showLogin(); return; }
  const text = await response.text();
  $('send-status').textContent = `HTTP ${response.status} in ${(performance.now() - started).toFixed(0)} ms`;
  try {
    $('response').textContent = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    $('response').textContent = text;
  }
});

// ---- documents ----------------------------------------------------------------------------------------
$('docs-refresh').addEventListener('click', () => loadDocuments().catch(report));
const bytes = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`);

async function loadDocuments() {
  const response = await fetch('api/documents');
  if (response.status === 401) { showLogin(); return; }
  if (response.status === 404) {
    $('documents').tBodies[0].replaceChildren(el('tr', {}, el('td', { colSpan: 5, textContent: 'Documents are disabled on this server.' })));
    return;
  }
  const { documents } = await response.json();
  $('documents').tBodies[0].replaceChildren(...documents.map((d) => el('tr', {},
    el('td', { className: 'mono', textContent: d.name }), el('td', { textContent: bytes(d.stored_bytes) }),
    el('td', { textContent: d.loaded ? bytes(d.loaded_bytes) : 'no' }), el('td', { textContent: d.holders }),
    el('td', {}, el('a', { href: `api/docs/${d.name}`, download: `${d.name}.ydoc`, textContent: 'download merged update' })))));
}

// ---- start ----------------------------------------------------------------------------------------------
async function start() {
  const response = await fetch('api/session');
  if (!response.ok) {
    showLogin();
    return;
  }
  $('login').classList.add('hidden');
  $('app').classList.remove('hidden');
  startStats();
  showTab('overview');
}
start();
