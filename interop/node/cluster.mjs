// Several Weft nodes sharing one engine (Redis or NATS), with real centrifuge-js clients spread over them
// through the driver's TCP proxy (CLUSTER_URLS: one proxy front port per node; a port whose node is cut leads
// to a surviving node). The Java driver (ClusterInteropTest) publishes through the server API of the nodes in
// turn and kills nodes; this script records what every client sees.
//
// 1. CLUSTER_CLIENTS clients (users u0, u1, …), client i through port i % nodes, each subscribed to
//    CLUSTER_CHANNEL (presence, forced join/leave, history, force_recovery). Checked here: u0 (node 0) is told
//    of every other client's join, presence asked from u0 lists every client (those on the last node too), and
//    a client that subscribes on the last node and leaves is seen joining and leaving by u0 and u1.
// 2. `ready`: the driver publishes {seq} 20/s, SIGKILLs one node mid-stream (and cuts it in the proxy), keeps
//    publishing on the survivors, then publishes {end: 1}. Every client's publications, offsets, resubscribes
//    and reconnect times are printed (`phase1`, one line per client), then `restart_me`.
// 3. The driver publishes again, SIGKILLs every node, starts them all again, publishes more and {end: 2}.
//    Per-client `phase2` lines; then a new client subscribes with the position u0 had at `restart_me`
//    (`since`) and must be told `recovered: true` and get everything after it (`fresh`).
// The driver checks the publications against what the API acknowledged.
import {
  call, check, connect, done, emit, newClient, newSubscription, step, subscribe, until,
} from './lib.mjs';
import { required } from './harness.mjs';

const urls = required('CLUSTER_URLS').split(',');
const tokens = JSON.parse(required('CLUSTER_TOKENS'));
const channel = required('CLUSTER_CHANNEL');
const CLIENTS = Number(process.env.CLUSTER_CLIENTS || 6);
const lastNode = urls.length - 1;

/** Times every reconnect: from the SDK losing its transport to the channel being subscribed again. */
function timeReconnects(client, sub) {
  let lostAt = null;
  sub.reconnects = [];
  client.on('connecting', (ctx) => {
    if (ctx.code !== 0 && lostAt === null) {
      lostAt = Date.now();
    }
  });
  sub.on('subscribed', (ctx) => {
    if (lostAt !== null) {
      sub.reconnects.push({
        ms: Date.now() - lostAt,
        wasRecovering: ctx.wasRecovering,
        recovered: ctx.recovered,
        epoch: ctx.streamPosition ? ctx.streamPosition.epoch : null,
      });
      lostAt = null;
    }
  });
}

step('connect and subscribe');
const members = [];
for (let i = 0; i < CLIENTS; i++) {
  const user = `u${i}`;
  const node = i % urls.length;
  const client = await connect(newClient(user, tokens[user], {}, urls[node]));
  const sub = newSubscription(client, channel);
  timeReconnects(client, sub);
  await subscribe(sub);
  check(sub.subscribedEvents[0].recoverable === true, `${user}: the subscription must be recoverable`,
    sub.subscribedEvents[0]);
  members.push({ user, node, client, sub });
}
const epoch = members[0].sub.subscribedEvents[0].streamPosition.epoch;
const [first, second] = members;

step('joins seen across nodes');
for (const m of members.slice(1)) {
  await until(() => first.sub.joins.some((j) => j.client === m.client.clientId), 10000,
    `u0 (node 0) to see ${m.user} (node ${m.node}) join`);
}

step('presence across nodes');
const expected = members.map((m) => m.client.clientId).sort();
const presence = await until(async () => {
  const p = await call('presence', first.sub.presence());
  const ids = Object.values(p.clients).map((c) => c.client).sort();
  return JSON.stringify(ids) === JSON.stringify(expected) ? p : null;
}, 10000, 'presence from u0 (node 0) to list every client');
const listed = Object.values(presence.clients).map((c) => ({ user: c.user, client: c.client }));
const onLastNode = members.filter((m) => m.node === lastNode).map((m) => m.user);
check(onLastNode.length > 0 && onLastNode.every((u) => listed.some((c) => c.user === u)),
  `presence from node 0 must list the clients on node ${lastNode}`, { listed, onLastNode });
emit('presence', { askedOnNode: 0, clients: listed });

step('join and leave of a client on the last node');
const visitor = await connect(newClient('visitor', tokens.visitor, {}, urls[lastNode]));
const visit = await subscribe(newSubscription(visitor, channel));
for (const m of [first, second]) {
  await until(() => m.sub.joins.some((j) => j.client === visitor.clientId), 10000,
    `${m.user} (node ${m.node}) to see the visitor join`);
}
visit.unsubscribe();
for (const m of [first, second]) {
  await until(() => m.sub.leaves.some((l) => l.client === visitor.clientId), 10000,
    `${m.user} (node ${m.node}) to see the visitor leave`);
}
visitor.disconnect();
emit('join_leave', { visitorNode: lastNode, seenBy: [first.user, second.user] });

/** One line per client: what it received so far, its resubscribes and reconnect times. */
async function report(event, when) {
  // A figure, not a check: a SIGKILLed node cannot take its clients out of presence, so they stay listed
  // until their entries expire (60 s), next to the same users' new connections.
  const p = await call('presence', first.sub.presence());
  emit('presence_now', { when, listed: Object.keys(p.clients).length });
  for (const m of members) {
    emit(event, {
      user: m.user,
      node: m.node,
      offsets: m.sub.publications.map((p) => p.offset),
      seqs: m.sub.publications.filter((p) => p.data.seq !== undefined).map((p) => p.data.seq),
      resubscribes: m.sub.subscribedEvents.slice(1).map((ctx) => ({
        wasRecovering: ctx.wasRecovering,
        recovered: ctx.recovered,
        epoch: ctx.streamPosition ? ctx.streamPosition.epoch : null,
      })),
      reconnects: m.sub.reconnects,
    });
  }
}

async function allSee(end, timeoutMs) {
  for (const m of members) {
    await until(() => m.sub.publications.some((p) => p.data.end === end), timeoutMs,
      `${m.user} to receive the end marker ${end} (has ${m.sub.publications.length})`);
  }
}

emit('ready', { epoch, clients: members.map((m) => ({ user: m.user, node: m.node, client: m.client.clientId })) });

step('publications while one node is killed');
await allSee(1, 40000);
await report('phase1', 'after node 1 was killed');
const last = first.sub.publications.at(-1);
const since = { offset: last.offset, epoch };
emit('restart_me', { since });

step('publications across a restart of every node');
await allSee(2, 90000); // three JVMs restarting on a busy machine can take half a minute
await report('phase2', 'after every node was restarted');

step('a new client recovers from the position u0 had before the restart');
const fresh = await connect(newClient('fresh', tokens.fresh, {}, urls[0]));
const freshSub = newSubscription(fresh, channel, { since });
await subscribe(freshSub);
const ctx = freshSub.subscribedEvents[0];
await until(() => freshSub.publications.some((p) => p.data.end === 2), 10000, 'the new client to get the end marker 2');
emit('fresh', {
  since,
  wasRecovering: ctx.wasRecovering,
  recovered: ctx.recovered,
  epoch: ctx.streamPosition ? ctx.streamPosition.epoch : null,
  offsets: freshSub.publications.map((p) => p.offset),
  seqs: freshSub.publications.filter((p) => p.data.seq !== undefined).map((p) => p.data.seq),
});
fresh.disconnect();
members.forEach((m) => m.client.disconnect());
done({ scenario: 'cluster' });
