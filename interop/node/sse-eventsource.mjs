// Plain SSE with the `eventsource` npm package (the WHATWG EventSource for Node), authenticated with an
// Authorization: Bearer header through its fetch option, against /sse/<channel>.
//
// 1. Raw stream, read the way `curl -N` does: status, headers that keep proxies from buffering, the
//    retry hint, a heartbeat comment while idle.
// 2. Resume: 30 publications through the server API while the server drops the stream twice; the
//    package reconnects by itself with Last-Event-ID and every publication arrives exactly once, in
//    order, with contiguous offsets.
// 3. Reset: in a channel keeping 5 publications, come back with ?lastEventId after 10 were published:
//    the stream says `reset` for that channel instead of skipping silently, then continues live.
import { EventSource } from 'eventsource';
import {
  apiPublish, check, configure, done, emit, onExit, required, sleep, step, until,
} from './harness.mjs';

configure({ name: 'eventsource', fields: { client: 'eventsource' } });
const base = required('WEFT_BASE_URL'); // http://127.0.0.1:PORT
const token = required('WEFT_TOKEN');
const suffix = process.env.WEFT_CHANNEL_SUFFIX || `${process.pid}`;
const authorization = { Authorization: `Bearer ${token}` };

function open(url, label) {
  const stream = { label, opens: 0, errors: 0, publications: [], resets: [], subscribed: [], disconnects: [] };
  const es = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...authorization } }),
  });
  const json = (e) => JSON.parse(e.data);
  es.addEventListener('open', () => {
    stream.opens++;
    console.error(`${label}: open #${stream.opens}`);
  });
  es.addEventListener('error', (e) => {
    stream.errors++;
    console.error(`${label}: error (${e.message ?? 'stream ended'}), readyState ${es.readyState}`);
  });
  es.addEventListener('publication', (e) => stream.publications.push({ id: e.lastEventId, data: json(e) }));
  es.addEventListener('reset', (e) => stream.resets.push({ id: e.lastEventId, data: json(e) }));
  es.addEventListener('subscribed', (e) => stream.subscribed.push({ id: e.lastEventId, data: json(e) }));
  es.addEventListener('disconnect', (e) => stream.disconnects.push(json(e)));
  stream.es = es;
  onExit(() => es.close());
  return stream;
}

const offsetOf = (id) => Number(id.split(',')[0].split('/')[2]);

// --- 1. raw stream --------------------------------------------------------------------------------
const channel = `news-${suffix}`;
step('raw stream: headers, retry, heartbeat');
const abort = new AbortController();
const res = await fetch(`${base}/sse/${channel}`, { headers: { Accept: 'text/event-stream', ...authorization },
  signal: abort.signal });
const headers = {
  status: res.status,
  contentType: res.headers.get('content-type'),
  cacheControl: res.headers.get('cache-control'),
  accelBuffering: res.headers.get('x-accel-buffering'),
};
check(res.status === 200, `GET /sse/${channel} returned ${res.status}`, headers);
let text = '';
const reader = res.body.getReader();
const decoder = new TextDecoder();
await until(async () => {
  const { value, done: ended } = await reader.read();
  check(!ended, 'the stream ended before a heartbeat', text);
  text += decoder.decode(value, { stream: true });
  return /(^|\n): ping\n\n/.test(text);
}, 10000, 'a heartbeat comment');
abort.abort();
const retry = Number((/^retry: (\d+)\n\n/.exec(text) || [])[1]);
emit('raw', { ...headers, retry, heartbeat: true, subscribedEvent: /event: subscribed\n/.test(text) });
check(headers.contentType.startsWith('text/event-stream'), 'content type', headers);
check(headers.cacheControl.includes('no-cache') && headers.accelBuffering === 'no', 'anti-buffering headers',
  headers);
check(retry > 0, 'the stream must start with a retry hint', text);

// --- 2. resume across server drops ---------------------------------------------------------------
step(`resume: subscribe ${channel}`);
const news = open(`${base}/sse/${channel}`, 'news');
await until(() => news.subscribed.length === 1, 10000, 'the subscribed event');
const published = [];
const drops = [];
step('resume: publish 30, dropping the stream after 10 and 20');
for (let seq = 1; seq <= 30; seq++) {
  published.push(await apiPublish(channel, { seq }));
  if (seq === 10 || seq === 20) {
    const opensBefore = news.opens;
    const errorsBefore = news.errors;
    emit('drop_me', { channel }); // the Java driver ends this channel's SSE streams with 3011
    await until(() => news.errors > errorsBefore, 5000, 'the client to notice the drop');
    drops.push(seq);
    if (seq === 10) {
      // Publish into the gap (the client waits its retry delay): only Last-Event-ID brings these back.
      for (let extra = 0; extra < 3; extra++) {
        seq++;
        published.push(await apiPublish(channel, { seq }));
      }
    }
    await until(() => news.opens > opensBefore, 10000, 'the client to reconnect by itself');
  }
  await sleep(10);
}
await until(() => news.publications.length >= 30, 10000, `30 publications (have ${news.publications.length})`);
await sleep(300);
const seqs = news.publications.map((p) => p.data.seq);
const offsets = news.publications.map((p) => offsetOf(p.id));
emit('resume', {
  seqs, offsets, publishedOffsets: published.map((p) => p.offset), opens: news.opens, drops,
  disconnects: news.disconnects, resets: news.resets.length, lastPublicationId: news.publications.at(-1).id,
});
check(JSON.stringify(seqs) === JSON.stringify(Array.from({ length: 30 }, (_, i) => i + 1)),
  'every publication exactly once, in order', seqs);
check(JSON.stringify(offsets) === JSON.stringify(published.map((p) => p.offset)), 'offsets as published', offsets);
check(news.opens === 3, `two drops mean three opens, got ${news.opens}`);
check(news.disconnects.length === 2 && news.disconnects.every((d) => d.code === 3011 && d.reconnect),
  'each drop is announced with a disconnect event the client may recover from', news.disconnects);
check(news.resets.length === 0, 'nothing was lost, so no reset', news.resets);
news.es.close();

// --- 3. reset when history no longer holds the gap ------------------------------------------------
const tiny = `tiny:feed-${suffix}`;
step(`reset: subscribe ${tiny}, one publication`);
const first = open(`${base}/sse/${tiny}`, 'tiny');
await until(() => first.subscribed.length === 1, 10000, 'the subscribed event');
await apiPublish(tiny, { seq: 1 });
await until(() => first.publications.length === 1, 5000, 'the first publication');
// What a page would keep (e.g. in sessionStorage) to resume after a reload.
const lastId = first.publications.at(-1).id;
first.es.close();
step('reset: 10 publications while away (history keeps 5)');
let top;
for (let seq = 2; seq <= 11; seq++) {
  top = await apiPublish(tiny, { seq });
}
step('reset: come back with ?lastEventId');
const back = open(`${base}/sse/${tiny}?lastEventId=${encodeURIComponent(lastId)}`, 'tiny-again');
await until(() => back.subscribed.length === 1, 10000, 'the subscribed event after the reset');
const live = await apiPublish(tiny, { seq: 12 });
await until(() => back.publications.length === 1, 5000, 'a live publication after the reset');
emit('reset', {
  resets: back.resets, publications: back.publications, lastId, top: top.offset, liveOffset: live.offset,
});
check(back.resets.length === 1 && back.resets[0].data.channel === tiny, 'exactly one reset for the channel',
  back.resets);
check(offsetOf(back.resets[0].id) === top.offset, 'the reset id is where delivery continues', back.resets[0]);
check(back.publications[0].data.seq === 12 && offsetOf(back.publications[0].id) === live.offset,
  'nothing from before the reset, then live', back.publications);
back.es.close();

done({ scenario: 'sse-eventsource' });
