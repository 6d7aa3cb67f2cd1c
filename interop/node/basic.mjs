// Basic pub/sub with two real centrifuge-js clients (alice: WEFT_TOKEN, bob: WEFT_TOKEN_2) in the
// "chat" namespace, which the Java driver configures with presence, join_leave,
// force_push_join_leave, history and allow_publish_for_subscriber.
//
// Checks: JWT connect; subscribe; a server-API publication reaches a subscriber with its offset; a
// client publication reaches the other client with the publisher's ClientInfo; presence lists both
// clients with their user ids; presence_stats counts them; join/leave are pushed to a subscriber
// that did not ask for them (force_push_join_leave); history returns both publications in order.
import {
  apiPublish, call, check, connect, done, emit, env, fail, fromWire, newClient, newSubscription, step, subscribe,
  toWire, until,
} from './lib.mjs';

if (!env.token2) {
  fail('WEFT_TOKEN_2 (second user) is required by the basic scenario');
}

const channel = `chat:basic-${env.channelSuffix}`;

step('connect alice');
const alice = await connect(newClient('alice', env.token));
step('connect bob');
const bob = await connect(newClient('bob', env.token2));
emit('connected', { clients: [alice.clientId, bob.clientId] });
check(alice.clientId && bob.clientId && alice.clientId !== bob.clientId,
  'connect results must carry two distinct client ids', [alice.clientId, bob.clientId]);

step(`alice subscribes ${channel}`);
// No joinLeave option: join/leave must arrive because the namespace forces them.
const aliceSub = await subscribe(newSubscription(alice, channel));
step(`bob subscribes ${channel}`);
const bobSub = await subscribe(newSubscription(bob, channel));

step('alice receives bob\'s join');
const join = await until(() => aliceSub.joins.find((j) => j.client === bob.clientId), 5000, 'join of bob');
emit('join', join);
check(join.user === 'bob', `join must carry bob's user id, got '${join.user}'`, join);

step('server API publish');
const apiData = { text: 'from the server API', n: 1 };
const published = await apiPublish(channel, apiData);
emit('api_published', published);
check(published.offset > 0, 'a channel with history must report the publication offset', published);
check(published.epoch !== '', 'a channel with history must report the stream epoch', published);
const apiPub = await until(() => aliceSub.publications.find((p) => p.data && p.data.n === 1), 5000,
  'server API publication on alice');
await until(() => bobSub.publications.find((p) => p.data && p.data.n === 1), 5000, 'server API publication on bob');
emit('api_publication', apiPub);
check(JSON.stringify(apiPub.data) === JSON.stringify(apiData), 'publication data must be what was published',
  apiPub);
check(apiPub.offset === published.offset, `publication offset ${apiPub.offset} != API result offset ${published.offset}`);

step('bob publishes from the client');
const clientData = { text: 'hello from bob', n: 2 };
await call('bob publish', bobSub.publish(toWire(clientData)));
const clientPub = await until(() => aliceSub.publications.find((p) => p.data && p.data.n === 2), 5000,
  'bob\'s publication on alice');
emit('client_publication', clientPub);
check(JSON.stringify(clientPub.data) === JSON.stringify(clientData), 'client publication data mismatch', clientPub);
check(clientPub.user === 'bob', `client publication must carry the publisher's user id, got '${clientPub.user}'`);
check(clientPub.client === bob.clientId, 'client publication must carry the publisher\'s client id', clientPub);
check(clientPub.offset === published.offset + 1, 'client publication must take the next offset', clientPub);

step('presence');
const presence = await call('presence', aliceSub.presence());
const presenceClients = Object.entries(presence.clients).map(([id, info]) => ({ id, client: info.client, user: info.user }));
emit('presence', { clients: presenceClients });
const byClient = Object.fromEntries(presenceClients.map((c) => [c.client, c.user]));
check(presenceClients.length === 2, 'presence must list exactly the two subscribed clients', presenceClients);
check(byClient[alice.clientId] === 'alice' && byClient[bob.clientId] === 'bob',
  'presence must map each client id to its user id', presenceClients);

step('presence stats');
const stats = await call('presence stats', aliceSub.presenceStats());
emit('presence_stats', { numClients: stats.numClients, numUsers: stats.numUsers });
check(stats.numClients === 2 && stats.numUsers === 2, 'presence stats must count 2 clients and 2 users', stats);

step('history');
const history = await call('history', aliceSub.history({ limit: 10 }));
const historyPubs = history.publications.map((p) => ({
  data: fromWire(p.data),
  offset: Number(p.offset),
}));
emit('history', { publications: historyPubs, offset: Number(history.offset), epoch: history.epoch });
check(historyPubs.length === 2, 'history must hold the two publications', historyPubs);
check(historyPubs[0].data.n === 1 && historyPubs[1].data.n === 2, 'history must be oldest first', historyPubs);
check(historyPubs[0].offset === published.offset && historyPubs[1].offset === published.offset + 1,
  'history offsets must match the publications', historyPubs);
check(Number(history.offset) === published.offset + 1, 'history must report the stream top offset', history);
check(history.epoch === published.epoch, 'history epoch must be the one the API reported', history);

step('bob leaves');
bobSub.unsubscribe();
const leave = await until(() => aliceSub.leaves.find((l) => l.client === bob.clientId), 5000, 'leave of bob');
emit('leave', leave);
check(leave.user === 'bob', `leave must carry bob's user id, got '${leave.user}'`, leave);
const statsAfter = await until(async () => {
  const s = await call('presence stats', aliceSub.presenceStats());
  return s.numClients === 1 ? s : null;
}, 5000, 'presence stats to drop to one client after bob left');
emit('presence_stats_after_leave', { numClients: statsAfter.numClients, numUsers: statsAfter.numUsers });

bob.disconnect();
alice.disconnect();
done({ scenario: 'basic' });
