// Cross-checks Weft's Fossil delta (Java) with the npm `fossil-delta` package, byte for byte.
// FOSSIL_CASES names a JSON file: [{origin, target, weftDelta}] (base64). For each case this prints one line
// {"event":"case","index","npmDelta","npmApplied"}: the delta npm creates for origin → target, and what npm
// gets by applying Weft's delta to origin (or {"error"} when it refuses it). The Java test compares.
import { readFileSync } from 'node:fs';
import { applyDelta, createDelta } from 'fossil-delta';

const cases = JSON.parse(readFileSync(process.env.FOSSIL_CASES, 'utf8'));
const bytes = (b64) => new Uint8Array(Buffer.from(b64, 'base64'));
const b64 = (u8) => Buffer.from(u8).toString('base64');

cases.forEach((c, index) => {
  const origin = bytes(c.origin);
  const npmDelta = createDelta(origin, bytes(c.target));
  let npmApplied;
  try {
    npmApplied = b64(applyDelta(origin, bytes(c.weftDelta)));
  } catch (e) {
    npmApplied = { error: String(e) };
  }
  console.log(JSON.stringify({ event: 'case', index, npmDelta: b64(npmDelta), npmApplied }));
});
console.log(JSON.stringify({ event: 'done', cases: cases.length }));
