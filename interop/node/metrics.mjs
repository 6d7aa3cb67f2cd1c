// /metrics read by a Prometheus text-format parser nobody here wrote (parse-prometheus-text-format), before
// and after real traffic from the centrifuge-js SDK: the exposition must parse, and the counters must move
// by what the traffic did (a connection opened and closed by the server with code 4501, a publication sent
// over the server API and delivered to the subscriber).
import parse from 'parse-prometheus-text-format';

import { required } from './harness.mjs';
import {
  apiCall, apiPublish, check, connect, done, emit, env, newClient, newSubscription, step, subscribe, until,
} from './lib.mjs';

const metricsUrl = required('WEFT_METRICS_URL');

async function scrape() {
  const response = await fetch(metricsUrl);
  check(response.status === 200, `GET /metrics answered ${response.status}`);
  const type = response.headers.get('content-type') || '';
  check(type.startsWith('text/plain'), `content type ${type}`);
  const families = parse(await response.text());
  check(families.length > 0, 'no metric families parsed');
  return families;
}

/**
 * The sum of the samples (a histogram's: their counts) of family `name` whose labels include `labels`; meters
 * are created by their first event, so a family may be absent before the traffic (`absentIsZero`).
 */
function value(families, name, labels = {}, absentIsZero = false) {
  const family = families.find((f) => f.name === name);
  if (family === undefined && absentIsZero) {
    return 0;
  }
  check(family !== undefined, `metric family ${name} missing`);
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels && m.labels[k] === v))
    .reduce((sum, m) => sum + Number(m.value !== undefined ? m.value : m.count), 0);
}

step('scrape before');
const before = await scrape();
for (const f of before) {
  check(['COUNTER', 'GAUGE', 'HISTOGRAM', 'SUMMARY', 'UNTYPED'].includes(f.type), `family ${f.name} type ${f.type}`);
}

step('connect, subscribe, receive one publication over the API');
const channel = `chat:metrics-${env.channelSuffix}`;
const client = await connect(newClient('alice', env.token));
const received = [];
const sub = newSubscription(client, channel);
sub.on('publication', (ctx) => received.push(ctx.data));
await subscribe(sub);
await apiPublish(channel, { n: 1 });
await until(() => received.length === 1, 10000, 'the publication');

step('server disconnects the client for good (code 4501)');
client.removeAllListeners('disconnected'); // this disconnect is expected: the scenario asks for it
let closeCode = 0;
client.on('disconnected', (ctx) => { closeCode = ctx.code; });
await apiCall('disconnect', { user: 'alice', disconnect: { code: 4501, reason: 'metrics test' } });
await until(() => client.state === 'disconnected', 10000, 'the disconnect');
check(closeCode === 4501, `closed with ${closeCode}, not 4501`);

step('scrape after');
const after = await scrape();
const moved = (name, labels) => value(after, name, labels) - value(before, name, labels, true);
const ws = { transport: 'websocket' };
const deltas = {
  opened: moved('weft_client_connections_opened_total', ws),
  disconnects4501: moved('weft_client_disconnects_total', { code: '4501' }),
  messagesSent: moved('weft_transport_messages_sent_total', ws),
  receivedBytes: moved('weft_transport_received_bytes_total', ws),
};
emit('deltas', deltas);
check(deltas.opened === 1, 'one websocket connection opened', deltas);
check(deltas.disconnects4501 === 1, 'one disconnect with code 4501', deltas);
check(deltas.receivedBytes > 0, 'the connect and subscribe commands counted as received bytes', deltas);
check(deltas.messagesSent >= 3, 'connect reply, subscribe reply and the publication sent', deltas);
check(value(after, 'weft_client_connections', ws) === 0, 'no websocket connection left open');
done({ scenario: 'metrics', families: after.length });
