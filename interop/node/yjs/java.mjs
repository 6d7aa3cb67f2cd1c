// Calls into the Java side of a cross-check: a request is one JSON line on stdout
// ({"call": n, "op": ..., ...base64 byte arrays}), the answer one JSON line on stdin ({"call": n,
// "result": base64} or {"call": n, "error": message}). The JUnit test (YjsInteropTest) runs the ops with
// weft-yjs. Anything else for the test goes to stdout as {"event": ...} lines; progress to stderr.
import readline from 'node:readline';

const b64 = (u8) => Buffer.from(u8).toString('base64');
const bytes = (s) => new Uint8Array(Buffer.from(s, 'base64'));

const pending = new Map();
let next = 0;
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const answer = JSON.parse(line);
  const waiter = pending.get(answer.call);
  if (!waiter) throw new Error(`answer to an unknown call: ${line}`);
  pending.delete(answer.call);
  if (answer.error !== undefined) waiter.reject(new Error(`Java ${waiter.op} failed: ${answer.error}`));
  else waiter.resolve(bytes(answer.result));
});

let calls = 0;

/** Runs `op` in Java: merge|mergeV2 {updates}, diff|diffV2 {update, sv}, sv|svV2 {update}, v1ToV2|v2ToV1 {update}. */
export const java = (op, { updates, update, sv } = {}) => new Promise((resolve, reject) => {
  const call = next++;
  calls++;
  pending.set(call, { resolve, reject, op });
  const request = { call, op };
  if (updates) request.updates = updates.map(b64);
  if (update) request.update = b64(update);
  if (sv) request.sv = b64(sv);
  process.stdout.write(JSON.stringify(request) + '\n');
});

export const javaCalls = () => calls;

export const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

/** Ends the run: exit 0 after `done`, 1 with the reason on a failed check. */
export const finish = (fields) => {
  emit('done', { javaCalls: calls, ...fields });
  lines.close();
  process.exit(0);
};

export const fail = (message) => {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
};

export const equalBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
