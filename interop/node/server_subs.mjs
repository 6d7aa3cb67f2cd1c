// Server-side subscriptions driven by the server API, seen through the real centrifuge-js client
// events (client.on('subscribed' | 'publication' | 'unsubscribed'), not Subscription objects).
//
// Checks: POST /api/subscribe for alice's user makes her connection emit a server-side 'subscribed'
// for the channel, carrying the request's data; a server-API publication then arrives as a
// server-side 'publication'; POST /api/unsubscribe makes the client emit 'unsubscribed' for it, and a
// later publication into that channel is no longer delivered (checked with an ordering barrier: a
// publication into another channel of the same connection, sent after it, arrives first-and-only).
import {
  apiCall, apiPublish, check, connect, done, emit, env, fromWire, newClient, newSubscription, step, subscribe,
  until,
} from './lib.mjs';

const channel = `chat:server-sub-${env.channelSuffix}`;
const barrier = `chat:barrier-${env.channelSuffix}`;

step('connect alice');
const alice = newClient('alice', env.token);
const subscribed = [];
const unsubscribed = [];
const publications = [];
alice.on('subscribed', (ctx) => subscribed.push(ctx));
alice.on('unsubscribed', (ctx) => unsubscribed.push(ctx));
alice.on('publication', (ctx) => publications.push({ channel: ctx.channel, data: fromWire(ctx.data),
  offset: ctx.offset === undefined ? null : Number(ctx.offset) }));
await connect(alice);
emit('connected', { client: alice.clientId });

step('server API subscribe');
await apiCall('subscribe', { channel, user: 'alice', data: { welcome: 'alice' } });
const sub = await until(() => subscribed.find((s) => s.channel === channel), 5000, 'server-side subscribed event');
const subData = sub.data === undefined ? null : fromWire(sub.data);
emit('server_subscribed', { channel: sub.channel, data: subData, recoverable: sub.recoverable });
check(subData && subData.welcome === 'alice', 'the subscribe push must carry the API request data', sub);

step('publication into the server-side subscription');
const published = await apiPublish(channel, { n: 1 });
const pub = await until(() => publications.find((p) => p.channel === channel && p.data.n === 1), 5000,
  'server-side publication');
emit('server_publication', pub);
check(pub.offset === published.offset, 'server-side publication must carry its offset', { pub, published });

step('server API unsubscribe');
await apiCall('unsubscribe', { channel, user: 'alice' });
const unsub = await until(() => unsubscribed.find((u) => u.channel === channel), 5000,
  'server-side unsubscribed event');
emit('server_unsubscribed', { channel: unsub.channel });

step('no delivery after unsubscribe');
const barrierSub = await subscribe(newSubscription(alice, barrier));
await apiPublish(channel, { n: 2 });
await apiPublish(barrier, { n: 3 });
await until(() => barrierSub.publications.find((p) => p.data.n === 3), 5000, 'barrier publication');
const late = publications.filter((p) => p.channel === channel && p.data.n === 2);
emit('after_unsubscribe', { delivered: late.length });
check(late.length === 0, 'a publication after the server-side unsubscribe must not be delivered', late);

done();
