// The reference servers the collaborative-editing scenarios and the benchmark are checked against:
//   node collab/reference-server.mjs y-websocket PORT [DATA_DIR]   @y/websocket-server 0.1.1
//   node collab/reference-server.mjs hocuspocus PORT [DATA_DIR]    @hocuspocus/server 4.7.0
// Prints {"event":"listening","port":PORT,"pid":PID} on stdout once it accepts connections.
//
// With DATA_DIR each document's updates are appended to a file and fsync'ed from the document's update
// handler, the same tick the server relays them; the file is replayed when the document loads. Without it
// documents live in memory only (what the "restart loses edits" check of the scenarios relies on).
// Hocuspocus authentication: token `rw-token` is read-write, `ro-token` read-only, anything else denied.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as Y from 'yjs';

const [kind, portArg, dataDir] = process.argv.slice(2);
const port = Number(portArg);
if (!['y-websocket', 'hocuspocus'].includes(kind) || !(port > 0)) {
  console.error('usage: reference-server.mjs y-websocket|hocuspocus PORT [DATA_DIR]');
  process.exit(2);
}

/** Durable per-document update logs: [u32 length][update]… in DATA_DIR/<encoded name>. */
const logs = dataDir && {
  file: (name) => path.join(dataDir, encodeURIComponent(name)),
  load(name, doc) {
    let bytes;
    try {
      bytes = fs.readFileSync(this.file(name));
    } catch (e) {
      return;
    }
    const updates = [];
    for (let at = 0; at + 4 <= bytes.length;) {
      const length = bytes.readUInt32BE(at);
      if (at + 4 + length > bytes.length) {
        break; // torn tail of a write the kill interrupted: never acknowledged
      }
      updates.push(bytes.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    if (updates.length > 0) {
      Y.applyUpdate(doc, Y.mergeUpdates(updates));
    }
  },
  append(name, update) {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(update.length);
    const fd = fs.openSync(this.file(name), 'a');
    try {
      fs.writeSync(fd, Buffer.concat([header, update]));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
};
if (dataDir) {
  fs.mkdirSync(dataDir, { recursive: true });
}

// The benchmark asks for a full collection before reading RSS (run with --expose-gc).
process.on('SIGUSR2', () => globalThis.gc?.());

const listening = () => process.stdout.write(JSON.stringify({ event: 'listening', kind, port, pid: process.pid }) + '\n');

if (kind === 'y-websocket') {
  const { WebSocketServer } = await import('ws');
  const { setupWSConnection, setPersistence } = await import('@y/websocket-server/utils');
  if (logs) {
    setPersistence({
      provider: null,
      bindState: (name, doc) => {
        logs.load(name, doc);
        doc.on('update', (update) => logs.append(name, update));
      },
      writeState: async () => {},
    });
  }
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((request, response) => response.end('okay'));
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request));
  });
  server.listen(port, '127.0.0.1', listening);
} else {
  const { Server } = await import('@hocuspocus/server');
  const server = new Server({
    port,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    async onAuthenticate({ token, connectionConfig }) {
      if (token === 'ro-token') {
        connectionConfig.readOnly = true;
      } else if (token !== 'rw-token') {
        throw new Error('invalid token');
      }
    },
    async onLoadDocument({ document, documentName }) {
      logs?.load(documentName, document);
      return document;
    },
    async onChange({ update, documentName }) {
      logs?.append(documentName, update);
    },
  });
  await server.listen();
  listening();
}
