// Recovery after the server drops the connection while publications keep flowing (run over each
// transport, meant for the emulated ones: the server ends the stream with a disconnect push).
//
// 1. Subscribe to a "rec" channel (history 100, force_recovery); a publisher keeps publishing through
//    the server API, one publication every few milliseconds, seq 1..TOTAL.
// 2. Once some publications arrived, print {"event":"drop_me","client":…}: the Java driver then
//    disconnects that session with 3011 "force reconnect" (reconnect: true).
// 3. The SDK must report connecting with that code, reconnect by itself, resubscribe with recovery
//    (wasRecovering + recovered), and in the end hold every publication exactly once, in order,
//    with contiguous offsets — none lost in the gap, none duplicated at the seams.
import {
  apiPublish, check, connect, done, emit, env, newClient, newSubscription, sleep, step, subscribe, until,
} from './lib.mjs';

const channel = `rec:drop-${env.channelSuffix}`;
const TOTAL = 120;
const DROP_AFTER = 20;
const PUBLISH_EVERY_MS = 10;

step('connect');
const client = await connect(newClient('subscriber', env.token));
const connectings = [];
client.on('connecting', (ctx) => connectings.push({ code: ctx.code, reason: ctx.reason }));
step(`subscribe ${channel}`);
const sub = await subscribe(newSubscription(client, channel));

step('publish while connected, dropped and reconnecting');
const published = [];
const publisher = (async () => {
  for (let seq = 1; seq <= TOTAL; seq++) {
    published.push(await apiPublish(channel, { seq }));
    await sleep(PUBLISH_EVERY_MS);
  }
})();

await until(() => sub.publications.length >= DROP_AFTER, 10000, `${DROP_AFTER} live publications`);
const droppedClient = client.clientId;
emit('drop_me', { client: droppedClient, received: sub.publications.length });

step('wait for the drop');
const drop = await until(() => connectings.find((c) => c.code !== 0), 10000, 'the SDK to see the server drop');
const publishedAtDrop = published.length;
emit('dropped', { ...drop, published: publishedAtDrop });
check(drop.code === 3011, `the SDK must see the server's disconnect code 3011, got ${drop.code} '${drop.reason}'`, drop);

step('reconnect and recover');
const resubscribed = await until(() => sub.subscribedEvents[1], 15000, 'resubscribe after the drop');
emit('resubscribed', {
  published: published.length,
  wasRecovering: resubscribed.wasRecovering,
  recovered: resubscribed.recovered,
  client: client.clientId,
  transports: client.transports,
});
check(client.clientId !== droppedClient, 'the reconnect must be a new connection', client.clientId);
check(resubscribed.wasRecovering === true && resubscribed.recovered === true,
  'the resubscribe after the drop must recover', resubscribed);
check(published.length > publishedAtDrop, 'publications must have kept flowing while the client was away',
  { publishedAtDrop, now: published.length });

step('all publications');
await publisher;
await until(() => sub.publications.length >= TOTAL, 15000,
  `all ${TOTAL} publications (have ${sub.publications.length})`);
await sleep(300); // anything extra (a duplicate) would arrive now
const seqs = sub.publications.map((p) => p.data.seq);
const offsets = sub.publications.map((p) => p.offset);
emit('received', {
  count: sub.publications.length, seqs, offsets, publishedOffsets: published.map((p) => p.offset),
});
check(sub.publications.length === TOTAL, `exactly ${TOTAL} publications, got ${sub.publications.length}`, seqs);
check(seqs.every((s, i) => s === i + 1), 'every publication exactly once, in publish order', seqs);
check(JSON.stringify(offsets) === JSON.stringify(published.map((p) => p.offset)),
  'offsets must be the ones the API reported, in order', offsets);

client.disconnect();
done({ scenario: 'drop' });
