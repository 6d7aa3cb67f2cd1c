// Document webhooks (docs.hooks) with the real clients: y-websocket 3.1.0 on /yjs/<room> and
// @hocuspocus/provider 4.8.0 on /hocuspocus, against a Weft whose connect, create, change, store and disconnect
// hooks go to the driver's recording backend. The backend decides by token: `rw` read-write, `ro` read-only,
// anything else denied; it seeds each new document with the update this script prints first (made by the
// real yjs), so a client must find the seeded text on opening.
//
// Per dialect: a denied client is refused (y-websocket: close 4403; Hocuspocus: authenticationFailed); a
// read-write and a read-only client join the new document at once (one create call between them), both see
// the seed; the writer appends HOOKS_EDIT, the reader receives it, the reader's own edit reaches nobody.
// Then everyone leaves; the driver checks change and store carry the seed and the edit, and nothing of the
// reader's.
//
// Environment: YJS_URL, HOCUSPOCUS_URL, HOOKS_ROOM (prefix of the room names), WEFT_TIMEOUT_MS.
// Output: {"event":"seed","update":<base64>}, then {"event":"edited","dialect","room","text"} per dialect.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

import { check, done, emit, onExit, required, sleep, step, until } from '../harness.mjs';

const yjsUrl = required('YJS_URL');
const hocuspocusUrl = required('HOCUSPOCUS_URL');
const prefix = required('HOOKS_ROOM');
const SEED = 'seeded by the backend';
const SETTLE_MS = 10000;

const cleanups = [];
onExit(async () => cleanups.forEach((c) => c()));

const seed = new Y.Doc();
seed.getText('text').insert(0, SEED);
emit('seed', { update: Buffer.from(Y.encodeStateAsUpdate(seed)).toString('base64') });

/** A y-websocket client of `room` presenting `token`; `closes` collects the close codes it saw. */
function yjsClient(room, token) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(yjsUrl, room, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, params: { token, app: 'hooks-interop' }, maxBackoffTime: 500,
  });
  const client = { doc, provider, closes: [], synced: () => provider.synced };
  provider.on('connection-close', (event) => { if (event) client.closes.push(event.code); });
  cleanups.push(() => provider.destroy());
  return client;
}

/** A Hocuspocus client of `room` presenting `token`. */
function hocuspocusClient(room, token) {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    // Provider 4.x has no `parameters` option: request parameters go in the URL.
    url: `${hocuspocusUrl}?app=hooks-interop`, WebSocketPolyfill: WebSocket, delay: 100, minDelay: 100, maxDelay: 500,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc, token });
  const client = { doc, provider, socket, synced: () => provider.isSynced && provider.isAuthenticated };
  provider.on('authenticationFailed', ({ reason }) => { client.denied = reason; });
  provider.attach();
  cleanups.push(() => { provider.destroy(); socket.destroy(); });
  return client;
}

function leave(client) {
  client.provider.destroy();
  client.socket?.destroy();
}

const text = (client) => client.doc.getText('text').toString();

async function scenario(dialect, connect) {
  const room = `${prefix}-${dialect}`;
  step(`${dialect}: denied`);
  const intruder = connect(room, 'mallory');
  if (dialect === 'yjs') {
    await until(() => intruder.closes.includes(4403), SETTLE_MS, 'the denied y-websocket client to be closed with 4403');
  } else {
    await until(() => intruder.denied !== undefined, SETTLE_MS, 'the denied Hocuspocus client to be refused');
    check(!intruder.provider.isAuthenticated, 'a denied provider reports itself authenticated');
  }
  check(text(intruder) === '', `the denied client got the document: "${text(intruder)}"`);
  leave(intruder);

  step(`${dialect}: writer and reader join the new document together`);
  const writer = connect(room, 'rw');
  const reader = connect(room, 'ro');
  await until(() => writer.synced() && reader.synced(), SETTLE_MS, 'both clients to sync');
  await until(() => text(writer) === SEED && text(reader) === SEED, SETTLE_MS,
    `both to see the seeded text (writer "${text(writer)}", reader "${text(reader)}")`);
  if (dialect === 'hocuspocus') {
    check(writer.provider.authorizedScope === 'read-write', `writer scope ${writer.provider.authorizedScope}`);
    check(reader.provider.authorizedScope === 'readonly', `reader scope ${reader.provider.authorizedScope}`);
  }

  step(`${dialect}: edits`);
  const edit = ` + edited over ${dialect}`;
  for (const ch of edit) {
    writer.doc.getText('text').insert(writer.doc.getText('text').length, ch);
    await sleep(5);
  }
  reader.doc.getText('text').insert(0, 'READER ');
  const expected = SEED + edit;
  await until(() => text(reader) === 'READER ' + expected, SETTLE_MS, `the reader to receive the edit ("${text(reader)}")`);
  await sleep(500); // what the reader sent has had time to arrive, were it relayed
  check(text(writer) === expected, `the writer's text is "${text(writer)}", expected "${expected}"`);
  const fresh = connect(room, 'rw');
  await until(() => fresh.synced(), SETTLE_MS, 'a fresh client to sync');
  await until(() => text(fresh) === expected, SETTLE_MS, `a fresh client to get "${expected}", got "${text(fresh)}"`);
  [writer, reader, fresh].forEach(leave);
  emit('edited', { dialect, room, seed: SEED, edit, text: expected });
}

await scenario('yjs', yjsClient);
await scenario('hocuspocus', hocuspocusClient);
done();
