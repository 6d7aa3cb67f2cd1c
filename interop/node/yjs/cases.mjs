// The documents behind the golden vectors: each case is a list of yjs updates (made with fixed client
// ids and a seeded PRNG, so the same on every run) plus the state vectors to diff against, the subsets
// to merge, and the shared types whose content tells whether two documents agree.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

// mulberry32: a small seeded PRNG
export const prng = (seed) => () => {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const newDoc = (clientID, opts = {}) => {
  const doc = new Y.Doc(opts);
  doc.clientID = clientID;
  return doc;
};

/** Records every update a doc emits. */
const record = (doc) => {
  const updates = [];
  doc.on('update', (u) => updates.push(u));
  return updates;
};

const syncAll = (docs) => {
  const merged = Y.mergeUpdates(docs.map((d) => Y.encodeStateAsUpdate(d)));
  for (const d of docs) Y.applyUpdate(d, merged);
};

/** A v1 state vector from [client, clock] pairs. */
export const sv = (entries) => {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const [client, clock] of entries) {
    encoding.writeVarUint(enc, client);
    encoding.writeVarUint(enc, clock);
  }
  return encoding.toUint8Array(enc);
};

/** JSON for comparing content: BigInts as "<n>n", Uint8Arrays as arrays, -0 and NaN spelled out. */
export const stableJson = (value) => JSON.stringify(value, (k, v) => {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (typeof v === 'number' && (Number.isNaN(v) || !Number.isFinite(v) || Object.is(v, -0))) return `${v === 0 ? '-0' : v}`;
  if (v === undefined) return '<undefined>';
  return v;
});

/** Content of a doc per shared type name, given the types' constructors. */
export const contentOf = (doc, types) => {
  const out = {};
  for (const [name, kind] of Object.entries(types)) {
    const t = doc.get(name, kind);
    out[name] = t instanceof Y.XmlFragment ? t.toString() : t.toJSON();
  }
  return out;
};

/**
 * Every case: { name, updates, stateVectors, mergeSets, types, raw }. `raw` marks hand-written updates
 * (no v2 round trip is derived from them).
 */
export const buildCases = () => {
  const cases = [];
  const define = (name, updates, { stateVectors = [], mergeSets = [], types = null, raw = false } = {}) => {
    cases.push({ name, updates, stateVectors, mergeSets, types, raw });
  };

  // --- text: emoji and surrogate pairs (one split), formats, embeds -----------------------------------
  {
    const doc = newDoc(101);
    const updates = record(doc);
    const text = doc.getText('text');
    text.insert(0, 'héllo wörld ✓');
    text.insert(5, ' 😀 ');
    text.insert(0, '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ');
    text.format(0, 4, { bold: true });
    text.format(2, 6, { italic: { level: 2 }, color: '#ff0000' });
    text.insertEmbed(3, { image: 'https://example.test/cat.png', width: 0.5 });
    text.delete(1, 1); // deletes the low surrogate of 𝔘: yjs splits the pair
    text.insert(text.length, ' tail', { code: null });
    text.applyDelta([{ retain: 2 }, { insert: 'Δ', attributes: { size: 12.25 } }, { delete: 1 }]);
    define('text', updates, {
      stateVectors: [sv([[101, 3]]), sv([[101, 1]]), sv([[101, 15], [7, 4]])],
      mergeSets: [[1, 0], [2, 0, 1], [3, 3, 0]],
      types: { text: Y.Text },
    });
  }

  // --- one string item diffed and merged at every clock, including inside surrogate pairs -----------
  {
    const doc = newDoc(5);
    const updates = record(doc);
    doc.getText('t').insert(0, 'a😀b🎉c');
    const full = updates[0];
    const pieces = [];
    for (let clock = 0; clock < 7; clock++) pieces.push(Y.diffUpdate(full, sv([[5, clock]])));
    define('surrogates', pieces, {
      stateVectors: [1, 2, 3, 4, 5, 6].map((c) => sv([[5, c]])),
      mergeSets: [[6, 2], [5, 1, 3], [4, 2, 0], [3, 6]],
    });
  }

  // --- map: every kind of any value, binary, nested types ------------------------------------------
  {
    const doc = newDoc(202);
    const updates = record(doc);
    const map = doc.getMap('map');
    map.set('undefined', undefined);
    map.set('null', null);
    map.set('zero', 0);
    map.set('negZero', -0);
    map.set('int', 42);
    map.set('negInt', -123456);
    map.set('int31', 2147483647);
    map.set('int31neg', -2147483647);
    map.set('beyond31', 2147483648);
    map.set('safe', Number.MAX_SAFE_INTEGER);
    map.set('float32', 1.5);
    map.set('float64', 0.1);
    map.set('nan', NaN);
    map.set('inf', Infinity);
    map.set('negInf', -Infinity);
    map.set('bigint', 9007199254740993n);
    map.set('negBigint', -(2n ** 63n));
    map.set('true', true);
    map.set('false', false);
    map.set('string', 'ünïcödé 😀');
    map.set('empty', '');
    map.set('object', { b: 1, a: [1, 'two', null, { deep: [true] }], 10: 'ten', 2: 'two', '': 'empty key' });
    map.set('array', [1, 2.5, 'x', [], {}]);
    map.set('bytesInAny', { raw: new Uint8Array([0, 1, 254, 255]) });
    map.set('binary', new Uint8Array([1, 2, 3, 250]));
    const nested = new Y.Map();
    map.set('nestedMap', nested);
    nested.set('k', 'v');
    const nestedArr = new Y.Array();
    map.set('nestedArray', nestedArr);
    nestedArr.push([1, 2, 3]);
    map.set('int', 43); // overwrite: deletes the old value
    map.delete('empty');
    define('map', updates, {
      stateVectors: [sv([[202, 10]]), sv([[202, 1000]])],
      mergeSets: [[5, 1, 3], [10, 20, 0]],
      types: { map: Y.Map },
    });
  }

  // --- array: pushes, inserts, deletes across items ------------------------------------------------
  {
    const doc = newDoc(303);
    const updates = record(doc);
    const arr = doc.getArray('array');
    arr.push([1, 2, 3, 'four', { five: 5 }]);
    arr.insert(2, ['a', 'b', 'c']);
    arr.delete(1, 3);
    arr.push([new Uint8Array([9, 9])]);
    arr.insert(0, [[0, 0], null, false]);
    const inner = new Y.Text('inner text');
    arr.insert(1, [inner]);
    inner.insert(0, '>> ');
    arr.delete(4, 2);
    define('array', updates, {
      stateVectors: [sv([[303, 4]]), sv([[303, 9]])],
      mergeSets: [[2, 0], [4, 1, 0, 3]],
      types: { array: Y.Array },
    });
  }

  // --- XML: elements with attributes, text, hooks ----------------------------------------------------
  {
    const doc = newDoc(404);
    const updates = record(doc);
    const frag = doc.getXmlFragment('xml');
    const p = new Y.XmlElement('paragraph');
    frag.insert(0, [p]);
    p.setAttribute('class', 'lead');
    p.setAttribute('data-n', '1');
    const t = new Y.XmlText();
    p.insert(0, [t]);
    t.insert(0, 'Hello ');
    t.insert(6, 'XML', { bold: true });
    const hook = new Y.XmlHook('custom-hook');
    frag.insert(1, [hook]);
    hook.set('payload', { x: 1 });
    const h1 = new Y.XmlElement('h1');
    frag.insert(0, [h1]);
    h1.insert(0, [new Y.XmlText('Title')]);
    p.removeAttribute('data-n');
    frag.delete(2, 1);
    define('xml', updates, {
      stateVectors: [sv([[404, 5]])],
      mergeSets: [[3, 1], [0, 6, 2]],
      types: { xml: Y.XmlFragment },
    });
  }

  // --- subdocuments ------------------------------------------------------------------------------
  {
    const doc = newDoc(505);
    const updates = record(doc);
    const docs = doc.getMap('docs');
    docs.set('plain', new Y.Doc({ guid: 'sub-plain' }));
    docs.set('autoload', new Y.Doc({ guid: 'sub-auto', autoLoad: true }));
    docs.set('nogc', new Y.Doc({ guid: 'sub-nogc', gc: false, meta: { title: 'Notes', n: 3 } }));
    doc.getArray('list').push([new Y.Doc({ guid: 'sub-in-array', meta: 'm' })]);
    define('subdocs', updates, { mergeSets: [[3, 0]], types: { list: Y.Array } });
  }

  // --- deletes and garbage collection (GC structs), with gc off for comparison --------------------
  for (const gc of [true, false]) {
    const doc = newDoc(606, { gc });
    const updates = record(doc);
    const text = doc.getText('text');
    const arr = doc.getArray('arr');
    text.insert(0, 'to be removed entirely');
    arr.push([new Y.Map(), new Y.Text('gone')]);
    arr.get(0).set('x', 1);
    text.delete(0, 6);
    arr.delete(0, 2);
    text.insert(0, 'kept ');
    doc.transact(() => {
      text.insert(3, '!!!');
      text.delete(0, 2);
    });
    const state = Y.encodeStateAsUpdate(doc);
    define(gc ? 'gc' : 'nogc', [...updates, state], {
      stateVectors: [sv([[606, 2]]), sv([[606, 30]])],
      mergeSets: [[updates.length, 0], [1, updates.length]],
      types: { text: Y.Text, arr: Y.Array },
    });
  }

  // --- many clients with concurrent edits -----------------------------------------------------------
  {
    const random = prng(12345);
    const docs = [];
    const updates = [];
    for (let i = 0; i < 12; i++) {
      const d = newDoc(1000 + i * 7919);
      d.on('update', (u) => updates.push(u));
      docs.push(d);
    }
    for (let round = 0; round < 6; round++) {
      for (const d of docs) {
        const text = d.getText('text');
        const map = d.getMap('map');
        const arr = d.getArray('arr');
        const r = random();
        if (r < 0.4) {
          text.insert(Math.floor(random() * (text.length + 1)), `c${d.clientID}r${round}😀`);
        } else if (r < 0.55 && text.length > 2) {
          text.delete(Math.floor(random() * (text.length - 1)), 1);
        } else if (r < 0.8) {
          map.set(`k${Math.floor(random() * 5)}`, { by: d.clientID, round });
        } else {
          arr.insert(Math.floor(random() * (arr.length + 1)), [round, `${d.clientID}`]);
        }
      }
      if (round % 2 === 1) syncAll(docs);
    }
    syncAll(docs);
    const ordered = updates.slice();
    const shuffled = ordered.map((u) => [random(), u]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
    define('clients', shuffled, {
      stateVectors: [Y.encodeStateVector(docs[3]), sv([[1000, 2], [1000 + 7919, 1]])],
      mergeSets: [[0, 1, 2, 3], [10, 5, 7], [20, 30, 40, 50, 60]],
      types: { text: Y.Text, map: Y.Map, arr: Y.Array },
    });
  }

  // --- gaps: updates of one client that leave holes, so merges hold Skips ----------------------------
  {
    const doc = newDoc(808);
    const updates = record(doc);
    const text = doc.getText('t');
    for (let i = 0; i < 8; i++) text.insert(text.length, `part${i} `);
    const withGaps = Y.mergeUpdates([updates[0], updates[2], updates[5], updates[6]]);
    define('skips', [withGaps, updates[1], updates[3], updates[7]], {
      stateVectors: [sv([[808, 6]]), sv([[808, 7]]), sv([[808, 12]])],
      mergeSets: [[0, 2], [0, 3]],
    });
  }

  // --- hand-written updates for what the public API no longer writes: ContentJSON, parent by id ----
  {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 1); // one client
    encoding.writeVarUint(enc, 2); // two structs
    encoding.writeVarUint(enc, 909); // client
    encoding.writeVarUint(enc, 0); // clock
    encoding.writeUint8(enc, 2); // ContentJSON, parent follows
    encoding.writeVarUint(enc, 1); // parent is a root name
    encoding.writeVarString(enc, 'legacy');
    encoding.writeVarUint(enc, 3);
    encoding.writeVarString(enc, '{"a":1,"b":[true,null]}');
    encoding.writeVarString(enc, 'undefined');
    encoding.writeVarString(enc, '"str"');
    encoding.writeUint8(enc, 4 | 0x20); // ContentString with a parentSub, parent by id
    encoding.writeVarUint(enc, 0); // parent is an item id
    encoding.writeVarUint(enc, 42);
    encoding.writeVarUint(enc, 7);
    encoding.writeVarString(enc, 'key');
    encoding.writeVarString(enc, 'value');
    encoding.writeVarUint(enc, 1); // delete set: one client
    encoding.writeVarUint(enc, 909);
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, 1);
    const legacy = encoding.toUint8Array(enc);
    define('legacy', [legacy, legacy], { stateVectors: [sv([[909, 1]]), sv([[909, 2]])], raw: true });
  }
  return cases;
};
