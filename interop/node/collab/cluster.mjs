// One document edited through several Weft nodes: real y-websocket 3.1.0 and @hocuspocus/provider 4.8.0
// clients, each connected to its own node, on one room.
//
// 1. Clients of both dialects on different nodes make random concurrent edits; all converge (toJSON of every
//    shared type and the state vector). Each sets an awareness state; every client sees every other's.
// 2. While every client keeps editing, the script prints {"event":"kill_node","node":K}; the driver kills that
//    node (SIGKILL). Its clients lose their connections and keep editing offline. An edit of theirs counts as
//    ACKNOWLEDGED when a client on a surviving node had received it when their connections went (it went
//    through a node, which relays only what it stored).
// 3. The awareness states of the killed node's clients disappear from the survivors' clients ("ghosts"),
//    within GHOST_MS; the time is reported.
// 4. A fresh client on a surviving node (empty document) finds every acknowledged edit: the shared store kept
//    them. Then the killed node's clients reconnect to surviving nodes; everyone converges, every edit of every
//    client included, and a fresh client gets the same.
//
// Environment: YJS_URLS and HOCUSPOCUS_URLS (one per node, comma-separated), COLLAB_TOKEN, COLLAB_ROOM,
// KILL_NODE (index of the node to kill), COLLAB_EDITS (per client in phase 1, 30), GHOST_MS (20000),
// COLLAB_SEED, WEFT_TIMEOUT_MS. Output contract: see ../harness.mjs.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

import { check, done, emit, onExit, required, sleep, step, until } from '../harness.mjs';
import { SETTLE_MS, converge, holdsEdits } from './checks.mjs';
import { random, randomEdit, summary } from './edits.mjs';

const yjsUrls = required('YJS_URLS').split(',');
const hocuspocusUrls = required('HOCUSPOCUS_URLS').split(',');
const token = required('COLLAB_TOKEN');
const room = required('COLLAB_ROOM');
const killed = Number(required('KILL_NODE'));
const editsPerClient = Number(process.env.COLLAB_EDITS || 30);
const ghostMs = Number(process.env.GHOST_MS || 20000);
const seed = Number(process.env.COLLAB_SEED || 1);
const survivor = (killed + 1) % yjsUrls.length;
const otherSurvivor = yjsUrls.length > 2 ? (killed + 2) % yjsUrls.length : survivor;

const closers = new Set();
onExit(async () => closers.forEach((close) => close()));

/** A y-websocket provider for `doc` on node `node`. */
function yWebsocket(doc, node) {
  const provider = new WebsocketProvider(yjsUrls[node], room, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 500, params: { token },
  });
  const close = () => provider.destroy();
  closers.add(close);
  return {
    awareness: provider.awareness, synced: () => provider.synced, connected: () => provider.wsconnected,
    destroy: () => { close(); closers.delete(close); },
  };
}

/** A Hocuspocus provider (on a socket of its own) for `doc` on node `node`. */
function hocuspocus(doc, node) {
  const socket = new HocuspocusProviderWebsocket({
    url: hocuspocusUrls[node], WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 500,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc, token });
  provider.attach();
  const close = () => socket.destroy();
  closers.add(close);
  return {
    awareness: provider.awareness, synced: () => provider.isSynced && provider.isAuthenticated,
    connected: () => socket.status === 'connected',
    destroy: () => { close(); closers.delete(close); },
  };
}

const dialects = { 'y-websocket': yWebsocket, hocuspocus };

/** A client as checks.mjs sees it, with its current connection in `link`. */
function client(name, dialect, node, index) {
  const doc = new Y.Doc();
  const c = { name, dialect, node, doc, rng: random(seed * 1000 + index), made: 0, link: dialects[dialect](doc, node) };
  c.synced = () => c.link.synced();
  c.state = () => ({ name, dialect, node, connected: c.link.connected(), synced: c.link.synced() });
  return c;
}

function edit(c) {
  randomEdit(c.doc, c.rng, c.name, c.made++);
}

/** Ids of the edits in `doc`'s log made by one of `authors`. */
function editsBy(doc, authors) {
  const ids = [];
  doc.getMap('log').forEach((by, id) => { if (authors.includes(by)) ids.push(id); });
  return ids;
}

/** Every edit id the clients made. */
function allEdits(clients) {
  return clients.flatMap((c) => Array.from({ length: c.made }, (_, n) => `${c.name}:${n}`));
}

async function freshClientMatches(reference, dialect, node, what) {
  const fresh = client('fresh', dialect, node, 99);
  await converge([reference, fresh], what);
  fresh.link.destroy();
}

step('connect');
const nodes = yjsUrls.length;
const clients = [];
for (let node = 0; node < nodes; node++) {
  clients.push(client(`y${node}`, 'y-websocket', node, clients.length));
  clients.push(client(`h${node}`, 'hocuspocus', node, clients.length));
}
await until(() => clients.every((c) => c.synced()), SETTLE_MS, 'every client synced on its node');

step('edit on every node');
await Promise.all(clients.map(async (c) => {
  for (let n = 0; n < editsPerClient; n++) {
    edit(c);
    await sleep(c.rng.int(15));
  }
}));
await converge(clients, 'clients on different nodes');
emit('converged', { clients: clients.length, nodes, ...summary(clients[0].doc) });

step('awareness');
for (const c of clients) {
  c.link.awareness.setLocalStateField('user', { name: c.name, node: c.node });
}
const seesEveryone = (c) => clients.every((o) => c.link.awareness.getStates().get(o.doc.clientID)?.user?.name === o.name);
await until(() => clients.every(seesEveryone), SETTLE_MS, 'every client to see every awareness state');
emit('awareness_shared', { clients: clients.length });

step('kill a node while editing');
const doomed = clients.filter((c) => c.node === killed);
const survivors = clients.filter((c) => c.node !== killed);
let editing = true;
const editors = clients.map(async (c) => {
  while (editing) {
    edit(c);
    await sleep(20 + c.rng.int(20));
  }
});
await sleep(1000);
emit('kill_node', { node: killed });
await until(() => doomed.every((c) => !c.link.connected()), SETTLE_MS, 'the killed node\'s clients to lose their connections');
const killedAt = Date.now();
const doomedNames = doomed.map((c) => c.name);
const acknowledged = new Set(survivors.flatMap((c) => editsBy(c.doc, doomedNames)));
check(acknowledged.size > 0, 'no edit of the killed node\'s clients reached a survivor before the kill');

step('ghost awareness');
const ghostFree = (c) => doomed.every((d) => !c.link.awareness.getStates().has(d.doc.clientID));
await until(() => survivors.every(ghostFree), ghostMs, 'the killed node\'s awareness states to leave the survivors');
const ghostsGoneMs = Date.now() - killedAt;
emit('ghosts_removed', { ms: ghostsGoneMs });

step('edits the store kept');
editing = false;
await Promise.all(editors);
const freshDoc = client('fresh-after-kill', 'hocuspocus', survivor, 98);
await holdsEdits(freshDoc.doc, acknowledged, 'a fresh client after the kill');
const afterKill = new Set(editsBy(freshDoc.doc, doomedNames));
const lost = [...acknowledged].filter((id) => !afterKill.has(id)).length;
freshDoc.link.destroy();
emit('kept_acknowledged', { acknowledged: acknowledged.size, lost, offline: doomed.reduce((n, c) => n + c.made, 0) });

step('reconnect to survivors');
for (const [i, c] of doomed.entries()) {
  c.link.destroy();
  c.node = i % 2 === 0 ? survivor : otherSurvivor;
  c.link = dialects[c.dialect](c.doc, c.node);
}
await converge(clients, 'every client, after the killed node\'s moved to survivors');
await holdsEdits(clients[0].doc, allEdits(clients), 'every edit of every client');
await freshClientMatches(clients[0], 'y-websocket', otherSurvivor, 'a fresh client after the reconnections');
emit('reconverged', { edits: clients[0].doc.getMap('log').size, made: clients.reduce((n, c) => n + c.made, 0) });
done();
