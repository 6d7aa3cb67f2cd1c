// A table as one Yjs document: a Y.Map of cells ("row,col" → text), synced by y-websocket through Weft,
// kept in IndexedDB (y-indexeddb) so edits made offline survive and merge on reconnect, with live cursors
// from awareness and an UndoManager that tracks only this tab's own transactions.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';

const ROWS = 8;
const COLS = 5;
const COLORS = ['#e8590c', '#2b8a3e', '#1971c2', '#9c36b5', '#c2255c', '#0c8599', '#5f3dc4', '#a61e4d'];
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const room = params.get('room') || 'demo:table';
const name = params.get('name') || `guest-${Math.random().toString(36).slice(2, 6)}`;
$('room').textContent = room;

const doc = new Y.Doc();
const cells = doc.getMap('cells');
const LOCAL = { local: true }; // the origin of this tab's own edits, the only one the UndoManager tracks
const undo = new Y.UndoManager(cells, { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
const persistence = new IndexeddbPersistence(`weft-demo-${room}`, doc);
const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const provider = new WebsocketProvider(`${scheme}://${location.host}/yjs`, room, doc);
const awareness = provider.awareness;
const color = COLORS[doc.clientID % COLORS.length];
awareness.setLocalStateField('user', { name, color });

// A WebSocket may outlive the network going away; follow the browser's own online/offline state.
window.addEventListener('offline', () => provider.disconnect());
window.addEventListener('online', () => provider.connect());

const key = (r, c) => `${r},${c}`;
const inputs = new Map();
const grid = $('grid');
const head = grid.insertRow();
head.append(document.createElement('th'));
for (let c = 0; c < COLS; c++) head.append(Object.assign(document.createElement('th'), { textContent: String.fromCharCode(65 + c) }));
for (let r = 0; r < ROWS; r++) {
  const row = grid.insertRow();
  row.append(Object.assign(document.createElement('th'), { textContent: r + 1 }));
  for (let c = 0; c < COLS; c++) {
    const td = row.insertCell();
    const input = Object.assign(document.createElement('input'), { id: `cell-${r}-${c}` });
    input.dataset.key = key(r, c);
    input.addEventListener('input', () => doc.transact(() => cells.set(input.dataset.key, input.value), LOCAL));
    input.addEventListener('focus', () => awareness.setLocalStateField('cursor', { cell: input.dataset.key }));
    input.addEventListener('blur', () => awareness.setLocalStateField('cursor', null));
    td.append(input);
    inputs.set(key(r, c), input);
  }
}

function renderCells() {
  for (const [k, input] of inputs) {
    const value = cells.get(k) ?? '';
    if (input.value !== value) input.value = value;
  }
}
cells.observe(renderCells);

function renderCursors() {
  for (const input of inputs.values()) {
    const td = input.parentElement;
    td.classList.remove('remote');
    td.querySelector('.cursor-label')?.remove();
  }
  const peers = [];
  awareness.getStates().forEach((state, clientId) => {
    if (!state.user) return;
    peers.push({ ...state.user, me: clientId === doc.clientID });
    const cell = state.cursor?.cell;
    if (clientId === doc.clientID || !cell || !inputs.has(cell)) return;
    const td = inputs.get(cell).parentElement;
    td.classList.add('remote');
    td.style.setProperty('--cursor', state.user.color);
    td.append(Object.assign(document.createElement('span'), { className: 'cursor-label', textContent: state.user.name }));
  });
  $('peers').replaceChildren(...peers.sort((a, b) => a.name.localeCompare(b.name)).map((p) => Object.assign(
    document.createElement('span'), { className: 'pill', textContent: p.name + (p.me ? ' (you)' : ''), style: `background:${p.color}` })));
}
awareness.on('change', renderCursors);

const undoButton = $('undo');
const redoButton = $('redo');
const renderUndo = () => {
  undoButton.disabled = undo.undoStack.length === 0;
  redoButton.disabled = undo.redoStack.length === 0;
};
undo.on('stack-item-added', renderUndo);
undo.on('stack-item-popped', renderUndo);
undoButton.addEventListener('click', () => undo.undo());
redoButton.addEventListener('click', () => undo.redo());
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
    e.preventDefault();
    if (e.shiftKey) undo.redo(); else undo.undo();
  }
});
renderUndo();

provider.on('status', ({ status }) => {
  $('status').textContent = status === 'connected' ? 'connected' : navigator.onLine ? status : 'offline — edits kept locally';
  $('status').className = status === 'connected' ? 'ok' : 'muted';
});
provider.on('sync', (synced) => { if (synced) window.collab.synced = true; });
persistence.on('synced', () => { window.collab.stored = true; renderCells(); });

// For people poking around in the console and for the browser tests.
window.collab = {
  doc, cells, provider, undo, synced: false, stored: false,
  values: () => Object.fromEntries([...cells.entries()].sort()),
  connected: () => provider.wsconnected,
  // What IndexedDB holds for this room, read into a fresh document (what a reload would start from).
  storedValues: async () => {
    const copy = new Y.Doc();
    const stored = new IndexeddbPersistence(`weft-demo-${room}`, copy);
    await stored.whenSynced;
    const result = Object.fromEntries([...copy.getMap('cells').entries()].sort());
    await stored.destroy();
    return result;
  },
};
