// Waiting for convergence and for edits, shared by the collaborative-editing scenarios. Waits are bounded
// (SETTLE_MS) and end in a scenario failure that says what was missing.
import { fail, sleep } from '../harness.mjs';
import { missingEdits, sameContent } from './edits.mjs';

export const SETTLE_MS = 30000;

/**
 * Waits until every `{name, doc, synced(), state()?}` is synced and all documents have the same content;
 * `state()` describes a client that never synced.
 */
export async function converge(clients, what) {
  const start = Date.now();
  while (!clients.every((c) => c.synced())) {
    if (Date.now() - start > SETTLE_MS) {
      fail(`${what}: not synced after ${SETTLE_MS} ms: ${clients.filter((c) => !c.synced()).map((c) => c.name).join(', ')}`,
        clients.filter((c) => !c.synced()).map((c) => c.state?.() ?? c.name));
    }
    await sleep(20);
  }
  for (;;) {
    const result = sameContent(clients.map((c) => c.doc));
    if (result.equal) {
      return;
    }
    if (Date.now() - start > SETTLE_MS) {
      fail(`${what}: ${clients[result.differs].name} never converged with ${clients[0].name}`, result.differences);
    }
    await sleep(20);
  }
}

/** Waits until `doc` holds every edit in `ids`; fails listing the missing ones. */
export async function holdsEdits(doc, ids, what) {
  const start = Date.now();
  let missing = missingEdits(doc, ids);
  while (missing.length > 0 && Date.now() - start < SETTLE_MS) {
    await sleep(50);
    missing = missingEdits(doc, ids);
  }
  if (missing.length > 0) {
    fail(`${what}: ${missing.length} of ${[...ids].length} edits missing`, { missing: missing.slice(0, 20) });
  }
}
