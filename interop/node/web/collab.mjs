// Two browser contexts edit the collaborative table demo (/demo/collab/: yjs, y-websocket, y-indexeddb
// bundled) in one room: concurrent edits converge, a focused cell shows as the other's cursor, edits made
// while one context is offline are kept in its IndexedDB and merged both ways when it is back, and undo
// takes back only the undoing context's own edit.
import { call, check, done, emit, step, until } from '../harness.mjs';
import { launch, openPage, screenshot } from './browser.mjs';

const room = `demo:table-${process.env.WEFT_CHANNEL_SUFFIX || process.pid}`;
const browser = await launch();
const ann = await openPage(browser, 'ann', `/demo/collab/?room=${room}&name=Ann`);
const bob = await openPage(browser, 'bob', `/demo/collab/?room=${room}&name=Bob`);
const values = (p) => p.page.evaluate(() => window.collab.values());
const connected = (p) => p.page.evaluate(() => window.collab.connected());
const cell = (p, r, c) => p.page.locator(`#cell-${r}-${c}`);
/** Waits until both tables hold exactly `expected` (polled inside each page, gently: CI machines are busy). */
const converge = async (expected, what) => {
  const want = JSON.stringify(Object.fromEntries(Object.entries(expected).sort()));
  for (const p of [ann, bob]) {
    await call(what, p.page.waitForFunction((w) => JSON.stringify(window.collab.values()) === w, want,
      { timeout: 20000, polling: 100 }));
  }
};

step('both synced');
for (const p of [ann, bob]) {
  await until(() => p.page.evaluate(() => window.collab.synced && window.collab.stored), 15000, 'sync with the server');
}

step('concurrent edits converge');
// Both pages at once; within one page one cell after the other (one keyboard focus per page).
await Promise.all([cell(ann, 0, 0).fill('a1'), cell(bob, 1, 1).fill('b1')]);
await Promise.all([cell(ann, 0, 1).fill('a2'), cell(bob, 1, 0).fill('b2')]);
let expected = { '0,0': 'a1', '0,1': 'a2', '1,0': 'b2', '1,1': 'b1' };
await converge(expected, 'both pages to hold all four edits');
check(await cell(bob, 0, 0).inputValue() === 'a1', "Ann's edit is shown in Bob's table");

step("Ann's cursor shows on Bob's page");
await cell(ann, 2, 2).focus();
await until(() => bob.page.locator('#cell-2-2').evaluate((i) => i.parentElement.classList.contains('remote')
  && i.parentElement.textContent.includes('Ann')), 5000, "Ann's cursor on Bob's cell C3");
const peers = await bob.page.locator('#peers').textContent();
check(peers.includes('Ann') && peers.includes('Bob (you)'), `Bob's page lists both peers: ${peers}`);
await screenshot(bob.page, 'collab-cursor');

step('Bob goes offline and edits; Ann edits meanwhile');
await bob.context.setOffline(true);
await until(async () => !(await connected(bob)), 10000, "Bob's provider to notice it is offline");
await cell(bob, 3, 3).fill('offline-b');
await cell(bob, 0, 0).fill('a1+b');
await cell(ann, 4, 4).fill('online-a');
await new Promise((r) => setTimeout(r, 500));
check(!('3,3' in await values(ann)), 'Ann cannot see an edit made offline before Bob is back');
const kept = await bob.page.evaluate(() => window.collab.storedValues());
check(kept['3,3'] === 'offline-b' && kept['0,0'] === 'a1+b', "Bob's offline edits are in his IndexedDB", kept);
await screenshot(bob.page, 'collab-offline');

step('Bob back online: both see every edit');
await bob.context.setOffline(false);
await until(() => connected(bob), 15000, 'Bob to reconnect');
expected = { ...expected, '0,0': 'a1+b', '3,3': 'offline-b', '4,4': 'online-a' };
await converge(expected, 'both pages to hold the offline and online edits');

step("undo in Ann's page takes back only Ann's edit");
await cell(ann, 5, 0).fill('undo-me');
await cell(bob, 5, 1).fill('keep-bob');
expected = { ...expected, '5,0': 'undo-me', '5,1': 'keep-bob' };
await converge(expected, 'both edits on both pages');
await ann.page.locator('#undo').click();
const afterUndo = Object.fromEntries(Object.entries(expected).filter(([k]) => k !== '5,0'));
await converge(afterUndo, "Ann's last edit undone on both pages, Bob's kept");
check(await cell(bob, 5, 1).inputValue() === 'keep-bob', "Bob's edit survives Ann's undo");
await ann.page.locator('#undo').click(); // the next item of Ann's own: '4,4'
const afterSecondUndo = Object.fromEntries(Object.entries(afterUndo).filter(([k]) => k !== '4,4'));
await converge(afterSecondUndo, "Ann's earlier edit undone, every edit of Bob's kept");
await ann.page.locator('#redo').click();
await ann.page.locator('#redo').click();
await converge(expected, "redo brings both of Ann's edits back");
await bob.page.locator('#undo').click();
const bobUndo = Object.fromEntries(Object.entries(expected).filter(([k]) => k !== '5,1'));
await converge(bobUndo, "Bob's undo takes back only his own last edit");

const shots = [await screenshot(ann.page, 'collab-ann'), await screenshot(bob.page, 'collab-bob')];
emit('collab', { room, ann: await values(ann), bob: await values(bob), expected: bobUndo, peers, screenshots: shots });
done({ scenario: 'collab' });
