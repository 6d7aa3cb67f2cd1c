// The SDK's getState flow (stream state loaded by the app) against a failed recovery, in the "rec"
// namespace (history 100): the first getState returns a position that history no longer covers (150
// publications later), so the subscribe (flag reject-unrecovered) must be refused with 112; the SDK then calls
// getState again, gets the current position, and subscribes recovering nothing — never with a silent gap.
import {
  apiCall, apiPublish, check, connect, done, emit, env, newClient, newSubscription, step, subscribe,
} from './lib.mjs';

const channel = `rec:state-${env.channelSuffix}`;

step('publish 1, then 150 more (beyond history_size 100)');
const stale = await apiPublish(channel, { n: 0 });
for (let n = 1; n <= 150; n++) {
  await apiPublish(channel, { n });
}

const positions = [];
const errors = [];
async function getState() {
  if (positions.length === 0) {
    positions.push(stale);
    return { offset: stale.offset, epoch: stale.epoch };
  }
  const top = await apiCall('history', { channel, limit: 0 });
  const position = { offset: Number(top.offset), epoch: top.epoch };
  positions.push(position);
  return position;
}

step('subscribe with getState');
const client = await connect(newClient('state', env.token));
const sub = newSubscription(client, channel, { getState });
sub.on('error', (ctx) => errors.push(ctx.error.code));
await subscribe(sub);
const subscribed = sub.subscribedEvents.at(-1);
const live = await apiPublish(channel, { n: 151 });
await new Promise((resolve) => {
  const poll = setInterval(() => { if (sub.publications.length > 0) { clearInterval(poll); resolve(); } }, 20);
});
check(positions.length === 2, 'getState must be called again after the refused recovery', positions);
emit('getstate', {
  calls: positions.length,
  staleOffset: stale.offset,
  reloadedOffset: positions[1].offset,
  recovered: subscribed.recovered,
  errors,
  firstLiveOffset: sub.publications[0].offset,
  publishedLiveOffset: live.offset,
});
client.disconnect();
done();
