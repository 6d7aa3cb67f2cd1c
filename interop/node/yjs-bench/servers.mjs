// Starting, measuring and stopping the servers the Yjs benchmark compares.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

export async function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, what) {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with ${child.exitCode} before listening`);
    }
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    if (Date.now() - start > 180000) {
      throw new Error(`${what} did not listen on ${port} within 180 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The servers, by name. Each `start()` resolves to {pid, url, dialect, gc(), stop()}: `url` as the peers
 * and providers take it, `gc()` asks the server process for a full collection.
 */
export const SERVERS = {
  'y-websocket-server': { dialect: 'y-websocket', start: () => reference('y-websocket') },
  'weft-yjs': { dialect: 'y-websocket', start: () => weft('y-websocket', 'sqlite') },
  'weft-yjs-memory': { dialect: 'y-websocket', start: () => weft('y-websocket', 'memory') },
  'hocuspocus-server': { dialect: 'hocuspocus', start: () => reference('hocuspocus') },
  'weft-hocuspocus': { dialect: 'hocuspocus', start: () => weft('hocuspocus', 'sqlite') },
  'weft-hocuspocus-memory': { dialect: 'hocuspocus', start: () => weft('hocuspocus', 'memory') },
};

async function reference(kind) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', path.join(repo, 'interop/node/collab/reference-server.mjs'), kind, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`reference ${kind} server exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => line.includes('"listening"') && resolve());
  });
  return {
    pid: child.pid,
    url: `ws://127.0.0.1:${port}`,
    gc: async () => { child.kill('SIGUSR2'); await sleep(500); },
    stop: () => stop(child),
  };
}

/**
 * Weft from this checkout (`./weft serve`, which builds first when needed), documents in `store` (`sqlite`:
 * a file in a temporary directory, every update fsync'ed before it is relayed; `memory`: like the reference
 * servers, nothing survives a restart), anonymous read-write access.
 * WEFT_BENCH_ARGS adds `--set key=value` flags; WEFT_LAUNCHER runs another checkout's `weft` script.
 */
async function weft(dialect, store) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-yjs-bench-'));
  const args = ['serve', '--port', String(port),
    '--set', `docs.store=${store}`, '--set', `data_dir=${dataDir}`, '--set', 'engine.type=memory',
    '--set', 'client.insecure=true', '--set', 'log.level=warn',
    ...(process.env.WEFT_BENCH_ARGS || '').split(/\s+/).filter(Boolean)];
  // Weft logs to stdout: sent to stderr, so stdout keeps only the results.
  const child = spawn(process.env.WEFT_LAUNCHER || path.join(repo, 'weft'), args, { stdio: ['ignore', 2, 2] });
  await waitForPort(port, child, 'weft');
  const base = `ws://127.0.0.1:${port}`;
  return {
    pid: child.pid, // ./weft execs java: the same process
    url: dialect === 'y-websocket' ? `${base}/yjs` : `${base}/hocuspocus`,
    gc: async () => {
      execFileSync(jcmd(), [String(child.pid), 'GC.run'], { stdio: 'ignore' });
      await sleep(500);
    },
    stop: async () => {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function jcmd() {
  const home = process.env.JAVA_HOME || '/usr/lib/jvm/temurin-25-jdk-amd64';
  return path.join(home, 'bin/jcmd');
}

async function stop(child) {
  if (child.exitCode === null) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

/** Resident set size of `pid` in bytes (VmRSS). */
export function rss(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** User + system CPU seconds `pid` has used so far. */
export function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
