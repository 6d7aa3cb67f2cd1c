// A fast Yjs writer: one real client — y-websocket 3.1.0, or @hocuspocus/provider 4.8.0 with FAST_DIALECT=
// hocuspocus (`ws` as their WebSocket) — sends FAST_RATE updates per second (one Y.Text insert per
// transaction, so one y-protocols Update message each) for FAST_SECONDS seconds. Another client of the same
// dialect must receive every one of them, and the writer must never be closed. Prints the rates reached:
// sent by the writer, and received by the reader end to end.
//
// Environment: YJS_URL (ws://HOST:PORT/yjs) or HOCUSPOCUS_URL, FAST_DIALECT (y-websocket), COLLAB_TOKEN,
// COLLAB_ROOM, FAST_RATE (3000), FAST_SECONDS (3), WEFT_TIMEOUT_MS. Output contract: see ../harness.mjs.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

import { check, done, emit, onExit, required, sleep, step, until } from '../harness.mjs';

const dialect = process.env.FAST_DIALECT || 'y-websocket';
const url = required(dialect === 'hocuspocus' ? 'HOCUSPOCUS_URL' : 'YJS_URL');
const token = required('COLLAB_TOKEN');
const room = process.env.COLLAB_ROOM || `fast-writer-${process.pid}`;
const rate = Number(process.env.FAST_RATE || 3000);
const seconds = Number(process.env.FAST_SECONDS || 3);
const total = rate * seconds;

const cleanups = [];
onExit(async () => cleanups.forEach((c) => c()));

/** A client of the dialect: its document, whether it is synced, and the close codes it saw. */
function client() {
  const doc = new Y.Doc();
  const c = { doc, closes: [] };
  if (dialect === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 500 });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc, token });
    provider.on('close', ({ event }) => c.closes.push(event?.code ?? 'unknown'));
    provider.attach();
    c.synced = () => provider.isSynced && provider.isAuthenticated;
    cleanups.push(() => { provider.destroy(); socket.destroy(); });
  } else {
    const provider = new WebsocketProvider(url, room, doc, {
      WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 500, params: { token },
    });
    provider.on('connection-close', (event) => c.closes.push(event?.code ?? 'unknown'));
    c.synced = () => provider.synced;
    cleanups.push(() => provider.destroy());
  }
  return c;
}

step(`connecting (${dialect})`);
const writer = client();
const reader = client();
await until(() => writer.synced() && reader.synced(), 30000, 'both clients synced');
let updates = 0;
writer.doc.on('update', () => updates++);

step(`writing ${total} updates at ${rate}/s`);
const text = writer.doc.getText('t');
const started = Date.now();
for (let sent = 0; sent < total;) {
  // Catch up with the schedule in small bursts, as a busy editor's event loop does.
  const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
  for (; sent < due; sent++) {
    text.insert(text.length, 'x');
  }
  await sleep(1);
}
const sendMs = Date.now() - started;

step('waiting for the reader');
await until(() => reader.doc.getText('t').length === total || writer.closes.length > 0, 60000,
  `the reader to hold all ${total} inserts (has ${reader.doc.getText('t').length})`);
const receiveMs = Date.now() - started;
check(writer.closes.length === 0, 'the fast writer was never closed', { closes: writer.closes, received: reader.doc.getText('t').length });
check(updates === total, `one update per insert (${updates} updates for ${total} inserts)`);
emit('fast_writer', {
  dialect,
  updates: total,
  sentPerSecond: Math.round(total / (sendMs / 1000)),
  receivedPerSecond: Math.round(total / (receiveMs / 1000)),
  sendMs, receiveMs, writerCloses: writer.closes.length, readerCloses: reader.closes.length,
});
done();
