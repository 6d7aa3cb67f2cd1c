// A large Yjs document for the weft-yjs merge/diff benchmark: 20 clients (one document whose client id
// rotates, so no syncing is needed) editing text, maps and arrays until the document's state update
// reaches the target size, then the small updates of further edits.
//
//   node yjs/bigdoc.mjs <output-dir> [target-bytes=1048576] [further-updates=2000]
//
// Writes base.bin (Y.encodeStateAsUpdate), updates.bin (the further updates, each prefixed with its
// length as a 4-byte big-endian int), sv.bin (the state vector of a client that missed the second
// half of the edits) and expected-merge.bin (Y.mergeUpdates([base, ...updates]), to check the Java result).
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';

const [outDir, targetArg, furtherArg] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node yjs/bigdoc.mjs <output-dir> [target-bytes] [further-updates]');
  process.exit(2);
}
const target = Number(targetArg || 1048576);
const further = Number(furtherArg || 2000);

let seed = 42;
const random = () => {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'ünïcode', '😀', 'Yjs', 'merge', 'Δ'];

const doc = new Y.Doc();
const clients = Array.from({ length: 20 }, (_, i) => 1 + i * 104729);
const edit = (round) => {
  doc.clientID = clients[Math.floor(random() * clients.length)];
  const text = doc.getText('text');
  const r = random();
  if (r < 0.75) {
    const phrase = Array.from({ length: 2 + Math.floor(random() * 5) }, () => words[Math.floor(random() * words.length)]);
    text.insert(Math.floor(random() * (text.length + 1)), phrase.join(' ') + ' ');
  } else if (r < 0.83 && text.length > 10) {
    text.delete(Math.floor(random() * (text.length - 5)), 1 + Math.floor(random() * 4));
  } else if (r < 0.9 && text.length > 10) {
    text.format(Math.floor(random() * (text.length - 5)), 3, { bold: random() < 0.5 ? true : null });
  } else if (r < 0.95) {
    doc.getMap('map').set(`k${Math.floor(random() * 200)}`, { round, n: random() });
  } else {
    const arr = doc.getArray('arr');
    arr.insert(Math.floor(random() * (arr.length + 1)), [round, `${doc.clientID}`]);
  }
};

let round = 0;
let lagging = null;
while (Y.encodeStateAsUpdate(doc).length < target) {
  for (let i = 0; i < 1000; i++) edit(round);
  round++;
  if (lagging === null && Y.encodeStateAsUpdate(doc).length >= target / 2) {
    lagging = Y.encodeStateVector(doc);
  }
}
const base = Y.encodeStateAsUpdate(doc);

const updates = [];
doc.on('update', (u) => updates.push(u));
while (updates.length < further) {
  edit(round++);
}
const lengthPrefixed = Buffer.concat(updates.map((u) => {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(u.length);
  return Buffer.concat([prefix, Buffer.from(u)]);
}));
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'base.bin'), base);
fs.writeFileSync(path.join(outDir, 'updates.bin'), lengthPrefixed);
fs.writeFileSync(path.join(outDir, 'sv.bin'), lagging);
fs.writeFileSync(path.join(outDir, 'expected-merge.bin'), Y.mergeUpdates([base, ...updates]));
console.log(`base ${base.length} bytes after ${round * 1000} edits, ${updates.length} further updates`);
