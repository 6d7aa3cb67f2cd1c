// Tokens that expire mid-session, refreshed by centrifuge-js through its getToken callbacks.
//
// The server closes a connection 2 s after its token expired unless it was refreshed, and ends a
// subscription 2 s after its subscription token expired (client.expired_close_delay and
// client.expired_sub_close_delay in InteropServer), so staying connected and subscribed proves the
// refreshes happened and were accepted.
//
// Checks: alice connects with a connection token valid for 3 s and subscribes to a public channel and to
// a private ($) channel whose subscription token is valid for 3 s; getToken (connection) and the
// subscription's getToken are each called again while the session runs for more than two token
// lifetimes; the client never leaves the connected state, neither subscription leaves the subscribed
// state, and a server-API publication into each channel still arrives afterwards.
import { createHmac } from 'node:crypto';
import {
  apiPublish, check, connect, done, emit, env, newClient, newSubscription, sleep, step, subscribe, until,
} from './lib.mjs';

const secret = process.env.WEFT_HMAC_SECRET;
if (!secret) {
  console.error('FAIL: environment variable WEFT_HMAC_SECRET is not set');
  process.exit(2);
}
const LIFETIME_SECONDS = 3;

function b64url(text) {
  return Buffer.from(text).toString('base64url');
}

/** An HS256 JWT, minted as an application backend would. */
function jwt(claims) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

const expiry = () => Math.floor(Date.now() / 1000) + LIFETIME_SECONDS;
const publicChannel = `chat:refresh-${env.channelSuffix}`;
const privateChannel = `$refresh-${env.channelSuffix}`;

let connectionTokens = 0;
let subscriptionTokens = 0;
const states = [];

step('connect with a short-lived token');
// getToken is how the SDK refreshes: it is called when the token is about to expire.
const alice = newClient('alice', jwt({ sub: 'alice', exp: expiry() }), {
  getToken: async () => {
    connectionTokens++;
    console.error(`alice: getToken #${connectionTokens}`);
    return jwt({ sub: 'alice', exp: expiry() });
  },
});
await connect(alice);
alice.on('state', (ctx) => states.push(ctx.newState));

step('subscribe to a public and a private channel');
const pub = await subscribe(newSubscription(alice, publicChannel));
const priv = newSubscription(alice, privateChannel, {
  getToken: async (ctx) => {
    subscriptionTokens++;
    console.error(`alice: subscription getToken #${subscriptionTokens} for ${ctx.channel}`);
    return jwt({ sub: 'alice', channel: ctx.channel, exp: expiry() });
  },
});
await subscribe(priv);
const privStates = [];
priv.on('state', (ctx) => privStates.push(ctx.newState));
const pubStates = [];
pub.on('state', (ctx) => pubStates.push(ctx.newState));

step('stay connected across several token lifetimes');
await sleep((2 * LIFETIME_SECONDS + 2) * 1000);

step('publications still arrive');
await apiPublish(publicChannel, { n: 1 });
await apiPublish(privateChannel, { n: 2 });
await until(() => pub.publications.find((p) => p.data.n === 1), 5000, 'publication in the public channel');
await until(() => priv.publications.find((p) => p.data.n === 2), 5000, 'publication in the private channel');

emit('refreshed', {
  connectionTokens, subscriptionTokens, clientStates: states, publicStates: pubStates, privateStates: privStates,
  clientState: alice.state, publicState: pub.state, privateState: priv.state,
});
check(connectionTokens >= 2, 'getToken must have refreshed the connection token at least twice', { connectionTokens });
check(subscriptionTokens >= 3, 'the subscription token must have been fetched and refreshed at least twice',
  { subscriptionTokens });
check(states.length === 0, 'the client must stay connected', states);
check(pubStates.length === 0 && privStates.length === 0, 'the subscriptions must stay subscribed',
  { pubStates, privStates });
done();
