// Two browser contexts open the chat demo (/demo/chat/, the bundled centrifuge SDK, anonymous
// connections in the demo namespace): each must see the other online (presence, join), see the other
// typing, and receive the other's messages.
import { check, done, emit, step, until } from '../harness.mjs';
import { launch, openPage, screenshot } from './browser.mjs';

const browser = await launch();
const ann = await openPage(browser, 'ann', '/demo/chat/?name=Ann');
const bob = await openPage(browser, 'bob', '/demo/chat/?name=Bob');
const online = (p) => p.page.evaluate(() => window.chat.online());

step('both see each other online');
await until(async () => {
  const [a, b] = [await online(ann), await online(bob)];
  return a.includes('Ann') && a.includes('Bob') && b.includes('Ann') && b.includes('Bob');
}, 15000, 'Ann and Bob online on both pages');

step('Bob sees Ann typing');
await ann.page.locator('#text').pressSequentially('hello Bob', { delay: 30 });
await until(async () => (await bob.page.locator('#typing').textContent()).includes('Ann is typing'), 5000,
  "Bob's page to say Ann is typing");
const typingSeen = await bob.page.locator('#typing').textContent();
check(!(await ann.page.locator('#typing').textContent()).includes('Ann'), 'Ann is not shown her own typing');
await screenshot(bob.page, 'chat-typing');

step('messages both ways');
await ann.page.locator('#send-form button').click();
await bob.page.locator('#text').fill('hi Ann');
await bob.page.locator('#send-form button').click();
const texts = (p) => p.page.evaluate(() => window.chat.messages.map((m) => `${m.name}: ${m.text}`));
await until(async () => {
  const [a, b] = [await texts(ann), await texts(bob)];
  return [a, b].every((list) => list.includes('Ann: hello Bob') && list.includes('Bob: hi Ann'));
}, 10000, 'both messages on both pages');
await until(async () => (await bob.page.locator('#typing').textContent()) === '', 5000,
  'the typing line to clear after Ann sent');

step('a third page gets the history');
const carl = await openPage(browser, 'carl', '/demo/chat/?name=Carl');
await until(async () => (await texts(carl)).includes('Bob: hi Ann'), 10000, 'history on a new page');
await until(async () => (await online(ann)).includes('Carl'), 10000, 'Carl online on Ann\'s page');
await carl.context.close();
await until(async () => !(await online(ann)).includes('Carl'), 10000, 'Carl gone from Ann\'s page (leave)');

const shots = [await screenshot(ann.page, 'chat-ann'), await screenshot(bob.page, 'chat-bob')];
emit('chat', {
  annOnline: await online(ann), bobOnline: await online(bob), annMessages: await texts(ann),
  bobMessages: await texts(bob), typingSeen, screenshots: shots,
});
done({ scenario: 'chat' });
