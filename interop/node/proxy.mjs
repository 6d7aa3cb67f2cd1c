// Every event proxy with the real centrifuge-js SDK: the connection has no token, so the server asks the
// application backend (run by ProxyInteropTest, which records every request) who connects, whether it may
// subscribe, what it publishes, and what RPCs answer; the backend also keeps the connection alive
// (refresh proxy) past its short expiry.
//
// The backend's rules: the emulated Authorization header "Bearer alice-secret" is user alice (connect data
// {"welcome":"alice"}, expiry 2 s ahead, refreshed by the backend); channel "news-*" may be subscribed
// (subscribe data {"allowed":true}), "secret-*" is refused with error 403; publications into "news-*" are
// rewritten to {"text": <upper case>, "by": "backend"}; rpc "getPrice" answers {"price":42}, anything else
// fails with error 1000 "no such method".
//
// Checks: connected with the backend's data; subscribe allowed with data and refused with 403 (no
// resubscribe); the rewritten publication is what subscribers receive; the rpc answer and the rpc error;
// still connected after more than two connection lifetimes.
import {
  call, check, connect, done, emit, env, fromWire, newClient, newSubscription, sleep, step, subscribe, toWire,
  until,
} from './lib.mjs';

const news = `news-${env.channelSuffix}`;
const secret = `secret-${env.channelSuffix}`;

step('connect without a token, authenticated by the backend');
const alice = newClient('alice', '', {
  data: toWire({ app: 'interop' }),
  headers: { Authorization: 'Bearer alice-secret' },
});
let connectData = null;
alice.on('connected', (ctx) => { connectData = ctx.data === undefined ? null : fromWire(ctx.data); });
const states = [];
await connect(alice);
alice.on('state', (ctx) => states.push(ctx.newState));
check(connectData && connectData.welcome === 'alice', 'connect data must come from the backend', connectData);

step('subscribe where the backend allows it');
const allowed = newSubscription(alice, news);
let subscribeData = null;
allowed.on('subscribed', (ctx) => { subscribeData = ctx.data === undefined ? null : fromWire(ctx.data); });
await subscribe(allowed);
check(subscribeData && subscribeData.allowed === true, 'subscribe data must come from the backend', subscribeData);

step('subscribe where the backend refuses');
const refused = alice.newSubscription(secret);
const refusal = new Promise((resolve) => refused.on('unsubscribed', resolve));
refused.subscribe();
const unsubscribed = await call('refusal of the secret channel', refusal);
check(unsubscribed.code === 403, 'a refused subscription ends with the backend\'s code 403', unsubscribed);

step('publish: the backend rewrites the data');
await call('alice publish', allowed.publish(toWire({ text: 'hello' })));
await until(() => allowed.publications.length > 0, 5000, 'the rewritten publication');
const received = allowed.publications[0].data;
check(received.text === 'HELLO' && received.by === 'backend', 'subscribers get the backend\'s data', received);

step('rpc answered and failed by the backend');
const price = await call('rpc getPrice', alice.rpc('getPrice', toWire({ id: 12 })));
const answer = fromWire(price.data);
check(answer.price === 42, 'the rpc answer is the backend\'s', answer);
let rpcError = null;
try {
  await alice.rpc('missing', toWire({}));
} catch (e) {
  rpcError = e;
}
check(rpcError && rpcError.code === 1000 && rpcError.message === 'no such method',
  'a failed rpc carries the backend\'s error', rpcError);

step('stay connected past the expiry: the backend refreshes');
await sleep(5000);
check(states.length === 0, 'the client must stay connected', states);

emit('proxied', {
  connectData, subscribeData, refusalCode: unsubscribed.code, received, answer,
  rpcError: { code: rpcError.code, message: rpcError.message }, clientState: alice.state,
});
done();
