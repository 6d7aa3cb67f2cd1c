// Live check of weft-yjs against the installed yjs: for every case of cases.mjs, Java merges, diffs,
// computes state vectors and converts formats (through java.mjs); yjs must get the same bytes, and a
// fresh yjs document that applies Java's results must have the same content (toJSON per shared type)
// and the same state vector as one that applies yjs's.
import * as Y from 'yjs';
import { buildCases, contentOf, stableJson, sv } from './cases.mjs';
import { equalBytes, fail, finish, java } from './java.mjs';

let checks = 0;
const check = (ok, what) => {
  if (!ok) fail(what);
  checks++;
};

/** A document after applying `updates` (v1 or v2). */
const docOf = (updates, v2 = false) => {
  const doc = new Y.Doc();
  for (const u of updates) (v2 ? Y.applyUpdateV2 : Y.applyUpdate)(doc, u);
  return doc;
};

const sameDocs = (a, b, types, what) => {
  check(equalBytes(Y.encodeStateVector(a), Y.encodeStateVector(b)), `${what}: state vectors differ`);
  if (types) {
    check(stableJson(contentOf(a, types)) === stableJson(contentOf(b, types)),
      `${what}: content differs\n yjs:  ${stableJson(contentOf(b, types))}\n java: ${stableJson(contentOf(a, types))}`);
  }
};

for (const c of buildCases()) {
  const { name, updates, types } = c;
  const merged = Y.mergeUpdates(updates);
  const javaMerged = await java('merge', { updates });
  check(equalBytes(javaMerged, merged), `${name}: merge bytes differ`);
  sameDocs(docOf([javaMerged]), docOf(updates), types, `${name}: Java merge applied`);

  const updatesV2 = updates.map((u) => Y.convertUpdateFormatV1ToV2(u));
  const javaMergedV2 = await java('mergeV2', { updates: updatesV2 });
  check(equalBytes(javaMergedV2, Y.mergeUpdatesV2(updatesV2)), `${name}: mergeV2 bytes differ`);
  sameDocs(docOf([javaMergedV2], true), docOf(updates), types, `${name}: Java mergeV2 applied`);
  check(equalBytes(await java('v1ToV2', { update: merged }), Y.convertUpdateFormatV1ToV2(merged)), `${name}: v1ToV2 differs`);
  check(equalBytes(await java('v2ToV1', { update: javaMergedV2 }), Y.convertUpdateFormatV2ToV1(javaMergedV2)), `${name}: v2ToV1 differs`);
  check(equalBytes(await java('sv', { update: merged }), Y.encodeStateVectorFromUpdate(merged)), `${name}: sv differs`);

  // a peer that has a prefix of the updates catches up with Java's diff
  for (let i = 0; i <= updates.length; i += Math.max(1, Math.floor(updates.length / 5))) {
    const peer = docOf(updates.slice(0, i));
    const peerSv = Y.encodeStateVector(peer);
    const javaDiff = await java('diff', { update: merged, sv: peerSv });
    check(equalBytes(javaDiff, Y.diffUpdate(merged, peerSv)), `${name}: diff against prefix ${i} differs`);
    Y.applyUpdate(peer, javaDiff);
    sameDocs(peer, docOf(updates), types, `${name}: prefix ${i} + Java diff`);
    const javaDiffV2 = await java('diffV2', { update: Y.convertUpdateFormatV1ToV2(merged), sv: peerSv });
    check(equalBytes(javaDiffV2, Y.diffUpdateV2(Y.convertUpdateFormatV1ToV2(merged), peerSv)), `${name}: diffV2 against prefix ${i} differs`);
  }
  for (const s of [sv([]), ...c.stateVectors]) {
    check(equalBytes(await java('diff', { update: merged, sv: s }), Y.diffUpdate(merged, s)), `${name}: diff differs`);
  }
}
finish({ checks });
