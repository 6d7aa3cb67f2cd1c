// y-websocket end to end: real WebsocketProvider clients (y-websocket 3.1.0, `ws` as their WebSocket) on
// one room of a y-websocket server (Weft's /yjs or the reference @y/websocket-server).
//
// 1. COLLAB_CLIENTS providers make random concurrent edits (text with emoji, map, array) while their
//    connections drop (provider.disconnect/connect, and sockets closed under them) and come back;
//    all converge to identical content (toJSON of every shared type and the state vector), and a fresh
//    client joining later gets the same.
// 2. With COLLAB_RESTART=1: edits keep flowing while the script prints {"event":"kill_server"}; the driver
//    kills the server (SIGKILL). Once every client has seen its connection go, the script stops them and
//    prints {"event":"start_server"}; the driver starts the server again on the same port and data.
//    An edit counts as ACKNOWLEDGED when some other client received it before the kill (it went through
//    the server, which y-websocket relays only after accepting it). A fresh client (empty document, so
//    nothing can come back from the old clients' memory) must then find every acknowledged edit. Then the
//    old clients reconnect and everything converges again, every edit of every client included.
//
// Environment: YJS_URL (ws://HOST:PORT/yjs — the provider appends /<room>), COLLAB_ROOM, optional
// COLLAB_TOKEN (sent as the `token` query parameter), COLLAB_CLIENTS (5), COLLAB_EDITS (edits per client
// in phase 1, 60), COLLAB_SEED, COLLAB_RESTART, WEFT_TIMEOUT_MS. Output contract: see ../harness.mjs.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

import { check, done, emit, onExit, required, sleep, step, until } from '../harness.mjs';
import { SETTLE_MS, converge, holdsEdits } from './checks.mjs';
import { editsFromOthers, random, randomEdit, summary } from './edits.mjs';

const url = required('YJS_URL');
const room = process.env.COLLAB_ROOM || `collab/y-websocket-${process.pid}`;
const token = process.env.COLLAB_TOKEN || '';
const clientCount = Number(process.env.COLLAB_CLIENTS || 5);
const editsPerClient = Number(process.env.COLLAB_EDITS || 60);
const seed = Number(process.env.COLLAB_SEED || 1);
const restart = process.env.COLLAB_RESTART === '1';

const providers = new Set();
onExit(async () => providers.forEach((p) => p.destroy()));

/** A provider on the room; `disableBc` keeps same-process providers from talking past the server. */
function connect(doc) {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
    params: token ? { token } : {},
  });
  providers.add(provider);
  provider.on('connection-error', (event) => console.error(`connection error: ${event?.message ?? event}`));
  return provider;
}

/** A client as checks.mjs sees it. */
function client(name, doc, provider) {
  return { name, doc, provider, synced: () => provider.synced };
}

function leave(provider) {
  provider.destroy();
  providers.delete(provider);
}

async function freshClientMatches(reference, what) {
  const doc = new Y.Doc();
  const provider = connect(doc);
  await converge([reference, client('fresh', doc, provider)], what);
  leave(provider);
}

step('connect');
const clients = [];
for (let i = 0; i < clientCount; i++) {
  const doc = new Y.Doc();
  clients.push({ ...client(`c${i}`, doc, connect(doc)), rng: random(seed * 1000 + i), made: 0 });
}
await until(() => clients.every((c) => c.synced()), SETTLE_MS, 'initial sync');

step('edit with drops');
let drops = 0;
await Promise.all(clients.map(async (client) => {
  for (let n = 0; n < editsPerClient; n++) {
    randomEdit(client.doc, client.rng, client.name, client.made++);
    const dice = client.rng.int(40);
    if (dice === 0) {
      // The client goes away and comes back (editing while offline).
      client.provider.disconnect();
      drops++;
      randomEdit(client.doc, client.rng, client.name, client.made++);
      await sleep(20 + client.rng.int(150));
      client.provider.connect();
    } else if (dice === 1 && client.provider.ws) {
      // The network drops the socket; the provider reconnects by itself.
      client.provider.ws.close();
      drops++;
    }
    await sleep(client.rng.int(15));
  }
}));
await converge(clients, 'after concurrent edits');
const madeInPhase1 = clients.reduce((sum, c) => sum + c.made, 0);
check(clients[0].doc.getMap('log').size === madeInPhase1,
  `converged documents hold ${clients[0].doc.getMap('log').size} of the ${madeInPhase1} edits made`);
emit('converged', { clients: clientCount, drops, ...summary(clients[0].doc) });

step('fresh client');
await freshClientMatches(clients[0], 'fresh client after phase 1');
emit('fresh_client_matched', summary(clients[0].doc));

if (!restart) {
  done();
} else {
  step('edit until the server is killed');
  const acknowledgedBy = new Map();
  let killing = false;
  for (const client of clients) {
    client.provider.on('status', ({ status }) => {
      if (killing && status === 'disconnected' && !acknowledgedBy.has(client.name)) {
        // Nothing arrives on a dead connection: what this client got from others is final.
        acknowledgedBy.set(client.name, editsFromOthers(client.doc, client.name));
      }
    });
  }
  let editing = true;
  const loops = clients.map(async (client) => {
    while (editing) {
      randomEdit(client.doc, client.rng, client.name, client.made++);
      await sleep(1 + client.rng.int(10));
    }
  });
  await sleep(300);
  killing = true;
  emit('kill_server');
  await until(() => acknowledgedBy.size === clients.length, SETTLE_MS, 'every client to see the server go');
  editing = false;
  await Promise.all(loops);
  clients.forEach((c) => c.provider.disconnect());
  const acknowledged = new Set([...acknowledgedBy.values()].flat());
  const madeBeforeRestart = clients.reduce((sum, c) => sum + c.made, 0);
  check(acknowledged.size > madeInPhase1, `only ${acknowledged.size} edits were acknowledged before the kill`);
  emit('start_server', { acknowledged: acknowledged.size, made: madeBeforeRestart });

  step('fresh client after the restart');
  const freshDoc = new Y.Doc();
  const fresh = client('fresh', freshDoc, connect(freshDoc));
  await until(fresh.synced, SETTLE_MS, 'the restarted server to sync a fresh client');
  await holdsEdits(fresh.doc, acknowledged, 'acknowledged edits after the restart');
  emit('restart_kept_acknowledged', { acknowledged: acknowledged.size, lost: 0, kept: fresh.doc.getMap('log').size });

  step('old clients reconnect');
  clients.forEach((c) => c.provider.connect());
  await converge([...clients, fresh], 'after the restart');
  check(fresh.doc.getMap('log').size === madeBeforeRestart,
    `after reconnecting, documents hold ${fresh.doc.getMap('log').size} of the ${madeBeforeRestart} edits made`);
  leave(fresh.provider);
  await freshClientMatches(clients[0], 'fresh client after the restart');
  emit('reconverged', { clients: clientCount, ...summary(clients[0].doc) });
  done();
}
