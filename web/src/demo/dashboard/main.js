// Live dashboard: rows inserted into weft_demo_metrics reach demo:metrics through Weft's Postgres change
// stream and move the chart; every change of weft_demo_orders reaches demo:orders and updates the table.
// Each publication is {"op", "table", "lsn", "xid", "new", "old"} with column values as Postgres text.
import { Centrifuge } from 'centrifuge';

const $ = (id) => document.getElementById(id);
const MAX_POINTS = 60;
const points = []; // {id, value}
const orders = new Map(); // id → row (text values)
window.dashboard = { points, orders: () => [...orders.values()] };

function drawChart() {
  if (points.length === 0) return;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = 600 / Math.max(1, MAX_POINTS - 1);
  $('line').setAttribute('points', points
    .map((p, i) => `${(i * step).toFixed(1)},${(195 - ((p.value - min) / span) * 190).toFixed(1)}`).join(' '));
  $('last-value').textContent = points[points.length - 1].value.toFixed(2);
}

function addPoint(row) {
  const value = Number.parseFloat(row?.value);
  if (!Number.isFinite(value) || points.some((p) => p.id === row.id)) return;
  points.push({ id: row.id, value });
  if (points.length > MAX_POINTS) points.shift();
  drawChart();
}

function renderOrders(changedId) {
  const rows = [...orders.values()].sort((a, b) => Number(a.id) - Number(b.id));
  $('orders').replaceChildren(...rows.map((o) => {
    const tr = document.createElement('tr');
    tr.dataset.id = o.id;
    if (o.id === changedId) tr.className = 'changed';
    for (const key of ['id', 'customer', 'status', 'total', 'updated_at']) {
      tr.append(Object.assign(document.createElement('td'), { textContent: o[key] ?? '' }));
    }
    return tr;
  }));
  $('order-count').textContent = orders.size;
}

function applyOrder(change) {
  if (change.op === 'delete') {
    if (change.old?.id !== undefined) orders.delete(change.old.id);
    renderOrders(null);
    return;
  }
  if (change.new?.id === undefined) return;
  orders.set(change.new.id, { ...orders.get(change.new.id), ...change.new });
  renderOrders(change.new.id);
}

const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const centrifuge = new Centrifuge(`${scheme}://${location.host}/connection/websocket`);
const metrics = centrifuge.newSubscription('demo:metrics');
const ordersSub = centrifuge.newSubscription('demo:orders');

metrics.on('publication', (ctx) => addPoint(ctx.data?.new));
ordersSub.on('publication', (ctx) => applyOrder(ctx.data));
// What happened before the page opened, from the channels' history (oldest first).
metrics.on('subscribed', () => metrics.history({ limit: MAX_POINTS, reverse: true })
  .then((h) => h.publications.reverse().forEach((p) => addPoint(p.data?.new))).catch(() => {}));
ordersSub.on('subscribed', () => ordersSub.history({ limit: 100 })
  .then((h) => h.publications.forEach((p) => applyOrder(p.data))).catch(() => {}));

centrifuge.on('connected', () => { $('status').textContent = 'connected'; });
centrifuge.on('disconnected', () => { $('status').textContent = 'disconnected'; });
centrifuge.on('connecting', () => { $('status').textContent = 'connecting…'; });
metrics.subscribe();
ordersSub.subscribe();
centrifuge.connect();
