// Fossil delta compression with the real centrifuge-js client, in the "delta" namespace (history 100 / 300 s,
// force_recovery, allowed_delta_types ["fossil"]):
//
// 1. Two clients subscribe to the same channel, one with delta: 'fossil', one without.
// 2. 40 versions of a 4 KiB JSON document, one field changed per version, are published through the server
//    API: both subscriptions must deliver exactly the published documents, and the delta one must have
//    negotiated deltas and received far fewer bytes (the SDK's deltaStats).
// 3. The delta client disconnects, 10 more versions are published, it reconnects: the recovered
//    publications (a whole first one, then deltas) and the live ones after them decode to the published ones.
import {
  apiPublish, check, connect, done, emit, env, newClient, newSubscription, step, subscribe, until,
} from './lib.mjs';

const channel = `delta:doc-${env.channelSuffix}`;

function documentVersion(version) {
  const rows = [];
  for (let i = 0; i < 60; i++) {
    rows.push({ id: i, label: `row number ${i} — é`, value: i === version % 60 ? version * 7 : i });
  }
  return { version, rows };
}

async function publishVersions(from, count) {
  const docs = [];
  for (let v = from; v < from + count; v++) {
    const doc = documentVersion(v);
    await apiPublish(channel, doc);
    docs.push(doc);
  }
  return docs;
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
const same = JSON.stringify(deltaSub.publications.map((p) => p.data)) === JSON.stringify(published)
  && JSON.stringify(fullSub.publications.map((p) => p.data)) === JSON.stringify(published);
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

step('disconnect, publish 10, reconnect');
deltaClient.disconnect();
await until(() => deltaClient.state === 'disconnected', 5000, 'delta client disconnected');
const missed = await publishVersions(40, 10);
deltaClient.connect();
await until(() => deltaSub.subscribedEvents.length >= 2, 10000, 'resubscribe after reconnect');
const resubscribed = deltaSub.subscribedEvents[1];
const more = await publishVersions(50, 5);
await until(() => deltaSub.publications.length >= 55 && fullSub.publications.length >= 55, 10000, '55 publications');
const expected = published.concat(missed, more);
const afterRecovery = JSON.stringify(deltaSub.publications.map((p) => p.data)) === JSON.stringify(expected)
  && JSON.stringify(fullSub.publications.map((p) => p.data)) === JSON.stringify(expected);
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
