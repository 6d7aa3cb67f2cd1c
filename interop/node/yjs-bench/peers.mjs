// Minimal protocol-level Yjs peers for the benchmark: they speak the y-websocket or the Hocuspocus dialect
// over `ws`, send prepared updates and hand over the updates they receive without applying them, so the
// driver's own Yjs work does not hide the server's. (The sync-time measurement also uses the real providers.)
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const SYNC = 0;
const AUTH = 2;
const SYNC_REPLY = 4;
const PING = 9;
const PONG = 10;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/**
 * One connection to one document. `dialect` is `y-websocket` (url = ws://host/prefix, the room appended)
 * or `hocuspocus` (url = the endpoint; document name and token in the messages).
 * `onUpdate(bytes)` gets every update and SyncStep2 payload the server sends.
 */
export class RawPeer {
  constructor({ dialect, url, document, token = '' }) {
    this.dialect = dialect;
    this.document = document;
    this.token = token;
    this.url = dialect === 'y-websocket' ? `${url}/${document}` : url;
    this.onUpdate = () => {};
    this.onStep2 = () => {};
  }

  /** Connects, authenticates (Hocuspocus) and completes the initial sync; resolves with the SyncStep2 size. */
  open() {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(this.url, { perMessageDeflate: false });
      this.ws.binaryType = 'nodebuffer';
      let synced = false;
      this.onStep2 = (bytes) => {
        if (!synced) {
          synced = true;
          resolve(bytes.length);
        }
      };
      this.ws.on('error', reject);
      this.ws.on('close', (code) => {
        if (!synced) {
          reject(new Error(`${this.url} ${this.document}: closed with ${code} before syncing`));
        }
      });
      this.ws.on('message', (data) => this.receive(data));
      this.ws.on('open', () => {
        if (this.dialect === 'hocuspocus') {
          this.ws.send(this.frame(AUTH, (e) => {
            encoding.writeVarUint(e, 0); // Token
            encoding.writeVarString(e, this.token);
            encoding.writeVarString(e, '4.8.0');
          }));
        }
        this.ws.send(this.frame(SYNC, (e) => {
          encoding.writeVarUint(e, STEP1);
          encoding.writeVarUint8Array(e, EMPTY_STATE_VECTOR);
        }));
      });
    });
  }

  /** A frame of `type` with the Hocuspocus document-name prefix when the dialect wants it. */
  frame(type, body) {
    const e = encoding.createEncoder();
    if (this.dialect === 'hocuspocus') {
      encoding.writeVarString(e, this.document);
    }
    encoding.writeVarUint(e, type);
    body(e);
    return encoding.toUint8Array(e);
  }

  sendUpdate(update) {
    this.ws.send(this.frame(SYNC, (e) => {
      encoding.writeVarUint(e, UPDATE);
      encoding.writeVarUint8Array(e, update);
    }));
  }

  receive(data) {
    if (this.dialect === 'hocuspocus' && data.length === 1 && data[0] === PING) {
      this.ws.send(new Uint8Array([PONG]));
      return;
    }
    const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.length));
    if (this.dialect === 'hocuspocus') {
      decoding.readVarString(d);
    }
    const type = decoding.readVarUint(d);
    if (type === SYNC || type === SYNC_REPLY) {
      const step = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (step === STEP1) {
        // The server asks for what we have: nothing.
        this.ws.send(this.frame(SYNC, (e) => {
          encoding.writeVarUint(e, STEP2);
          encoding.writeVarUint8Array(e, EMPTY_UPDATE);
        }));
      } else if (step === STEP2) {
        this.onStep2(payload);
        this.onUpdate(payload);
      } else if (step === UPDATE) {
        this.onUpdate(payload);
      }
    } else if (type === AUTH) {
      const kind = decoding.readVarUint(d);
      if (kind === 1) {
        this.ws.close();
      }
    }
    // Awareness, query-awareness, SyncStatus: nothing to do for a load driver.
  }

  /** Resolves once the socket's send buffer is below `bytes`. */
  async drained(bytes = 256 * 1024) {
    while (this.ws.bufferedAmount > bytes) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  close() {
    this.ws?.terminate();
  }
}
