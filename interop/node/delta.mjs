// Fossil delta compression with the real centrifuge-js client, in the "delta" namespace (history 100 / 300 s,
// force_recovery, allowed_delta_types ["fossil"]):
//
// 1. Two clients subscribe to the same channel, one with delta: 'fossil', one without.
// 2. 40 versions of a 4 KiB JSON document, one field changed per version, are published through the server
//    API with `delta: true`: both subscriptions must deliver exactly the published documents, and the delta
//    one must have negotiated deltas and received far fewer bytes (the SDK's deltaStats).
// 3. 10 more versions, published and broadcast with and without `delta`: the ones without arrive whole (as
//    Centrifugo sends them), the flagged ones as deltas, and all decode to the published documents.
// 4. The delta client disconnects, 10 more versions are published, it reconnects: the recovered
//    publications (a whole first one, then deltas) and the live ones after them decode to the published ones.
import {
  apiCall, check, connect, done, emit, env, newClient, newSubscription, step, subscribe, until,
} from './lib.mjs';

const channel = `delta:doc-${env.channelSuffix}`;

function documentVersion(version) {
  const rows = [];
  for (let i = 0; i < 60; i++) {
    rows.push({ id: i, label: `row number ${i} — é`, value: i === version % 60 ? version * 7 : i });
  }
  return { version, rows };
}

// flagged(v): whether version v is published for delta; broadcast(v): through broadcast instead of publish.
async function publishVersions(from, count, flagged = () => true, broadcast = () => false) {
  const docs = [];
  for (let v = from; v < from + count; v++) {
    const doc = documentVersion(v);
    const delta = flagged(v);
    if (broadcast(v)) {
      await apiCall('broadcast', { channels: [channel], data: doc, delta });
    } else {
      await apiCall('publish', { channel, data: doc, delta });
    }
    docs.push(doc);
  }
  return docs;
}

function decodedAll(expected) {
  return JSON.stringify(deltaSub.publications.map((p) => p.data)) === JSON.stringify(expected)
    && JSON.stringify(fullSub.publications.map((p) => p.data)) === JSON.stringify(expected);
}

step('connect both clients');
const deltaClient = await connect(newClient('delta', env.token));
const fullClient = await connect(newClient('full', env.token2));
const deltaSub = await subscribe(newSubscription(deltaClient, channel, { delta: 'fossil' }));
const fullSub = await subscribe(newSubscription(fullClient, channel));
check(deltaSub._delta_negotiated === true, 'the server must negotiate fossil deltas', deltaSub.subscribedEvents[0]);

step('publish 40 versions');
const published = await publishVersions(0, 40);
await until(() => deltaSub.publications.length >= 40 && fullSub.publications.length >= 40, 10000, '40 publications on both');
const same = decodedAll(published);
check(same, 'delta and full subscriptions must decode to the published documents');
const stats = deltaSub.deltaStats();
emit('live', {
  count: deltaSub.publications.length,
  sameAsFull: same,
  numFullPayloads: stats.numFullPayloads,
  numDeltaPayloads: stats.numDeltaPayloads,
  bytesReceived: stats.bytesReceived,
  bytesDecoded: stats.bytesDecoded,
});

step('publish 10 with and without the delta flag');
// Versions 40–49: odd ones flagged; 44 and 45 through broadcast.
const mixed = await publishVersions(40, 10, (v) => v % 2 === 1, (v) => v === 44 || v === 45);
await until(() => deltaSub.publications.length >= 50 && fullSub.publications.length >= 50, 10000, '50 publications');
const mixedSame = decodedAll(published.concat(mixed));
check(mixedSame, 'flagged and unflagged publications must decode to the published documents');
const mixedStats = deltaSub.deltaStats();
emit('mixed', {
  sameAsFull: mixedSame,
  fullPayloads: mixedStats.numFullPayloads - stats.numFullPayloads,
  deltaPayloads: mixedStats.numDeltaPayloads - stats.numDeltaPayloads,
  numDeltaPayloads: mixedStats.numDeltaPayloads,
});

step('disconnect, publish 10, reconnect');
deltaClient.disconnect();
await until(() => deltaClient.state === 'disconnected', 5000, 'delta client disconnected');
const missed = await publishVersions(50, 10);
deltaClient.connect();
await until(() => deltaSub.subscribedEvents.length >= 2, 10000, 'resubscribe after reconnect');
const resubscribed = deltaSub.subscribedEvents[1];
const more = await publishVersions(60, 5);
await until(() => deltaSub.publications.length >= 65 && fullSub.publications.length >= 65, 10000, '65 publications');
const expected = published.concat(mixed, missed, more);
const afterRecovery = decodedAll(expected);
check(afterRecovery, 'after recovery the delta subscription must still decode to the published documents');
emit('recovered', {
  recovered: resubscribed.recovered,
  count: deltaSub.publications.length,
  sameAsFull: afterRecovery,
  numDeltaPayloads: deltaSub.deltaStats().numDeltaPayloads,
});
deltaClient.disconnect();
fullClient.disconnect();
done();
