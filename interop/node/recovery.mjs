// Recovery with a real centrifuge-js client in the "rec" namespace, which the Java driver configures
// with history_size 100, history_ttl 300s and force_recovery (the subscription does not ask for
// recovery itself: the server's `recoverable` flag in the subscribe reply makes the SDK recover).
//
// 1. Subscribe, receive one publication.
// 2. Disconnect; 50 publications via the server API; connect again: the resubscribe must report
//    wasRecovering + recovered, and exactly those 50 publications must arrive, in order, with
//    contiguous offsets.
// 3. Disconnect; 150 publications (more than history_size); connect again: recovered must be false.
//    Whatever the server still sends with that reply (at most the 100 it keeps) must be in order and
//    must not be flagged as a recovery. The subscription is live afterwards.
import {
  apiPublish, check, connect, done, emit, env, fail, newClient, newSubscription, sleep, step, subscribe,
  until,
} from './lib.mjs';

const channel = `rec:recovery-${env.channelSuffix}`;
const HISTORY_SIZE = 100;
const QUIET_MS = 500; // after the expected publications, how long to watch for unexpected extras

function isContiguous(offsets) {
  return offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1);
}

async function publishMany(from, count) {
  const results = [];
  for (let seq = from; seq < from + count; seq++) {
    results.push(await apiPublish(channel, { seq }));
  }
  return results;
}

async function disconnectAndWait(client) {
  client.disconnect();
  await until(() => client.state === 'disconnected', 5000, `${client.label} to reach disconnected state`);
}

/** Connects again and returns the next 'subscribed' event of sub. */
async function reconnect(client, sub) {
  const before = sub.subscribedEvents.length;
  sub.publications.length = 0;
  client.connect();
  return until(() => sub.subscribedEvents[before], 10000, `resubscribe of ${sub.channel} after reconnect`);
}

step('connect');
const client = await connect(newClient('subscriber', env.token));
step(`subscribe ${channel}`);
const sub = await subscribe(newSubscription(client, channel));
const initial = sub.subscribedEvents[0];
emit('subscribed_initial', {
  recoverable: initial.recoverable, wasRecovering: initial.wasRecovering, recovered: initial.recovered,
});
check(initial.recoverable === true, 'force_recovery must make the subscribe reply recoverable', initial);

step('first publication');
const first = await apiPublish(channel, { seq: 0 });
const firstPub = await until(() => sub.publications[0], 5000, 'the first publication');
emit('first_publication', firstPub);
check(firstPub.data.seq === 0 && firstPub.offset === first.offset, 'first publication mismatch', { firstPub, first });

// --- recoverable gap -------------------------------------------------------------------------
step('disconnect, publish 50');
await disconnectAndWait(client);
const missed = await publishMany(1, 50);
const missedOffsets = missed.map((r) => r.offset);
check(isContiguous(missedOffsets) && missedOffsets[0] === first.offset + 1,
  'the server API must assign contiguous offsets', missedOffsets);
check(missed.every((r) => r.epoch === first.epoch), 'the epoch must not change between publications', missed);

step('reconnect, recover 50');
const recoveredCtx = await reconnect(client, sub);
if (!recoveredCtx.wasRecovering || !recoveredCtx.recovered) {
  fail('resubscribe after a gap inside history must report wasRecovering and recovered', recoveredCtx);
}
await until(() => sub.publications.length >= missed.length, 10000,
  `${missed.length} recovered publications (have ${sub.publications.length})`);
await sleep(QUIET_MS);
const recovered = sub.publications.slice();
emit('recovery', {
  wasRecovering: recoveredCtx.wasRecovering,
  recovered: recoveredCtx.recovered,
  count: recovered.length,
  offsets: recovered.map((p) => p.offset),
  seqs: recovered.map((p) => p.data.seq),
  publishedOffsets: missedOffsets,
});
check(recovered.length === missed.length, `exactly ${missed.length} publications must be recovered, got ${recovered.length}`);
check(JSON.stringify(recovered.map((p) => p.offset)) === JSON.stringify(missedOffsets),
  'recovered publications must be the missed ones, in order', recovered.map((p) => p.offset));
check(recovered.every((p, i) => p.data.seq === i + 1), 'recovered publication data must be in publish order',
  recovered.map((p) => p.data));

// --- gap larger than history -------------------------------------------------------------------
step('disconnect, publish 150');
await disconnectAndWait(client);
const lost = await publishMany(51, 150);
const top = lost[lost.length - 1].offset;
check(top === missedOffsets[missedOffsets.length - 1] + 150, 'offsets must keep counting', { top });

step('reconnect, recovery must fail');
const gapCtx = await reconnect(client, sub);
await sleep(QUIET_MS);
const delivered = sub.publications.slice();
const deliveredOffsets = delivered.map((p) => p.offset);
emit('recovery_gap', {
  wasRecovering: gapCtx.wasRecovering,
  recovered: gapCtx.recovered,
  deliveredCount: delivered.length,
  deliveredOffsets,
  topOffset: top,
  streamOffset: gapCtx.streamPosition ? Number(gapCtx.streamPosition.offset) : null,
});
check(gapCtx.wasRecovering === true, 'the client must have tried to recover', gapCtx);
check(gapCtx.recovered === false, 'a gap larger than history_size must not be reported as recovered', gapCtx);
check(delivered.length <= HISTORY_SIZE, `at most history_size publications can be delivered, got ${delivered.length}`);
check(isContiguous(deliveredOffsets) && (delivered.length === 0 || deliveredOffsets.at(-1) === top),
  'publications delivered with an unrecovered subscribe must be the newest ones, in order', deliveredOffsets);

step('live after failed recovery');
sub.publications.length = 0;
const live = await apiPublish(channel, { seq: 201 });
const livePub = await until(() => sub.publications[0], 5000, 'a live publication after the failed recovery');
emit('live_after_gap', { offset: livePub.offset, expectedOffset: live.offset, seq: livePub.data.seq });
check(livePub.offset === top + 1 && livePub.data.seq === 201, 'the stream must continue after the gap', livePub);

client.disconnect();
done({ scenario: 'recovery' });
