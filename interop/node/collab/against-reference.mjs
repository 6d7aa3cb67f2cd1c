// Runs a collaborative-editing scenario against a reference server, playing the driver's part: starts the
// server (collab/reference-server.mjs), runs the scenario with the URLs and tokens set, and on the
// scenario's {"event":"kill_server"} / {"event":"start_server"} kills the server with SIGKILL / starts it
// again on the same port and data directory. Forwards the scenario's output; exits with its exit code.
//
// Environment: REFERENCE_SERVER (y-websocket | hocuspocus), REFERENCE_SCENARIO (a script in collab/),
// REFERENCE_PERSIST (1 = durable update logs in a temp directory, the default; 0 = memory only), plus
// anything the scenario reads (COLLAB_*), which is passed through.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kind = process.env.REFERENCE_SERVER;
const scenario = process.env.REFERENCE_SCENARIO;
const persist = process.env.REFERENCE_PERSIST !== '0';
if (!kind || !scenario) {
  console.error('FAIL: REFERENCE_SERVER and REFERENCE_SCENARIO must be set');
  process.exit(2);
}

const port = await new Promise((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `weft-reference-${kind}-`));

let server = null;
function startServer() {
  const args = [path.join(here, 'reference-server.mjs'), kind, String(port)];
  if (persist) {
    args.push(dataDir);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  server = child;
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`reference server exited (${code ?? signal}) before listening`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"listening"')) {
        console.error(`reference ${kind} server listening on ${port} (pid ${child.pid})`);
        resolve();
      }
    });
  });
}

function killServer() {
  server.kill('SIGKILL');
  console.error(`reference ${kind} server killed (SIGKILL)`);
}

await startServer();
const run = spawn(process.execPath, [path.join(here, scenario)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    YJS_URL: `ws://127.0.0.1:${port}`,
    HOCUSPOCUS_URL: `ws://127.0.0.1:${port}`,
    COLLAB_TOKEN: process.env.COLLAB_TOKEN || 'rw-token',
    COLLAB_READONLY_TOKEN: 'ro-token',
    COLLAB_BAD_TOKEN: 'not-a-token',
  },
});
readline.createInterface({ input: run.stdout }).on('line', async (line) => {
  process.stdout.write(line + '\n');
  if (line.includes('"event":"kill_server"')) {
    killServer();
  } else if (line.includes('"event":"start_server"')) {
    await startServer();
  }
});
const code = await new Promise((resolve) => run.on('exit', (exitCode) => resolve(exitCode ?? 1)));
server.kill('SIGKILL');
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(code);
