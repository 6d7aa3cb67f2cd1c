// AI token streams read by clients nobody wrote for Weft, while a backend pushes the answer through the
// server API (POST /api/streams, /api/streams/<id>/append|finish|stop):
//
// 1. chat: the `ai` package's DefaultChatTransport resumes a chat the way useChat({resume: true}) does
//    (GET /ai/chat/<id>/stream): a first reader stops mid-answer (a page reload), a second one gets the
//    answer replayed from its start and then live, and ends with the whole answer exactly once; once the
//    answer is finished the chat has nothing to resume (204 → null).
// 2. stream: /ai/streams/<id> read through the same transport's parser, and a centrifuge-js subscription
//    to the stream's channel getting the same parts; the texts agree.
// 3. eventsource: the `eventsource` package reads /ai/streams/<id>; the server drops the stream twice
//    (drop_me) and the package resumes with Last-Event-ID: the text arrives exactly once.
// 4. stop: a reader stops one stream with POST /ai/streams/<id>/stop, a centrifuge-js client subscribed to
//    the stream's channel with the `ai_stop` RPC (and is refused for a channel it is not subscribed to), the
//    API a third; every reader ends with `abort`, and appends after that are refused.
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import { EventSource } from 'eventsource';
import { apiCall, check, configure, done, emit, onExit, required, sleep, step, until } from './harness.mjs';
import { connect, newClient, newSubscription, subscribe } from './lib.mjs';

configure({ name: 'ai-streams', fields: { client: 'ai' } });
const base = required('WEFT_BASE_URL');
const token = required('WEFT_TOKEN');
const suffix = process.env.WEFT_CHANNEL_SUFFIX || `${process.pid}`;
const authorization = { Authorization: `Bearer ${token}` };
const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
const answer = words.join('');

async function api(path, body = {}) {
  const res = await fetch(`${required('WEFT_API_URL')}/${path}`, {
    method: 'POST',
    headers: { 'X-API-Key': required('WEFT_API_KEY'), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  check(res.ok && !json.error, `POST /api/${path} failed: ${res.status} ${JSON.stringify(json)}`);
  return json.result;
}

async function produce(id, list, delayMs) {
  for (const w of list) {
    await api(`streams/${encodeURIComponent(id)}/append`, { text: w });
    await sleep(delayMs);
  }
}

/** Reads UI message chunks into {types, text}; stops after `limit` chunks when given. */
async function readChunks(stream, limit = Infinity) {
  const chunks = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value);
    if (chunks.length >= limit) {
      await reader.cancel();
      break;
    }
  }
  return chunks;
}

const textOf = (chunks) => chunks.filter((c) => c.type === 'text-delta').map((c) => c.delta).join('');

// --- 1. chat resume -------------------------------------------------------------------------------
step('chat: DefaultChatTransport resumes the open answer');
const chatId = `chat-${suffix}`;
const transport = new DefaultChatTransport({ api: `${base}/ai/chat`, headers: authorization });
check(await transport.reconnectToStream({ chatId }) === null, 'a chat without an answer must have nothing to resume');
const created = await api('streams', { chat_id: chatId });
await produce(created.id, words.slice(0, 10), 5);
const first = await transport.reconnectToStream({ chatId });
check(first !== null, 'an open answer must be resumable');
const firstChunks = await readChunks(first, 3); // start, text-start, catch-up: then the page "reloads"
const producing = produce(created.id, words.slice(10), 20);
const second = await transport.reconnectToStream({ chatId });
const messages = [];
const consumed = (async () => {
  for await (const m of readUIMessageStream({ stream: second })) {
    messages.push(m);
  }
})();
await producing;
await api(`streams/${encodeURIComponent(created.id)}/finish`, { finish_reason: 'stop' });
await consumed;
const finalMessage = messages.at(-1);
const finalText = finalMessage.parts.filter((p) => p.type === 'text').map((p) => p.text).join('');
check(finalText === answer, 'the resumed answer must be the whole answer exactly once', { finalText, answer });
check(finalMessage.id === created.id, 'the message id is the stream id', { id: finalMessage.id });
check(await transport.reconnectToStream({ chatId }) === null, 'a finished answer has nothing to resume');
emit('chat', {
  firstTypes: firstChunks.map((c) => c.type), firstText: textOf(firstChunks), text: finalText,
  messageId: finalMessage.id, snapshots: messages.length,
});

// --- 2. /ai/streams/<id> and centrifuge-js --------------------------------------------------------
step('stream: /ai/streams/<id> and a centrifuge-js subscription read the same parts');
const channel = `ai:s-${suffix}`;
const client = await connect(newClient('reader', token));
onExit(() => client.disconnect());
const sub = newSubscription(client, channel);
await subscribe(sub);
const s = await api('streams', { channel });
await api(`streams/${encodeURIComponent(s.id)}/append`, { part: { type: 'reasoning-start', id: 'r' } });
await api(`streams/${encodeURIComponent(s.id)}/append`, { part: { type: 'reasoning-delta', id: 'r', delta: 'hmm' } });
await api(`streams/${encodeURIComponent(s.id)}/append`, { part: { type: 'reasoning-end', id: 'r' } });
const res = await fetch(`${base}/ai/streams/${encodeURIComponent(s.id)}`, { headers: authorization });
check(res.status === 200, `GET /ai/streams returned ${res.status}`);
const header = res.headers.get('x-vercel-ai-ui-message-stream');
const reading = readChunks(transport.processResponseStream(res.body));
await produce(s.id, words, 2);
await api(`streams/${encodeURIComponent(s.id)}/finish`, {});
const httpChunks = await reading;
await until(() => sub.publications.some((p) => p.data.type === 'finish'), 10000, 'the finish publication');
const wsParts = sub.publications.map((p) => p.data);
emit('stream', {
  header, httpTypes: [...new Set(httpChunks.map((c) => c.type))], httpText: textOf(httpChunks),
  httpEvents: httpChunks.length, wsText: textOf(wsParts), wsParts: wsParts.length,
  wsTypes: [...new Set(wsParts.map((p) => p.type))],
});

// --- 3. eventsource resumes by Last-Event-ID ------------------------------------------------------
step('eventsource: resumes /ai/streams/<id> after drops');
const e = await api('streams', { channel: `ai:e-${suffix}` });
const events = { opens: 0, parts: [], ids: [], done: false };
const es = new EventSource(`${base}/ai/streams/${encodeURIComponent(e.id)}`, {
  fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...authorization } }),
});
onExit(() => es.close());
es.addEventListener('open', () => { events.opens++; });
es.addEventListener('message', (m) => {
  if (m.data === '[DONE]') {
    events.done = true;
    es.close();
    return;
  }
  events.parts.push(JSON.parse(m.data));
  events.ids.push(m.lastEventId);
});
await until(() => events.opens === 1, 10000, 'the first open');
for (let round = 0; round < 2; round++) {
  await produce(e.id, words.slice(round * 20, round * 20 + 20), 3);
  await until(() => textOf(events.parts).length > 0, 10000, 'some text');
  emit('drop_me', { channel: `ai:e-${suffix}` });
  await until(() => events.opens === round + 2, 10000, `reconnect #${round + 1}`);
}
await api(`streams/${encodeURIComponent(e.id)}/finish`, {});
await until(() => events.done, 10000, '[DONE]');
emit('eventsource', { opens: events.opens, text: textOf(events.parts), types: events.parts.map((p) => p.type) });

// --- 4. stop ----------------------------------------------------------------------------------------
step('stop: by a reader over HTTP, and by the API');
const stopped = [];
const notSubscribed = await api('streams', { channel: `ai:x-other-${suffix}` });
const refusedRpc = await client.rpc('ai_stop', { id: notSubscribed.id }).then(() => 0, (err) => err.code);
for (const how of ['reader', 'rpc', 'api']) {
  const t = await api('streams', { channel: how === 'rpc' ? channel : `ai:x-${how}-${suffix}` });
  await api(`streams/${encodeURIComponent(t.id)}/append`, { text: 'partial' });
  const r = await fetch(`${base}/ai/streams/${encodeURIComponent(t.id)}`, { headers: authorization });
  const chunks = readChunks(transport.processResponseStream(r.body));
  if (how === 'reader') {
    const stop = await fetch(`${base}/ai/streams/${encodeURIComponent(t.id)}/stop`, { method: 'POST', headers: authorization });
    check(stop.status === 200, `reader stop returned ${stop.status}`);
  } else if (how === 'rpc') {
    const reply = await client.rpc('ai_stop', { id: t.id });
    check(reply.data.state === 'abort', 'ai_stop answers the state', reply);
  } else {
    await api(`streams/${encodeURIComponent(t.id)}/stop`, {});
  }
  const got = await chunks;
  const late = await fetch(`${required('WEFT_API_URL')}/streams/${encodeURIComponent(t.id)}/append`, {
    method: 'POST', headers: { 'X-API-Key': required('WEFT_API_KEY') }, body: JSON.stringify({ text: 'late' }),
  }).then((x) => x.json());
  stopped.push({ how, last: got.at(-1).type, text: textOf(got), lateError: late.error ? late.error.code : 0 });
}
emit('stop', { stopped, refusedRpc });
done();
