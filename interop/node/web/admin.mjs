// The admin UI (/admin) in headless Chromium against a server with admin.enabled: its endpoints refuse
// requests without the session (401), a wrong password is refused and then throttled (429), the right one
// opens the UI, which shows live stats over SSE; a publish from the API console reaches a real centrifuge
// client, the channels page shows its subscription and presence, the connection inspector finds the
// client's connection, unsubscribes it from a channel and disconnects it; the documents page lists a
// document and downloads its merged update.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Centrifuge } from 'centrifuge';
import { apiCall, check, done, emit, required, sleep, step, until } from '../harness.mjs';
import { base, launch, openPage, screenshot } from './browser.mjs';

const password = required('WEFT_ADMIN_PASSWORD');
const suffix = process.env.WEFT_CHANNEL_SUFFIX || `${process.pid}`;
const channel = `chat:admin-${suffix}`;
const room = `notes-${suffix}`;

step('admin endpoints refuse requests without a session');
const anonymous = {};
for (const [method, path] of [['GET', '/admin/api/stats'], ['POST', '/admin/api/call/info'],
  ['GET', '/admin/api/documents'], ['GET', '/admin/api/session'], ['GET', `/admin/api/docs/${room}`]]) {
  const r = await fetch(`${base}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
  anonymous[path] = r.status;
  check(r.status === 401, `${method} ${path} without a session must be 401, got ${r.status}`);
}
const forged = await fetch(`${base}/admin/api/session`, { headers: { Cookie: 'weft_admin=v1.9999999999.forged' } });
check(forged.status === 401, `a forged session cookie must be 401, got ${forged.status}`);

step('a real client subscribes');
const client = new Centrifuge(required('WEFT_URL'), { websocket: WebSocket, token: required('WEFT_TOKEN') });
const received = [];
let disconnect = null;
let unsubscribed = null;
client.on('disconnected', (ctx) => { disconnect = ctx; });
const sub = client.newSubscription(channel);
sub.on('publication', (ctx) => received.push(ctx.data));
sub.on('unsubscribed', (ctx) => { unsubscribed = ctx; });
sub.subscribe();
const clientId = await new Promise((resolve) => { client.on('connected', (ctx) => resolve(ctx.client)); client.connect(); });
await until(() => sub.state === 'subscribed', 5000, 'the client to be subscribed');
const personal = client.newSubscription(`chat:other-${suffix}`);
personal.subscribe();
await until(() => personal.state === 'subscribed', 5000, 'the second subscription');

step('a document to list');
const ydoc = new Y.Doc();
ydoc.getText('t').insert(0, 'admin sees this');
const update = Y.encodeStateAsUpdate(ydoc);
const posted = await fetch(`${required('WEFT_API_URL')}/docs/${room}`, {
  method: 'POST', headers: { 'X-API-Key': required('WEFT_API_KEY') }, body: update,
});
check(posted.status === 204, `POST /api/docs/${room}: ${posted.status}`);

const browser = await launch();
const { page } = await openPage(browser, 'admin', '/admin');

step('wrong password refused, then throttled');
await page.locator('#password').fill('not-the-password');
await page.locator('#login-form button').click();
await until(async () => (await page.locator('#login-error').textContent()).includes('Wrong password'), 5000, 'the refusal');
const statuses = [];
for (let i = 0; i < 6; i++) {
  const r = await fetch(`${base}/admin/login`, { method: 'POST', body: JSON.stringify({ password: `guess-${i}` }) });
  statuses.push(r.status);
}
check(statuses.slice(0, 4).every((s) => s === 401) && statuses.slice(4).every((s) => s === 429),
  `four more wrong passwords refused (401), then throttled (429): ${statuses}`);
const throttledRight = await fetch(`${base}/admin/login`, { method: 'POST', body: JSON.stringify({ password }) });
check(throttledRight.status === 429, `while throttled even the right password gets 429, got ${throttledRight.status}`);
const retryAfter = Number(throttledRight.headers.get('retry-after'));
check(retryAfter >= 1, `Retry-After ${retryAfter}`);
await page.locator('#password').fill(password);
await page.locator('#login-form button').click();
await until(async () => (await page.locator('#login-error').textContent()).includes('Too many'), 5000, 'the throttled message');
await screenshot(page, 'admin-throttled');
await sleep(retryAfter * 1000 + 200);

step('the right password opens the UI');
await page.locator('#login-form button').click();
await until(() => page.locator('#app').isVisible(), 5000, 'the admin app');
const cookies = await page.context().cookies();
const session = cookies.find((c) => c.name === 'weft_admin');
check(session && session.httpOnly && session.sameSite === 'Strict' && session.path === '/admin',
  'the session cookie is HttpOnly, SameSite=Strict, scoped to /admin', cookies);
check(await page.evaluate(() => document.cookie) === '', 'page scripts cannot read the session cookie');

step('live stats over SSE');
await until(async () => (await page.locator('#live').textContent()) === 'live', 5000, 'the stats stream');
await until(async () => Number(await page.locator('#s-clients').textContent()) >= 1, 5000, 'the client counted');
await until(async () => Number(await page.locator('#s-subscriptions').textContent()) >= 2, 5000, 'its subscriptions');
await until(async () => (await page.locator('#nodes tbody tr').count()) === 1, 5000, 'this node listed');
const publishedBefore = Number(await page.locator('#s-published-total').textContent());
for (let i = 0; i < 20; i++) await apiCall('publish', { channel, data: { seq: i } });
await until(async () => Number(await page.locator('#s-published-total').textContent()) >= publishedBefore + 20, 5000,
  'the API publishes counted on the page');
await until(async () => Number(await page.locator('#s-published').textContent()) > 0, 5000, 'a rate above zero');
await screenshot(page, 'admin-overview');

step('publish from the console reaches the client');
await page.locator('#tabs button[data-tab=console]').click();
await until(async () => (await page.locator('#method option').count()) > 10, 5000, 'the method list');
const methods = await page.locator('#method option').allTextContents();
check(methods.includes('connections') && methods.includes('publish') && methods.includes('batch'),
  `every API method offered: ${methods}`);
await page.locator('#method').selectOption('publish');
await page.locator('#request').fill(JSON.stringify({ channel, data: { text: 'from the admin console' } }));
await page.locator('#send').click();
await until(() => received.some((d) => d.text === 'from the admin console'), 5000, 'the console publish at the client');
// The publication can reach the client before the page has read and shown the HTTP reply.
await until(async () => (await page.locator('#send-status').textContent()).startsWith('HTTP '), 5000,
  'the console shows the reply');
const consoleReply = JSON.parse(await page.locator('#response').textContent());
check(consoleReply.result && Number(consoleReply.result.offset) > 0, 'the console shows the publish result', consoleReply);
await screenshot(page, 'admin-console');

step('channels and presence');
await page.locator('#tabs button[data-tab=channels]').click();
const channelRow = page.locator('#channels tbody tr', { hasText: channel });
await until(() => channelRow.count(), 5000, 'the channel listed');
check((await channelRow.locator('td').nth(1).textContent()) === '1', 'one subscriber');
await channelRow.locator('button').click();
await until(async () => (await page.locator('#presence tbody').textContent()).includes(clientId), 5000, 'presence shows the client');
check((await page.locator('#presence tbody').textContent()).includes('alice'), 'presence shows the user');
await screenshot(page, 'admin-channels');

step('the inspector finds, unsubscribes and disconnects the client');
await page.locator('#tabs button[data-tab=connections]').click();
await page.locator('#conn-user').fill('alice');
await page.locator('#conn-load').click();
const row = page.locator(`#connections tr[data-client="${clientId}"]`);
await until(() => row.count(), 5000, "alice's connection listed");
const listed = await row.textContent();
check(listed.includes(channel) && listed.includes(`chat:other-${suffix}`) && listed.includes('websocket'),
  `the connection shows its transport and both subscriptions: ${listed}`);
await screenshot(page, 'admin-connections');
await row.locator('.pill', { hasText: channel }).locator('a.unsubscribe').click();
await until(() => unsubscribed !== null, 5000, 'the client to be unsubscribed');
await until(async () => !(await row.textContent()).includes(channel), 5000, 'the channel gone from the row');
check(personal.state === 'subscribed', 'the other subscription stays');
await row.locator('button.danger').click();
await until(() => disconnect !== null, 5000, 'the client to be disconnected');
await until(() => row.count().then((n) => n === 0), 5000, 'the connection gone from the list');

step('documents: listed and downloaded');
await page.locator('#tabs button[data-tab=documents]').click();
const docRow = page.locator('#documents tbody tr', { hasText: room });
await until(() => docRow.count(), 5000, 'the document listed');
const [download] = await Promise.all([page.waitForEvent('download'), docRow.locator('a').click()]);
const chunks = [];
for await (const chunk of await download.createReadStream()) chunks.push(chunk);
const downloaded = Buffer.concat(chunks);
const copy = new Y.Doc();
Y.applyUpdate(copy, new Uint8Array(downloaded));
check(copy.getText('t').toString() === 'admin sees this', 'the downloaded merged update holds the document');
await screenshot(page, 'admin-documents');

step('logout ends the session in the page');
await page.locator('#logout').click();
await until(() => page.locator('#login').isVisible(), 5000, 'the login form again');
const after = await page.evaluate(() => fetch('/admin/api/session').then((r) => r.status));
check(after === 401, `after logout the page's requests are 401, got ${after}`);

emit('admin', {
  anonymous, statuses, throttledRight: throttledRight.status, clientId, methods: methods.length,
  disconnectCode: disconnect.code, unsubscribeCode: unsubscribed.code, downloadedBytes: downloaded.length,
});
done({ scenario: 'admin' });
