// Plumbing for the centrifuge-js scenarios: the SDK build for the requested format, the client's
// transport (WebSocket or an emulation transport), and clients that fail the scenario on anything
// unexpected. The result-line contract, checks, deadline and server-API calls live in harness.mjs
// (re-exported here).
import WebSocket from 'ws';
import { EventSource } from 'eventsource';

import { call, check, configure, describe, fail, required } from './harness.mjs';

export {
  apiCall, apiPublish, call, check, describe, done, emit, fail, sleep, step, until,
} from './harness.mjs';

export const env = {
  url: required('WEFT_URL'),              // ws://127.0.0.1:PORT/connection/websocket
  apiUrl: required('WEFT_API_URL'),       // http://127.0.0.1:PORT/api
  apiKey: required('WEFT_API_KEY'),
  token: required('WEFT_TOKEN'),          // first user's connection JWT
  token2: process.env.WEFT_TOKEN_2 || '', // second user's connection JWT (scenarios with two users)
  format: process.env.FORMAT || 'json',
  // websocket | http_stream | sse: the last two are Centrifugo's bidirectional emulation (a streamed
  // response for server-to-client, POST /emulation for client-to-server), as the SDK's `transports` array.
  transport: process.env.WEFT_TRANSPORT || 'websocket',
  timeoutMs: Number(process.env.WEFT_TIMEOUT_MS || 60000),
  channelSuffix: process.env.WEFT_CHANNEL_SUFFIX || `${process.pid}`,
};

if (env.format !== 'json' && env.format !== 'protobuf') {
  console.error(`FAIL: FORMAT must be json or protobuf, got '${env.format}'`);
  process.exit(2);
}
if (!['websocket', 'http_stream', 'sse'].includes(env.transport)) {
  console.error(`FAIL: WEFT_TRANSPORT must be websocket, http_stream or sse, got '${env.transport}'`);
  process.exit(2);
}
if (env.transport === 'sse' && env.format === 'protobuf') {
  // The SDK's SSE transport reads EventSource text: JSON only, as in Centrifugo.
  console.error('FAIL: the sse transport carries JSON only');
  process.exit(2);
}
// http://127.0.0.1:PORT, the base of the emulation endpoints.
const httpBase = env.url.replace(/^ws/, 'http').replace(/\/connection\/websocket$/, '');

// The protobuf build is a separate entry point of the same package: it exports a Centrifuge subclass
// whose codec is ProtobufCodec, and its WebSocket transport then opens the socket with the
// 'centrifuge-protobuf' subprotocol (binaryType 'arraybuffer'). The URL is the same for both formats.
const sdk = env.format === 'protobuf'
  ? await import('centrifuge/build/protobuf')
  : await import('centrifuge');
export const { Centrifuge } = sdk;

configure({ name: `${env.transport}/${env.format}`, fields: { format: env.format, transport: env.transport } });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Publication data as the SDK wants it: a JSON value, or its UTF-8 bytes for protobuf. */
export function toWire(value) {
  return env.format === 'protobuf' ? encoder.encode(JSON.stringify(value)) : value;
}

/** The JSON value carried by a publication, whatever the format. */
export function fromWire(data) {
  // The shape of the data proves which codec the SDK runs: bytes only come out of the protobuf one.
  check((data instanceof Uint8Array) === (env.format === 'protobuf'),
    `publication data arrived as ${data instanceof Uint8Array ? 'bytes' : typeof data}, not as ${env.format} carries it`);
  if (env.format === 'protobuf') {
    const text = decoder.decode(data);
    try {
      return JSON.parse(text);
    } catch (e) {
      fail(`protobuf publication data is not the JSON that was published: ${text}`);
    }
  }
  return data;
}

/**
 * A client that fails the scenario on anything unexpected: a disconnect it did not ask for, a
 * subscription that ends with an error code. Progress and SDK errors go to stderr. `extraOptions` are
 * further Centrifuge options (e.g. getToken); `url` is the WebSocket endpoint (another node's, or a proxy's).
 */
export function newClient(label, token, extraOptions = {}, url = env.url) {
  const options = {
    ...extraOptions,
    token,
    name: 'weft-interop',
    timeout: 5000,
    minReconnectDelay: 100,
    maxReconnectDelay: 1000,
  };
  let endpoint = url;
  if (env.transport === 'websocket') {
    options.websocket = WebSocket;
  } else {
    // Only the chosen transport, so a failure cannot hide behind a fallback to another one.
    endpoint = [{ transport: env.transport, endpoint: `${httpBase}/connection/${env.transport}` }];
    options.emulationEndpoint = `${httpBase}/emulation`;
    options.eventsource = EventSource; // Node 20 has fetch and ReadableStream, but no EventSource
  }
  const client = new Centrifuge(endpoint, options);
  client.label = label;
  client.clientId = '';
  client.on('connecting', (ctx) => console.error(`${label}: connecting (${ctx.code} ${ctx.reason})`));
  client.transports = [];
  client.on('connected', (ctx) => {
    client.clientId = ctx.client;
    client.transports.push(ctx.transport);
    console.error(`${label}: connected as ${ctx.client} over ${ctx.transport}`);
    if (ctx.transport !== env.transport) {
      fail(`${label} connected over ${ctx.transport}, not ${env.transport}`);
    }
  });
  client.on('disconnected', (ctx) => {
    if (ctx.code !== 0) {
      fail(`${label} was disconnected by the server: code ${ctx.code} '${ctx.reason}'`);
    }
    console.error(`${label}: disconnected (${ctx.reason})`);
  });
  client.on('error', (ctx) => console.error(`${label}: client error ${ctx.type}: ${describe(ctx.error)}`));
  return client;
}

/** Connects and resolves once connected; fails the scenario if that takes longer than 10 s. */
export async function connect(client) {
  client.connect();
  await call(`${client.label} connect`, client.ready(10000));
  return client;
}

/** A subscription that records publications/joins/leaves/subscribed events as they arrive. */
export function newSubscription(client, channel, options = {}) {
  const sub = client.newSubscription(channel, options);
  sub.publications = [];
  sub.joins = [];
  sub.leaves = [];
  sub.subscribedEvents = [];
  sub.on('subscribing', (ctx) => console.error(`${client.label}: subscribing ${channel} (${ctx.code} ${ctx.reason})`));
  sub.on('subscribed', (ctx) => {
    console.error(`${client.label}: subscribed ${channel} ${JSON.stringify(ctx)}`);
    sub.subscribedEvents.push(ctx);
  });
  sub.on('unsubscribed', (ctx) => {
    if (ctx.code !== 0) {
      fail(`${client.label}: subscription to ${channel} ended with code ${ctx.code} '${ctx.reason}'`);
    }
  });
  sub.on('error', (ctx) => console.error(`${client.label}: subscription ${channel} error ${ctx.type}: ${describe(ctx.error)}`));
  sub.on('publication', (ctx) => sub.publications.push({
    data: fromWire(ctx.data),
    offset: ctx.offset === undefined ? null : Number(ctx.offset),
    user: ctx.info ? ctx.info.user : null,
    client: ctx.info ? ctx.info.client : null,
  }));
  sub.on('join', (ctx) => sub.joins.push({ user: ctx.info.user, client: ctx.info.client }));
  sub.on('leave', (ctx) => sub.leaves.push({ user: ctx.info.user, client: ctx.info.client }));
  return sub;
}

/** Subscribes and resolves once subscribed; fails the scenario after 10 s. */
export async function subscribe(sub) {
  sub.subscribe();
  await call(`subscribe to ${sub.channel}`, sub.ready(10000));
  return sub;
}
