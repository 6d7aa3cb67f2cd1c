// Recovery across a crash of the server, with a real centrifuge-js client. The Java driver runs Weft as a child
// process on the embedded default engine (channel history in SQLite under data_dir) and, once this script says
// `ready`, publishes a stream through the server API, SIGKILLs Weft mid-stream, starts it again on the same data
// directory and publishes a marker ({marker: true}).
//
// The client stays subscribed throughout: the SDK reconnects by itself when Weft is back and resubscribes with
// the position of the last publication it got. It must be told `recovered: true` in the same epoch, and get every
// publication it missed: the driver checks that each publication the API acknowledged arrived exactly once.
import {
  check, connect, done, emit, env, newClient, newSubscription, step, subscribe, until,
} from './lib.mjs';

const channel = process.env.DURABLE_CHANNEL;
check(channel, 'DURABLE_CHANNEL must name the channel');

step('connect');
const client = await connect(newClient('subscriber', env.token));
step(`subscribe ${channel}`);
const sub = await subscribe(newSubscription(client, channel));
const initial = sub.subscribedEvents[0];
check(initial.recoverable === true, 'force_recovery must make the subscription recoverable', initial);
emit('ready', {
  epoch: initial.streamPosition ? initial.streamPosition.epoch : null,
  offset: initial.streamPosition ? Number(initial.streamPosition.offset) : null,
});

step('wait for the marker published after the restart');
await until(() => sub.publications.some((p) => p.data.marker === true), env.timeoutMs - 5000,
  'the marker publication after the restart');
const resubscribes = sub.subscribedEvents.slice(1);
emit('result', {
  resubscribes: resubscribes.map((ctx) => ({
    wasRecovering: ctx.wasRecovering,
    recovered: ctx.recovered,
    epoch: ctx.streamPosition ? ctx.streamPosition.epoch : null,
    offset: ctx.streamPosition ? Number(ctx.streamPosition.offset) : null,
  })),
  offsets: sub.publications.map((p) => p.offset),
  seqs: sub.publications.filter((p) => p.data.marker !== true).map((p) => p.data.seq),
});
client.disconnect();
done({ scenario: 'durable_restart' });
