// Chat over the centrifuge SDK: messages (with history) on demo:chat, presence and join/leave of the
// same channel for who is online, and hello/typing signals on demo:chat-signals (kept apart so typing
// does not push messages out of the chat's history).
import { Centrifuge } from 'centrifuge';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const name = params.get('name') || sessionStorage.getItem('weft-chat-name') || `guest-${Math.random().toString(36).slice(2, 6)}`;
$('name').value = name;
const myName = () => $('name').value.trim() || name;
$('name').addEventListener('change', () => { sessionStorage.setItem('weft-chat-name', myName()); hello(); });

const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const centrifuge = new Centrifuge(`${scheme}://${location.host}/connection/websocket`);
const chat = centrifuge.newSubscription('demo:chat');
const signals = centrifuge.newSubscription('demo:chat-signals');

const names = new Map(); // client id → name
const online = new Set(); // client ids present in demo:chat
const typing = new Map(); // client id → time of the last typing signal
let myClient = '';
window.chat = { messages: [], online: () => [...online].map(nameOf).sort(), typing: () => typingNames() };

const nameOf = (client) => names.get(client) ?? `guest ${client.slice(0, 4)}`;

function showMessage(data) {
  if (data?.type !== 'message') return;
  window.chat.messages.push(data);
  const li = document.createElement('li');
  const who = document.createElement('b');
  who.textContent = data.name;
  li.append(who, data.text);
  $('messages').append(li);
  $('messages').scrollTop = $('messages').scrollHeight;
}

function renderOnline() {
  const list = [...online].map((c) => ({ c, n: nameOf(c) + (c === myClient ? ' (you)' : '') }))
    .sort((a, b) => a.n.localeCompare(b.n));
  $('online').replaceChildren(...list.map(({ c, n }) => Object.assign(document.createElement('li'), { textContent: n, title: c })));
  $('online-count').textContent = online.size;
}

function typingNames() {
  const now = Date.now();
  return [...typing].filter(([c, t]) => c !== myClient && now - t < 3000).map(([c]) => nameOf(c)).sort();
}
function renderTyping() {
  const who = typingNames();
  $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
}
setInterval(renderTyping, 500);

function hello() {
  if (myClient) signals.publish({ type: 'hello', client: myClient, name: myName() }).catch(() => {});
}

centrifuge.on('connected', (ctx) => {
  myClient = ctx.client;
  $('status').textContent = 'connected';
  $('status').className = 'ok';
});
centrifuge.on('connecting', () => { $('status').textContent = 'connecting…'; $('status').className = 'muted'; });
centrifuge.on('disconnected', (ctx) => { $('status').textContent = `disconnected: ${ctx.reason}`; $('status').className = 'error'; });

chat.on('subscribed', async () => {
  const page = await chat.history({ limit: 50, reverse: true });
  $('messages').replaceChildren();
  window.chat.messages = [];
  page.publications.reverse().forEach((p) => showMessage(p.data));
  const presence = await chat.presence();
  online.clear();
  Object.keys(presence.clients).forEach((c) => online.add(c));
  renderOnline();
});
chat.on('publication', (ctx) => showMessage(ctx.data));
chat.on('join', (ctx) => { online.add(ctx.info.client); renderOnline(); hello(); });
chat.on('leave', (ctx) => { online.delete(ctx.info.client); typing.delete(ctx.info.client); renderOnline(); renderTyping(); });

signals.on('subscribed', hello);
signals.on('publication', (ctx) => {
  const { type, client, name: who } = ctx.data ?? {};
  if (typeof client !== 'string') return;
  if (typeof who === 'string') names.set(client, who.slice(0, 30));
  if (type === 'typing') typing.set(client, Date.now());
  if (type === 'message-sent') typing.delete(client);
  renderOnline();
  renderTyping();
});

let lastTyping = 0;
$('text').addEventListener('input', () => {
  const now = Date.now();
  if (now - lastTyping > 1000 && myClient) {
    lastTyping = now;
    signals.publish({ type: 'typing', client: myClient, name: myName() }).catch(() => {});
  }
});
$('send-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  lastTyping = 0;
  await chat.publish({ type: 'message', name: myName(), text });
  signals.publish({ type: 'message-sent', client: myClient, name: myName() }).catch(() => {});
});

signals.subscribe();
chat.subscribe();
centrifuge.connect();
