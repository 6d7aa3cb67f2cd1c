// Produces updates.json, the Yjs updates the document engine tests replay. Run with the `yjs` package
// (13.6.33, as pinned in interop/node) resolvable, e.g. `NODE_PATH=interop/node/node_modules node updates.mjs`.
import * as Y from 'yjs'
import { writeFileSync } from 'node:fs'

const hex = (u8) => Buffer.from(u8).toString('hex')
const a = new Y.Doc(); a.clientID = 1
const b = new Y.Doc(); b.clientID = 2
const updates = []
const local = (u, origin, doc, tr) => { if (tr.local) updates.push(u) }
a.on('update', local)
b.on('update', local)

a.getText('t').insert(0, 'hello')                 // 0: A types
Y.applyUpdate(b, updates[0])
b.getText('t').insert(5, ' world')                // 1: B appends
Y.applyUpdate(a, updates[1])
a.getText('t').delete(0, 1)                       // 2: A deletes a character (only a delete set)
Y.applyUpdate(b, updates[2])
b.getMap('m').set('k', 'v'.repeat(3000))          // 3: a large update (a 3000-character map value)
Y.applyUpdate(a, updates[3])

const sv1 = Y.encodeStateVector((() => { const d = new Y.Doc(); Y.applyUpdate(d, updates[0]); return d })())
writeFileSync(new URL('./updates.json', import.meta.url), JSON.stringify({
  updates: updates.map(hex),
  // after updates 0..2: text "ello world"
  stateAfter3: hex(Y.encodeStateVector((() => { const d = new Y.Doc(); for (const u of updates.slice(0, 3)) Y.applyUpdate(d, u); return d })())),
  stateAfter4: hex(Y.encodeStateVector(a)),
  textAfter4: a.getText('t').toString(),
  textAfter3: 'ello world',
  svAfterFirst: hex(sv1),
}, null, 2) + '\n')
