// Socket.IO 4 fan-out server for the Weft benchmark harness: the usual Socket.IO shape. A client
// joins rooms with `join` (acknowledged); a `publish` event (room, payload) is re-emitted to the room as
// `msg`. GET /bench/memory answers process.memoryUsage() after a full GC (run node with --expose-gc).
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 3000);

const http = createServer((req, res) => {
  if (req.url === '/bench/memory') {
    if (globalThis.gc) globalThis.gc();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  res.writeHead(404);
  res.end();
});

const io = new Server(http, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (rooms, ack) => {
    socket.join(rooms);
    if (typeof ack === 'function') ack();
  });
  socket.on('publish', (room, payload) => {
    io.to(room).emit('msg', payload);
  });
});

http.listen(port, '127.0.0.1', () => {
  console.log(`socket.io listening on ${port}`);
});
