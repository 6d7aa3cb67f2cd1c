// What every interop scenario shares, whatever client it drives: environment, result lines on stdout,
// progress and failures on stderr, checks, polling, server-API publishing, and an overall deadline so a
// scenario can never hang the JUnit run that spawned it.
//
// Contract with the Java driver (dev.weft.interop.NodeScript):
//   stdout: one JSON object per line, each with an "event" field; nothing else is written there.
//   stderr: human-readable progress ("step: ...") and the failure reason.
//   exit 0 = every check in the script passed; 1 = a check failed; 2 = bad environment; 3 = timeout.

export function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`FAIL: environment variable ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const timeoutMs = Number(process.env.WEFT_TIMEOUT_MS || 60000);
let label = '';           // shown in failure messages, e.g. the protocol format
let resultFields = {};    // added to every result line
let currentStep = 'start';
const cleanups = [];

/** Sets what failure messages and result lines say about this run (e.g. {format: 'json'}). */
export function configure({ name = '', fields = {} } = {}) {
  label = name;
  resultFields = fields;
}

/** Runs before the process exits, on success and on failure (e.g. closing a browser). */
export function onExit(cleanup) {
  cleanups.push(cleanup);
}

let exiting = false;

/** Thrown by fail() so that nothing after a failed check runs; the handlers below ignore it. */
class ScenarioFailed extends Error {}

async function exit(code) {
  if (exiting) {
    return;
  }
  exiting = true;
  for (const cleanup of cleanups.splice(0)) {
    try {
      await Promise.race([cleanup(), sleep(5000)]);
    } catch (err) {
      console.error(`cleanup failed: ${describe(err)}`);
    }
  }
  process.stdout.write('', () => process.exit(code));
}

const deadline = setTimeout(() => {
  console.error(`FAIL: overall timeout of ${timeoutMs} ms reached during step '${currentStep}'`);
  exit(3);
}, timeoutMs);

export function step(name) {
  currentStep = name;
  console.error(`step: ${name}`);
}

export function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...resultFields, ...fields }) + '\n');
}

/** Reports the failure, exits with 1 once cleanups ran, and throws so the scenario stops here. */
export function fail(message, details) {
  if (!exiting) {
    console.error(`FAIL${label ? ` [${label}]` : ''} during '${currentStep}': ${message}`);
    if (details !== undefined) {
      console.error(JSON.stringify(details, null, 2));
    }
    exit(1);
  }
  throw new ScenarioFailed(message);
}

export function check(condition, message, details) {
  if (!condition) {
    fail(message, details);
  }
}

/** Ends the scenario successfully once stdout is flushed (open sockets must not keep node alive). */
export function done(fields = {}) {
  emit('done', fields);
  clearTimeout(deadline);
  exit(0);
}

function unexpected(kind) {
  return (err) => {
    if (err instanceof ScenarioFailed) {
      return; // already reported
    }
    try {
      fail(`${kind}: ${describe(err)}`);
    } catch (e) {
      // fail() throws to stop the scenario; here there is nothing left to stop
    }
  };
}

process.on('unhandledRejection', unexpected('unhandled rejection'));
process.on('uncaughtException', unexpected('uncaught exception'));

export function describe(err) {
  if (err instanceof Error) {
    return err.stack || err.message;
  }
  return JSON.stringify(err);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until predicate() is truthy; fails the scenario with `what` after timeoutMs. */
export async function until(predicate, timeoutMs, what) {
  const start = Date.now();
  for (;;) {
    const value = await predicate();
    if (value) {
      return value;
    }
    if (Date.now() - start > timeoutMs) {
      fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(10);
  }
}

/** Awaits a promise, turning its rejection into a scenario failure. */
export async function call(what, promise) {
  try {
    return await promise;
  } catch (err) {
    fail(`${what} failed: ${describe(err)}`);
  }
}

/** POST {WEFT_API_URL}/<method> with WEFT_API_KEY and a JSON body; returns the result object. */
export async function apiCall(method, request) {
  const apiUrl = required('WEFT_API_URL');
  const apiKey = required('WEFT_API_KEY');
  let res;
  try {
    res = await fetch(`${apiUrl}/${method}`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (err) {
    fail(`server API ${method} could not be sent: ${describe(err)}`);
  }
  const text = await res.text();
  check(res.ok, `server API ${method} returned HTTP ${res.status}: ${text}`);
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    fail(`server API ${method} returned non-JSON: ${text}`);
  }
  check(!body.error, `server API ${method} returned an error: ${text}`);
  check(body.result && typeof body.result === 'object', `server API ${method} has no result: ${text}`);
  return body.result;
}

/** Publishes through the server API; returns {offset, epoch}. */
export async function apiPublish(channel, data) {
  const result = await apiCall('publish', { channel, data });
  return { offset: Number(result.offset ?? 0), epoch: result.epoch ?? '' };
}
