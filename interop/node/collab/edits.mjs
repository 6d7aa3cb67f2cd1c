// Random concurrent edits on a Yjs document and the checks the collaborative-editing scenarios share.
//
// Every edit is one Yjs transaction that changes one shared type (text with emoji and other non-ASCII text,
// a map, an array) and records its id in the `log` map. The log is what makes "was this edit kept?" a
// question with a precise answer: an edit's log entry travels in the same update as its change, so a
// document that has the entry has the change.
import * as Y from 'yjs';

/** Small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] };
}

// Surrogate pairs, a ZWJ sequence, a skin-tone modifier, combining marks, CJK, RTL.
const PIECES = ['a', 'b', 'xyz', ' ', '\n', 'é', 'ß', '😀', '👍🏽', '👩‍👩‍👧', '🇫🇷', 'e\u0301', '漢字', 'שלום', '∑', '𝄞'];

/** Applies one random edit made by `author` as edit number `n`; returns its id. */
export function randomEdit(doc, rng, author, n) {
  const id = `${author}:${n}`;
  doc.transact(() => {
    const choice = rng.int(6);
    if (choice <= 2) {
      const text = doc.getText('text');
      if (choice === 2 && text.length > 0) {
        const at = rng.int(text.length);
        text.delete(at, Math.min(1 + rng.int(4), text.length - at));
      } else {
        let piece = '';
        for (let i = 1 + rng.int(3); i > 0; i--) {
          piece += rng.pick(PIECES);
        }
        text.insert(rng.int(text.length + 1), piece);
      }
    } else if (choice === 3) {
      const map = doc.getMap('map');
      const key = `k${rng.int(12)}`;
      if (rng.int(5) === 0) {
        map.delete(key);
      } else {
        map.set(key, rng.pick([n, `${author} ✓ ${n}`, { by: author, n, nested: [n, '😀'] }, null, true, 2 ** 40 + n]));
      }
    } else {
      const array = doc.getArray('array');
      if (choice === 4 && array.length > 4) {
        const at = rng.int(array.length);
        array.delete(at, Math.min(1 + rng.int(2), array.length - at));
      } else {
        array.insert(rng.int(array.length + 1), [rng.pick([n, author, { n }, ['x', n]])]);
      }
    }
    doc.getMap('log').set(id, author);
  });
  return id;
}

/** JSON with object keys sorted: a Y.Map's toJSON lists keys in the order this replica learnt them. */
function canonical(value) {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

/** What two converged documents must agree on: every shared type's JSON and the state vector. */
export function snapshot(doc) {
  return {
    text: doc.getText('text').toString(),
    map: canonical(doc.getMap('map').toJSON()),
    array: canonical(doc.getArray('array').toJSON()),
    log: canonical(doc.getMap('log').toJSON()),
    stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
  };
}

/**
 * Whether every document has the same snapshot as the first; otherwise the index of the first that
 * differs and, per differing field, both sides (cut short).
 */
export function sameContent(docs) {
  const first = snapshot(docs[0]);
  for (let i = 1; i < docs.length; i++) {
    const other = snapshot(docs[i]);
    const differences = {};
    for (const field of Object.keys(first)) {
      const a = JSON.stringify(first[field]);
      const b = JSON.stringify(other[field]);
      if (a !== b) {
        differences[field] = { first: a.slice(0, 300), other: b.slice(0, 300) };
      }
    }
    if (Object.keys(differences).length > 0) {
      return { equal: false, differs: i, differences };
    }
  }
  return { equal: true };
}

/** The ids in the document's log written by anyone other than `author`. */
export function editsFromOthers(doc, author) {
  const ids = [];
  doc.getMap('log').forEach((by, id) => {
    if (by !== author) {
      ids.push(id);
    }
  });
  return ids;
}

/** The log ids in `ids` that `doc` does not have. */
export function missingEdits(doc, ids) {
  const log = doc.getMap('log');
  return [...ids].filter((id) => !log.has(id));
}

/** A short, stable summary for result lines. */
export function summary(doc) {
  const s = snapshot(doc);
  return {
    edits: doc.getMap('log').size,
    textLength: doc.getText('text').length,
    mapKeys: Object.keys(s.map).length,
    arrayLength: s.array.length,
    stateVector: s.stateVector,
  };
}
