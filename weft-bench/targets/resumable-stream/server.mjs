// resumable-stream (npm) with Redis behind a small HTTP server, the way a Node backend serves resumable AI
// token streams: the backend produces each stream (createNewResumableStream) and readers follow it over SSE
// (resumeExistingStream, through Redis pub/sub). The ai-streams benchmark drives it with the same load as Weft:
//   POST /streams      {"ids":[…]}                 create the streams (their producer side runs here)
//   POST /append       [["<id>","<token>"], …]     one text-delta per token, AI SDK UI message stream parts
//   POST /finish       {"ids":[…]}                 finish + [DONE], the streams end
//   GET  /streams/<id>                             a reader: the stream so far, then live, as SSE
// Needs REDIS_URL; listens on 127.0.0.1:PORT.
import http from 'node:http';
import { createResumableStreamContext } from 'resumable-stream';

const context = createResumableStreamContext({ waitUntil: null });
const producers = new Map(); // stream id → its ReadableStream controller

const sse = (part) => `data: ${JSON.stringify(part)}\n\n`;

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function create(ids) {
  await Promise.all(ids.map(async (id) => {
    const stream = await context.createNewResumableStream(id, () => new ReadableStream({
      start(controller) {
        producers.set(id, controller);
        controller.enqueue(sse({ type: 'start', messageId: id }) + sse({ type: 'text-start', id: 't' }));
      },
    }));
    // The producing request's own response: drained here, as if its browser tab had gone away.
    (async () => { for await (const _ of stream) { /* discarded */ } })();
  }));
}

function append(pairs) {
  for (const [id, token] of pairs) {
    producers.get(id)?.enqueue(sse({ type: 'text-delta', id: 't', delta: token }));
  }
}

function finish(ids) {
  for (const id of ids) {
    const controller = producers.get(id);
    if (!controller) continue;
    controller.enqueue(sse({ type: 'text-end', id: 't' }) + sse({ type: 'finish' }) + 'data: [DONE]\n\n');
    controller.close();
    producers.delete(id);
  }
}

async function read(id, res) {
  const stream = await context.resumeExistingStream(id);
  if (!stream) {
    res.writeHead(stream === null ? 422 : 404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1',
    'cache-control': 'no-cache' });
  for await (const chunk of stream) res.write(chunk);
  res.end();
}

const server = http.createServer(async (req, res) => {
  try {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path.startsWith('/streams/')) {
      await read(decodeURIComponent(path.slice('/streams/'.length)), res);
    } else if (req.method === 'POST' && path === '/streams') {
      await create((await readBody(req)).ids);
      res.end('{}');
    } else if (req.method === 'POST' && path === '/append') {
      append(await readBody(req));
      res.end('{}');
    } else if (req.method === 'POST' && path === '/finish') {
      finish((await readBody(req)).ids);
      res.end('{}');
    } else {
      res.writeHead(404).end();
    }
  } catch (e) {
    console.error(e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
