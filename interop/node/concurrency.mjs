// client.concurrency with the real centrifuge-js SDK, against the proxy backend of ProxyInteropTest (whose
// rpc "slow" answers {"slow":true} after 1.5 s) and a Weft with client.concurrency above 1:
//
// 1. Connect (through the connect proxy) and subscribe to a news channel.
// 2. Call rpc "slow" and, without waiting, publish into the channel: the publish must be answered first,
//    while the rpc is still at the backend, and the rpc must still get its own answer.
import {
  call, check, connect, done, emit, env, fromWire, newClient, newSubscription, step, subscribe, toWire,
} from './lib.mjs';

const news = `news-${env.channelSuffix}`;

step('connect and subscribe');
const alice = await connect(newClient('alice', '', {
  data: toWire({ app: 'interop' }),
  headers: { Authorization: 'Bearer alice-secret' },
}));
const sub = await subscribe(newSubscription(alice, news));

step('a slow rpc, then a publish on the same connection');
const answered = [];
const rpc = alice.rpc('slow', toWire({})).then((r) => { answered.push('rpc'); return r; });
const publish = sub.publish(toWire({ text: 'quick' })).then((r) => { answered.push('publish'); return r; });
await call('publish', publish);
const rpcReply = await call('rpc slow', rpc);
const rpcData = fromWire(rpcReply.data);
check(answered[0] === 'publish', 'the publish must be answered before the slow rpc', answered);
check(rpcData.slow === true, 'the rpc must get its own answer', rpcData);
emit('concurrency', { answered, rpcData });
alice.disconnect();
done();
