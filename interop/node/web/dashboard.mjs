// The live dashboard demo (/demo/dashboard/) against a real change stream: once the page is subscribed it
// says "ready", the test inserts metric rows and inserts, updates and deletes orders in Postgres, and the
// page's chart and table must follow. A page opened afterwards shows the same from the channels' history.
import { check, done, emit, step, until } from '../harness.mjs';
import { launch, openPage, screenshot } from './browser.mjs';

const METRICS = 20; // the test inserts values 1.5, 3.0, … 30.0
const browser = await launch();
const live = await openPage(browser, 'live', '/demo/dashboard/');
await until(async () => (await live.page.locator('#status').textContent()) === 'connected', 15000, 'connected');
await live.page.waitForTimeout(500); // both subscriptions in place
const lineBefore = await live.page.locator('#line').getAttribute('points');
emit('ready');

step('the chart moves as metric rows are inserted');
const points = (p) => p.page.evaluate(() => window.dashboard.points.map((x) => x.value));
await until(async () => (await points(live)).length >= METRICS, 20000, `${METRICS} points on the chart`);
const values = await points(live);
check(values.at(-1) === 30, 'the last point is the last row', values);
const lineAfter = await live.page.locator('#line').getAttribute('points');
check(lineAfter.split(' ').length === METRICS && lineAfter !== lineBefore, 'the polyline was redrawn', lineAfter);

step('the orders table follows inserts, updates and deletes');
const rows = (p) => p.page.evaluate(() => [...document.querySelectorAll('#orders tr')]
  .map((tr) => [...tr.children].slice(0, 4).map((td) => td.textContent).join('|')));
const expected = ['1|ann|new|10.00', '2|bob|shipped|20.00'];
await until(async () => JSON.stringify(await rows(live)) === JSON.stringify(expected), 20000,
  'orders 1 (new) and 2 (shipped), 3 deleted');
await screenshot(live.page, 'dashboard-live');

step('a page opened later shows the same from history');
const later = await openPage(browser, 'later', '/demo/dashboard/');
await until(async () => JSON.stringify(await rows(later)) === JSON.stringify(expected), 15000,
  'the orders on the later page');
await until(async () => (await points(later)).length === METRICS, 15000, 'the points on the later page');
await screenshot(later.page, 'dashboard-later');

emit('dashboard', { values, orders: await rows(live), laterOrders: await rows(later) });
done({ scenario: 'dashboard' });
