// Measures plain SSE fan-out end to end (not a test; see docs/benchmarks.md): STREAMS open
// /sse/<channel> streams (or /sse?channel=<channel>&channel=<other> with TWO_CHANNELS=1, where every id
// carries both positions), then PUBLICATIONS go through the server API at RATE per second, each carrying
// its send time. Prints one JSON line: deliveries, delivery latency percentiles (publish call to event
// parsed here, same machine), and the server's CPU seconds for the run when WEFT_PID is given.
//
//   WEFT_BASE_URL=http://127.0.0.1:8000 WEFT_API_URL=http://127.0.0.1:8000/api WEFT_API_KEY=secret \
//   STREAMS=1000 PUBLICATIONS=500 RATE=100 node sse-fanout-bench.mjs
import { readFileSync } from 'node:fs';

const base = process.env.WEFT_BASE_URL;
const apiUrl = process.env.WEFT_API_URL;
const apiKey = process.env.WEFT_API_KEY;
const streams = Number(process.env.STREAMS || 1000);
const publications = Number(process.env.PUBLICATIONS || 500);
const rate = Number(process.env.RATE || 100);
const twoChannels = process.env.TWO_CHANNELS === '1';
const channel = `bench-${process.pid}`;
const path = twoChannels ? `/sse?channel=${channel}&channel=${channel}-other` : `/sse/${channel}`;

const latencies = [];
let delivered = 0;
let idBytes = 0;

async function openStream() {
  const res = await fetch(base + path, { headers: { Accept: 'text/event-stream' } });
  if (res.status !== 200) {
    throw new Error(`GET ${path}: ${res.status}`);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let subscribed;
  const ready = new Promise((resolve) => { subscribed = resolve; });
  (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes('event: subscribed')) {
          subscribed();
        } else if (block.includes('event: publication')) {
          const now = performance.timeOrigin + performance.now();
          const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
          latencies.push(now - data.sent);
          delivered++;
          idBytes += block.indexOf('\n') - 4;
        }
      }
    }
  })();
  return ready;
}

function cpuSeconds(pid) {
  if (!pid) {
    return null;
  }
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks of 10 ms
}

const opened = Date.now();
for (let i = 0; i < streams; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, streams - i) }, openStream));
}
const openMs = Date.now() - opened;

const cpuBefore = cpuSeconds(process.env.WEFT_PID);
const started = Date.now();
for (let seq = 1; seq <= publications; seq++) {
  const due = started + (seq - 1) * (1000 / rate);
  const wait = due - Date.now();
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const res = await fetch(`${apiUrl}/publish`, {
    method: 'POST',
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel, data: { seq, sent: performance.timeOrigin + performance.now() } }),
  });
  await res.text();
}
const expected = streams * publications;
const deadline = Date.now() + 60000;
while (delivered < expected && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const elapsedMs = Date.now() - started;
const cpuAfter = cpuSeconds(process.env.WEFT_PID);
latencies.sort((a, b) => a - b);
const pct = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) / 10;
console.log(JSON.stringify({
  streams, publications, rate, twoChannels, openMs, delivered, expected, elapsedMs,
  deliveriesPerSecond: Math.round(delivered / (elapsedMs / 1000)),
  latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: pct(1) },
  avgIdBytes: Math.round(idBytes / Math.max(delivered, 1)),
  serverCpuSeconds: cpuBefore === null ? null : Math.round((cpuAfter - cpuBefore) * 100) / 100,
}));
process.exit(delivered === expected ? 0 : 1);
