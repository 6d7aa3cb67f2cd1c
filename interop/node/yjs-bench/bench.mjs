// Yjs document servers side by side, same client load, one run:
//   Weft /yjs (y-websocket dialect) vs @y/websocket-server 0.1.1,
//   Weft /hocuspocus vs @hocuspocus/server 4.7.0.
// For each server, ROUNDS times (servers alternate within a round; a fresh server process per round, warmed
// up with a fifth of the throughput load and one 1 MB sync before measuring):
//   1. throughput: EDITORS protocol-level peers in one room, each sending UPDATES one-character text
//      inserts, at most WINDOW of its own updates not yet seen by the next peer; updates/s = all updates /
//      time until every peer has every other peer's last update (parsed with Y.parseUpdateMeta).
//   2. sync of a 1 MB document: a peer writes 1024 updates of 1 000 characters; then SYNCS fresh clients
//      each time: a protocol-level peer (connect → SyncStep2 received) and the real provider
//      (y-websocket WebsocketProvider / HocuspocusProvider: construct → `synced`, content checked).
//   3. memory: RSS after a full GC, before and after DOCS documents are loaded (one connection each,
//      10 updates of 1 000 characters each), per document.
// Prints progress on stderr, then a table and one JSON line on stdout.
//
//   cd interop/node && node yjs-bench/bench.mjs
// Environment: SERVERS (comma list of weft-yjs, weft-yjs-memory, y-websocket-server, weft-hocuspocus,
// weft-hocuspocus-memory, hocuspocus-server; default all), ROUNDS (3), EDITORS (20), UPDATES (per editor,
// 250), WINDOW (50), SYNCS (5), DOCS (200), WEFT_BENCH_ARGS, WEFT_LAUNCHER (see servers.mjs).
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';

import { RawPeer } from './peers.mjs';
import { SERVERS, cpuSeconds, rss, sleep } from './servers.mjs';

const names = (process.env.SERVERS || 'weft-yjs,weft-yjs-memory,y-websocket-server,weft-hocuspocus,weft-hocuspocus-memory,hocuspocus-server').split(',');
const rounds = Number(process.env.ROUNDS || 3);
const editors = Number(process.env.EDITORS || 20);
const updatesPerEditor = Number(process.env.UPDATES || 250);
const windowSize = Number(process.env.WINDOW || 50);
const syncs = Number(process.env.SYNCS || 5);
const docCount = Number(process.env.DOCS || 200);
const TOKEN = 'rw-token'; // the reference Hocuspocus server's read-write token; Weft runs insecure
const DEADLINE_MS = 300000;

const log = (message) => console.error(message);

/** `count` updates made by one client (fixed id) appending `piece` to text `text`, in order. */
function updatesOf(clientId, count, piece) {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const updates = [];
  doc.on('update', (update) => updates.push(update));
  const text = doc.getText('text');
  for (let i = 0; i < count; i++) {
    text.insert(text.length, piece);
  }
  return updates;
}

async function withDeadline(promise, what) {
  let timer;
  const deadline = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${DEADLINE_MS} ms`)), DEADLINE_MS); });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function peer(server, dialect, document) {
  const p = new RawPeer({ dialect, url: server.url, document, token: TOKEN });
  await p.open();
  return p;
}

async function throughput(server, dialect, round, updatesPerEditor) {
  const room = `bench-throughput-${round}-${Date.now()}`;
  const peers = [];
  for (let i = 0; i < editors; i++) {
    peers.push(await peer(server, dialect, room));
  }
  const ids = peers.map((_, i) => 1000 + i);
  const updates = ids.map((id) => updatesOf(id, updatesPerEditor, 'x'));
  // seen[r].get(id): clock of `id` peer r has received (a one-character insert moves the clock by one).
  const seen = peers.map(() => new Map());
  let waiting = [];
  peers.forEach((p, r) => {
    p.onUpdate = (update) => {
      for (const [client, clock] of Y.parseUpdateMeta(update).to) {
        if (clock > (seen[r].get(client) ?? 0)) {
          seen[r].set(client, clock);
        }
      }
      const ready = waiting;
      waiting = [];
      ready.forEach((wake) => wake());
    };
  });
  const progress = () => new Promise((resolve) => waiting.push(resolve));
  const complete = () => seen.every((m, r) => ids.every((id, s) => s === r || m.get(id) === updatesPerEditor));
  const cpu0 = cpuSeconds(server.pid);
  const start = performance.now();
  await withDeadline(Promise.all([
    ...peers.map(async (p, s) => {
      const next = seen[(s + 1) % editors];
      for (let k = 0; k < updatesPerEditor; k++) {
        while (k - (next.get(ids[s]) ?? 0) >= windowSize) {
          await progress();
        }
        p.sendUpdate(updates[s][k]);
        await p.drained();
      }
    }),
    (async () => { while (!complete()) await progress(); })(),
  ]), 'throughput');
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  peers.forEach((p) => p.close());
  return { updatesPerSecond: (editors * updatesPerEditor) / seconds, seconds, serverCpuSeconds: cpu };
}

function provider(dialect, url, room, doc) {
  if (dialect === 'y-websocket') {
    return new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
  }
  return new HocuspocusProvider({ url, name: room, document: doc, token: TOKEN, WebSocketPolyfill: WebSocket });
}

async function syncBigDocument(server, dialect, round, syncs) {
  const room = `bench-sync-${round}-${Date.now()}`;
  const writer = await peer(server, dialect, room);
  const updates = updatesOf(7, 1024, 'y'.repeat(1000));
  const bytes = updates.reduce((sum, u) => sum + u.length, 0);
  let confirmed = 0;
  const watcher = await peer(server, dialect, room);
  watcher.onUpdate = (update) => { confirmed = Math.max(confirmed, Y.parseUpdateMeta(update).to.get(7) ?? 0); };
  await withDeadline((async () => {
    for (let k = 0; k < updates.length; k++) {
      // At most WINDOW updates not yet relayed, as in the throughput test (servers bound their inbound queues).
      while ((k - windowSize) * 1000 >= confirmed) {
        await sleep(1);
      }
      writer.sendUpdate(updates[k]);
      await writer.drained();
    }
    while (confirmed < 1024 * 1000) {
      await sleep(5);
    }
  })(), 'loading the 1 MB document');
  const raw = [];
  const real = [];
  for (let i = 0; i < syncs; i++) {
    const fresh = new RawPeer({ dialect, url: server.url, document: room, token: TOKEN });
    let start = performance.now();
    const step2Bytes = await withDeadline(fresh.open(), 'protocol-level sync');
    raw.push(performance.now() - start);
    fresh.close();
    if (step2Bytes < bytes * 0.9) {
      throw new Error(`SyncStep2 carried ${step2Bytes} bytes, the document is ${bytes}`);
    }
    const doc = new Y.Doc();
    start = performance.now();
    const p = provider(dialect, server.url, room, doc);
    await withDeadline(new Promise((resolve) => p.on('synced', (state) => (state === undefined || state === true || state?.state) && resolve())), 'provider sync');
    real.push(performance.now() - start);
    if (doc.getText('text').length !== 1024 * 1000) {
      throw new Error(`a fresh provider synced ${doc.getText('text').length} characters, not ${1024 * 1000}`);
    }
    p.destroy();
  }
  writer.close();
  watcher.close();
  return { documentBytes: bytes, rawSyncMs: median(raw), providerSyncMs: median(real) };
}

async function memory(server, dialect, round) {
  const warm = await peer(server, dialect, `bench-mem-warm-${round}`);
  await server.gc();
  const before = rss(server.pid);
  const peers = [];
  const updates = updatesOf(9, 10, 'z'.repeat(1000));
  for (let d = 0; d < docCount; d++) {
    const p = await peer(server, dialect, `bench-mem-${round}-${d}`);
    updates.forEach((u) => p.sendUpdate(u));
    peers.push(p);
  }
  await Promise.all(peers.map((p) => p.drained(0)));
  await sleep(2000);
  await server.gc();
  await sleep(500);
  const after = rss(server.pid);
  peers.forEach((p) => p.close());
  warm.close();
  return { rssBeforeMiB: before / 2 ** 20, rssAfterMiB: after / 2 ** 20, bytesPerDocument: (after - before) / docCount };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const results = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    const { dialect, start } = SERVERS[name];
    log(`round ${round + 1}/${rounds}: ${name}`);
    const server = await start();
    try {
      // Warm-up, discarded: every server (JIT or V8) runs the same code paths once before it is measured.
      await throughput(server, dialect, `warm-${round}`, Math.ceil(updatesPerEditor / 5));
      await syncBigDocument(server, dialect, `warm-${round}`, 1);
      const t = await throughput(server, dialect, round, updatesPerEditor);
      log(`  ${t.updatesPerSecond.toFixed(0)} updates/s (${t.seconds.toFixed(2)} s, server CPU ${t.serverCpuSeconds.toFixed(2)} s)`);
      const s = await syncBigDocument(server, dialect, round, syncs);
      log(`  1 MB sync: ${s.rawSyncMs.toFixed(1)} ms protocol, ${s.providerSyncMs.toFixed(1)} ms provider`);
      const m = await memory(server, dialect, round);
      log(`  memory: ${(m.bytesPerDocument / 1024).toFixed(1)} KiB per document (RSS ${m.rssBeforeMiB.toFixed(0)} → ${m.rssAfterMiB.toFixed(0)} MiB)`);
      results[name].push({ ...t, ...s, ...m });
    } finally {
      await server.stop();
    }
  }
}

const summary = names.map((name) => {
  const runs = results[name];
  const pick = (field) => median(runs.map((r) => r[field]));
  return {
    server: name,
    updatesPerSecond: pick('updatesPerSecond'),
    serverCpuSeconds: pick('serverCpuSeconds'),
    rawSyncMs: pick('rawSyncMs'),
    providerSyncMs: pick('providerSyncMs'),
    kibPerDocument: pick('bytesPerDocument') / 1024,
    runs,
  };
});
const pad = (value, width) => String(value).padStart(width);
console.log(`${'server'.padEnd(20)} ${pad('updates/s', 10)} ${pad('CPU s', 7)} ${pad('1MB sync ms', 12)} ${pad('provider ms', 12)} ${pad('KiB/doc', 9)}`);
for (const s of summary) {
  console.log(`${s.server.padEnd(20)} ${pad(s.updatesPerSecond.toFixed(0), 10)} ${pad(s.serverCpuSeconds.toFixed(2), 7)} ${pad(s.rawSyncMs.toFixed(1), 12)} ${pad(s.providerSyncMs.toFixed(1), 12)} ${pad(s.kibPerDocument.toFixed(1), 9)}`);
}
console.log(JSON.stringify({ editors, updatesPerEditor, window: windowSize, syncs, docs: docCount, rounds, summary }));
process.exit(0);
