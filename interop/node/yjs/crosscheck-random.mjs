// Randomized cross-check: simulated yjs clients edit one document concurrently (text with formats,
// map, array, XML) with offline periods; a server backed by weft-yjs (Java merges and diffs, through
// java.mjs) stores what they send, compacts it, relays updates to online clients in random order, and
// catches reconnecting clients up with a diff against their state vector. In the end every client, a
// fresh document loading the server's merged state (v1, and via v2), and a reference document that got
// every update directly must have the same content and state vector.
//
// Environment: YJS_SEED (default 1), YJS_CLIENTS (default 6), YJS_STEPS (default 400).
import * as Y from 'yjs';
import { prng, stableJson } from './cases.mjs';
import { equalBytes, fail, finish, java } from './java.mjs';

const seed = Number(process.env.YJS_SEED || 1);
const clientCount = Number(process.env.YJS_CLIENTS || 6);
const steps = Number(process.env.YJS_STEPS || 400);
const random = prng(seed);
const pick = (n) => Math.floor(random() * n);
const shuffle = (list) => list.map((x) => [random(), x]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);

/** Keys sorted: map keys and format attributes come in integration order, which differs between peers. */
const sortKeys = (v) => Array.isArray(v) ? v.map(sortKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v;

const content = (doc) => stableJson(sortKeys({
  text: doc.getText('text').toDelta(),
  map: doc.getMap('map').toJSON(),
  arr: doc.getArray('arr').toJSON(),
  xml: doc.getXmlFragment('xml').toString(),
}));

const reference = new Y.Doc();
const clients = [];
for (let i = 0; i < clientCount; i++) {
  const doc = new Y.Doc();
  doc.clientID = 10 + i * 7907 + seed;
  const client = { doc, online: true, outbox: [], inbox: [] };
  doc.on('update', (u, origin) => {
    if (origin !== 'remote') {
      client.outbox.push(u);
      Y.applyUpdate(reference, u); // direct exchange, in creation order
    }
  });
  clients.push(client);
}

/** Every Java result must also be byte for byte what yjs computes. */
const checked = async (op, args, yjsResult) => {
  const result = await java(op, args);
  if (!equalBytes(result, yjsResult)) fail(`seed ${seed}: Java ${op} differs from yjs`);
  return result;
};

const server = { state: null, log: [] };
const serverUpdate = async () => {
  const all = server.state ? [server.state, ...server.log] : server.log;
  return all.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : checked('merge', { updates: all }, Y.mergeUpdates(all));
};
const compact = async () => {
  if (server.log.length > 0) {
    server.state = await serverUpdate();
    server.log = [];
  }
};

/**
 * A random text index that does not fall inside a surrogate pair: yjs replaces a split pair's halves
 * with U+FFFD in the splitting document only, a local effect no server could make converge.
 */
const aligned = (text, index) => {
  const s = text.toString();
  let at = index;
  while (at > 0 && at < s.length && s.charCodeAt(at) >= 0xdc00 && s.charCodeAt(at) <= 0xdfff) at--;
  return at;
};

const words = ['alpha', 'beta', 'γάμμα', '😀', 'e\u0301', 'ok', '🎉🎉'];
const edit = (doc) => {
  const text = doc.getText('text');
  const map = doc.getMap('map');
  const arr = doc.getArray('arr');
  const xml = doc.getXmlFragment('xml');
  const r = random();
  if (r < 0.3) {
    text.insert(aligned(text, pick(text.length + 1)), words[pick(words.length)], random() < 0.2 ? { bold: true } : undefined);
  } else if (r < 0.45 && text.length > 0) {
    const at = aligned(text, pick(text.length));
    const end = aligned(text, Math.min(text.length, at + 1 + pick(5)));
    if (end > at) {
      if (r < 0.4) text.delete(at, end - at);
      else text.format(at, end - at, { italic: random() < 0.5 ? true : null });
    }
  } else if (r < 0.6) {
    map.set(`k${pick(8)}`, random() < 0.5 ? { n: pick(1000), s: words[pick(words.length)] } : [random(), null, true]);
  } else if (r < 0.65) {
    map.delete(`k${pick(8)}`);
  } else if (r < 0.75) {
    arr.insert(pick(arr.length + 1), [pick(100), words[pick(words.length)]]);
  } else if (r < 0.8 && arr.length > 0) {
    const at = pick(arr.length);
    arr.delete(at, Math.min(1 + pick(3), arr.length - at));
  } else if (r < 0.88) {
    const el = new Y.XmlElement(random() < 0.5 ? 'p' : 'h2');
    xml.insert(pick(xml.length + 1), [el]);
    el.setAttribute('id', `${pick(100)}`);
    el.insert(0, [new Y.XmlText(words[pick(words.length)])]);
  } else if (xml.length > 0) {
    const node = xml.get(pick(xml.length));
    if (node instanceof Y.XmlElement) {
      if (random() < 0.5) node.setAttribute('class', words[pick(words.length)]);
      else if (node.length > 0 && node.get(0) instanceof Y.XmlText) node.get(0).insert(0, words[pick(words.length)]);
    }
  } else {
    text.insert(0, 'x');
  }
};

/** A client sends (part of) its outbox; the server stores and relays each update to the other online clients. */
const send = (client, all) => {
  const count = all ? client.outbox.length : pick(client.outbox.length + 1);
  const sent = shuffle(client.outbox.splice(0, count));
  for (const u of sent) {
    server.log.push(u);
    for (const other of clients) {
      if (other !== client && other.online) other.inbox.push(u);
    }
  }
};

/** Delivers part of a client's inbox in random order. */
const receive = (client, all) => {
  client.inbox = shuffle(client.inbox);
  const count = all ? client.inbox.length : pick(client.inbox.length + 1);
  for (const u of client.inbox.splice(0, count)) Y.applyUpdate(client.doc, u, 'remote');
};

/** Reconnect: SyncStep1/2 as y-websocket does it, with the server's diff computed in Java. */
const resync = async (client) => {
  const update = await serverUpdate();
  const sv = Y.encodeStateVector(client.doc);
  const diff = await checked('diff', { update, sv }, Y.diffUpdate(update, sv));
  Y.applyUpdate(client.doc, diff, 'remote');
};

let offlinePeriods = 0;
for (let step = 0; step < steps; step++) {
  const client = clients[pick(clients.length)];
  const r = random();
  if (r < 0.5) {
    edit(client.doc);
  } else if (r < 0.65) {
    if (client.online) send(client, false);
  } else if (r < 0.8) {
    receive(client, false);
  } else if (r < 0.88) {
    if (client.online) {
      client.online = false; // offline: nothing reaches it, it sends nothing
      client.inbox = [];
      offlinePeriods++;
    } else {
      client.online = true;
      send(client, true);
      await resync(client);
    }
  } else if (r < 0.95) {
    await compact();
  } else if (client.online) {
    await resync(client);
  }
}

// everyone back online: send everything, then catch up from the server
for (const c of clients) {
  c.online = true;
  send(c, true);
}
for (const c of clients) {
  c.inbox = [];
  await resync(c);
}
const expected = content(reference);
const expectedSv = Buffer.from(Y.encodeStateVector(reference)).toString('base64');
const same = (doc, what) => {
  const got = content(doc);
  if (got !== expected) fail(`seed ${seed}: ${what} diverged\n expected ${expected}\n got      ${got}`);
  const sv = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
  if (sv !== expectedSv) fail(`seed ${seed}: ${what} has state vector ${sv}, expected ${expectedSv}`);
};
clients.forEach((c, i) => same(c.doc, `client ${i}`));
await compact();
const fresh = new Y.Doc();
Y.applyUpdate(fresh, server.state);
same(fresh, 'a document loading the server state');
const stateV2 = await java('v1ToV2', { update: server.state });
const viaV2 = new Y.Doc();
Y.applyUpdateV2(viaV2, await java('diffV2', { update: await java('mergeV2', { updates: [stateV2] }), sv: new Uint8Array([0]) }));
same(viaV2, 'a document loading the server state through v2');
finish({ seed, clients: clientCount, steps, offlinePeriods, textLength: reference.getText('text').length });
