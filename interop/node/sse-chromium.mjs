// A real browser's own EventSource against /sse/<channel>: headless Chromium (the system browser,
// driven by playwright-core) opens a page from the server's origin that does nothing but
// `new EventSource('/sse/<channel>')` and lists what arrives. Publications keep flowing through the
// server API while the server drops the stream three times; the browser reconnects by itself (after the
// server's retry hint) sending Last-Event-ID, and the page must show every publication exactly once, in
// order. A screenshot of the page is written to WEFT_SCREENSHOT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  apiPublish, check, configure, done, emit, onExit, required, sleep, step, until,
} from './harness.mjs';

configure({ name: 'chromium', fields: { client: 'chromium' } });
const base = required('WEFT_BASE_URL'); // http://127.0.0.1:PORT
const screenshot = required('WEFT_SCREENSHOT');
const executablePath = process.env.WEFT_CHROMIUM || '/usr/bin/chromium';
const suffix = process.env.WEFT_CHANNEL_SUFFIX || `${process.pid}`;
const channel = `news-${suffix}`;
const TOTAL = 60;
const DROP_AFTER = [15, 30, 45];

const page_html = `<!doctype html>
<html><head><meta charset="utf-8"><title>Weft SSE: ${channel}</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 16px; }
  #status { font-weight: bold; }
  ol { columns: 4; font-family: monospace; }
  li.gap { color: #b00; }
</style></head>
<body>
<h1>EventSource <code>/sse/${channel}</code></h1>
<p>Status: <span id="status">connecting</span> · opens: <span id="opens">0</span> ·
   publications: <span id="count">0</span> · resets: <span id="resets">0</span></p>
<ol id="list"></ol>
<script>
  window.weft = { opens: 0, errors: 0, resets: 0, subscribed: 0, received: [] };
  const $ = (id) => document.getElementById(id);
  const source = new EventSource('/sse/${channel}');
  source.onopen = () => { weft.opens++; $('opens').textContent = weft.opens; $('status').textContent = 'open'; };
  source.onerror = () => { weft.errors++; $('status').textContent = 'reconnecting'; };
  source.addEventListener('subscribed', () => { weft.subscribed++; $('status').textContent = 'live'; });
  source.addEventListener('reset', () => { weft.resets++; $('resets').textContent = weft.resets; });
  source.addEventListener('publication', (e) => {
    const seq = JSON.parse(e.data).seq;
    const previous = weft.received.length ? weft.received[weft.received.length - 1].seq : 0;
    weft.received.push({ seq, id: e.lastEventId });
    const li = document.createElement('li');
    li.textContent = 'seq ' + seq + '  (' + e.lastEventId.split('/')[2] + ')';
    if (seq !== previous + 1) li.className = 'gap';
    $('list').appendChild(li);
    $('count').textContent = weft.received.length;
  });
</script>
</body></html>`;

step('launch chromium');
const userDataDir = mkdtempSync(join(tmpdir(), 'weft-chromium-'));
onExit(() => rmSync(userDataDir, { recursive: true, force: true }));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1000, height: 700 },
});
onExit(() => context.close());
const page = context.pages()[0] ?? await context.newPage();
page.on('console', (msg) => console.error(`page: ${msg.text()}`));
// The page comes from the server's own origin (Weft serves no HTML of its own), so the EventSource is
// same-origin and sends no Origin header, exactly like an app served next to Weft.
await page.route(`${base}/sse-test-page`, (route) => route.fulfill({ contentType: 'text/html', body: page_html }));
await page.goto(`${base}/sse-test-page`);
const state = () => page.evaluate(() => ({ ...window.weft, received: window.weft.received.slice() }));

await until(async () => (await state()).subscribed >= 1, 10000, 'the page to be subscribed');
step(`publish ${TOTAL}, dropping the stream after ${DROP_AFTER.join(', ')}`);
const published = [];
for (let seq = 1; seq <= TOTAL; seq++) {
  published.push(await apiPublish(channel, { seq }));
  if (DROP_AFTER.includes(seq)) {
    const { opens: opensBefore, errors: errorsBefore } = await state();
    emit('drop_me', { channel }); // the Java driver ends this channel's SSE streams with 3011
    await until(async () => (await state()).errors > errorsBefore, 5000, 'the page to notice the drop');
    // Publishing goes on while the browser waits its retry delay: only Last-Event-ID brings these back.
    for (let i = 0; i < 5 && seq < TOTAL; i++) {
      seq++;
      published.push(await apiPublish(channel, { seq }));
    }
    await until(async () => (await state()).opens > opensBefore, 10000, 'the browser to reconnect by itself');
  }
  await sleep(15);
}
await until(async () => (await state()).received.length >= TOTAL, 15000, `${TOTAL} publications on the page`);
await sleep(300);
const final = await state();
await page.screenshot({ path: screenshot, fullPage: true });
const seqs = final.received.map((r) => r.seq);
const offsets = final.received.map((r) => Number(r.id.split('/')[2]));
emit('chromium', {
  seqs, offsets, publishedOffsets: published.map((p) => p.offset), opens: final.opens, errors: final.errors,
  resets: final.resets, drops: DROP_AFTER.length, screenshot,
  userAgent: await page.evaluate(() => navigator.userAgent),
});
check(JSON.stringify(seqs) === JSON.stringify(Array.from({ length: TOTAL }, (_, i) => i + 1)),
  'the page must show every publication exactly once, in order', seqs);
check(JSON.stringify(offsets) === JSON.stringify(published.map((p) => p.offset)), 'offsets as published');
check(final.opens === DROP_AFTER.length + 1, `one open plus one per drop, got ${final.opens}`);
check(final.resets === 0, 'nothing was lost, so no reset');
done({ scenario: 'sse-chromium' });
