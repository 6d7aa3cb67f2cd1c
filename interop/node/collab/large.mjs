// Large documents and large offline states with the real providers (y-websocket 3.1.0 and
// @hocuspocus/provider 4.8.0, `ws` as their WebSocket), against a server with its DEFAULT limits.
//
// 1. A writer builds a LARGE_DOC_BYTES document (3 MiB) in LARGE_CHUNK_BYTES transactions (512 KiB each, so
//    no single update is larger than what a server takes by default). A fresh y-websocket client and a fresh
//    Hocuspocus client then open it: both must report `synced` holding the WHOLE document (the sync reply
//    is bigger than the server's write queue bound).
// 2. A client edits offline (OFFLINE_BYTES, 2 MiB, in one transaction, before it ever connects), then
//    connects: its offline state is one SyncStep2 message of more than 2 MiB. Done once per dialect; each
//    time a client of the OTHER dialect, connected before, must receive every byte of it, and the offline
//    client must not have been closed (a refusal would make it reconnect forever).
//
// Environment: YJS_URL (ws://HOST:PORT/yjs), HOCUSPOCUS_URL, COLLAB_TOKEN, LARGE_ROOM (prefix of the
// document names; plain ASCII, as y-websocket sends the room percent-encoded and Hocuspocus does not), LARGE_DOC_BYTES, LARGE_CHUNK_BYTES,
// OFFLINE_BYTES, WEFT_TIMEOUT_MS. Output contract: see ../harness.mjs.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

import { check, done, emit, onExit, required, step, until } from '../harness.mjs';

const yjsUrl = required('YJS_URL');
const hocuspocusUrl = required('HOCUSPOCUS_URL');
const token = required('COLLAB_TOKEN');
const prefix = process.env.LARGE_ROOM || `large-${process.pid}`;
const docBytes = Number(process.env.LARGE_DOC_BYTES || 3 * 1024 * 1024);
const chunkBytes = Number(process.env.LARGE_CHUNK_BYTES || 512 * 1024);
const offlineBytes = Number(process.env.OFFLINE_BYTES || 2 * 1024 * 1024);
const WAIT_MS = 60000;

const cleanups = [];
onExit(async () => cleanups.forEach((c) => c()));

/** Text that Yjs cannot shrink: pseudo-random ASCII, different per `seed`. */
function text(length, seed) {
  let s = seed | 0;
  const chars = new Array(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    chars[i] = String.fromCharCode(97 + ((s >>> 16) % 26));
  }
  return chars.join('');
}

/** A y-websocket client on `room`; counts the times its connection was closed. */
function yWebsocket(room, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(yjsUrl, room, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 500, params: { token },
  });
  const client = { doc, provider, closes: [], synced: () => provider.synced };
  provider.on('connection-close', (event) => client.closes.push(event?.code ?? 'unknown'));
  cleanups.push(() => provider.destroy());
  return client;
}

/** A Hocuspocus client (its own socket) on `name`; counts closes of the socket and of the document. */
function hocuspocus(name, doc = new Y.Doc()) {
  const socket = new HocuspocusProviderWebsocket({ url: hocuspocusUrl, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 500 });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  const client = { doc, provider, closes: [], synced: () => provider.isSynced && provider.isAuthenticated };
  provider.on('close', ({ event }) => client.closes.push(event?.code ?? 'unknown'));
  provider.on('authenticationFailed', ({ reason }) => client.closes.push(`denied: ${reason}`));
  provider.attach();
  cleanups.push(() => {
    provider.destroy();
    socket.destroy();
  });
  return client;
}

function length(client) {
  return client.doc.getText('t').length;
}

async function holdsAll(client, expected, what) {
  await until(() => client.synced() && length(client) === expected, WAIT_MS,
    `${what}: synced with ${expected} characters (has ${length(client)}, synced ${client.synced()}, closes ${client.closes})`);
}

// ---- 1. a 3 MiB document opened fresh by both providers ----------------------------------------------
step('writing the large document');
const bigRoom = `${prefix}-big`;
const writer = yWebsocket(bigRoom);
await until(writer.synced, WAIT_MS, 'writer synced');
for (let offset = 0, i = 0; offset < docBytes; offset += chunkBytes, i++) {
  writer.doc.getText('t').insert(length(writer), text(Math.min(chunkBytes, docBytes - offset), i + 1));
}
// y-websocket has no acknowledgement: a second client holding everything proves the server stored it all.
const witness = hocuspocus(bigRoom);
await holdsAll(witness, docBytes, 'witness of the writer');
const documentUpdate = Y.encodeStateAsUpdate(writer.doc).length;
writer.provider.destroy();
witness.provider.destroy();

step('opening it fresh with y-websocket');
let started = Date.now();
const freshY = yWebsocket(bigRoom);
await holdsAll(freshY, docBytes, 'fresh y-websocket client');
emit('large_document_opened', { dialect: 'y-websocket', characters: length(freshY), updateBytes: documentUpdate, ms: Date.now() - started, closes: freshY.closes.length });
check(freshY.closes.length === 0, 'the fresh y-websocket client was never closed', freshY.closes);

step('opening it fresh with Hocuspocus');
started = Date.now();
const freshH = hocuspocus(bigRoom);
await holdsAll(freshH, docBytes, 'fresh Hocuspocus client');
emit('large_document_opened', { dialect: 'hocuspocus', characters: length(freshH), updateBytes: documentUpdate, ms: Date.now() - started, closes: freshH.closes.length });
check(freshH.closes.length === 0, 'the fresh Hocuspocus client was never closed', freshH.closes);

// ---- 2. 2 MiB of offline edits reaching another client ------------------------------------------------
async function offline(dialect, open, openReader) {
  step(`${dialect}: ${offlineBytes} bytes of offline edits`);
  const room = `${prefix}-offline-${dialect}`;
  const reader = openReader(room);
  await until(reader.synced, WAIT_MS, `${dialect}: reader synced`);
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text(offlineBytes, 7));
  const stateBytes = Y.encodeStateAsUpdate(doc).length;
  const started = Date.now();
  const editor = open(room, doc);
  await holdsAll(reader, offlineBytes, `${dialect}: reader of the offline edits`);
  await until(editor.synced, WAIT_MS, `${dialect}: offline editor synced`);
  emit('offline_edits_synced', { dialect, characters: length(reader), updateBytes: stateBytes, ms: Date.now() - started, editorCloses: editor.closes.length });
  check(editor.closes.length === 0, `${dialect}: the offline editor was never closed`, editor.closes);
}

await offline('y-websocket', yWebsocket, hocuspocus);
await offline('hocuspocus', hocuspocus, yWebsocket);

done();
