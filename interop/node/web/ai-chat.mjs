// The ai-chat demo (/demo/ai-chat/) in headless Chromium. On WEFT_BASE_URL (the server's own fake model):
// Ann asks, Bob opens the same address in a second tab mid-answer, Ann reloads mid-answer; both pages end with
// the fake model's whole answer (WEFT_ANSWER) exactly once. On WEFT_STOP_BASE_URL (the demo upstream is the
// test's fake model, which reports the closed connection itself): Carl asks and presses Stop mid-answer; the
// page shows the answer stopped and it grows no more.
import { check, done, emit, required, sleep, step, until } from '../harness.mjs';
import { launch, openPage, screenshot } from './browser.mjs';

const answer = required('WEFT_ANSWER');
const stopBase = required('WEFT_STOP_BASE_URL');
const browser = await launch();
const chat = (p) => p.page.evaluate(() => ({
  state: window.aiChat.state(), text: window.aiChat.text(), painted: window.aiChat.painted(),
  deltas: window.aiChat.deltas(), frames: window.aiChat.frames(), streamId: window.aiChat.streamId(),
})).catch(() => ({ state: 'loading', text: '', painted: '' }));

step('Ann asks');
const ann = await openPage(browser, 'ann', '/demo/ai-chat/');
await ann.page.locator('#text').fill('What does Weft do with this answer?');
await ann.page.locator('#ask').click();
await until(async () => (await chat(ann)).text.length > 20, 10000, 'the first words on Ann\'s page');
const url = ann.page.url();
check(/[?&]stream=/.test(url), 'the stream is in the address', { url });

step('Bob opens the same address in a second tab');
const bob = await openPage(browser, 'bob', url.slice(url.indexOf('/demo/')));

step('Ann reloads mid-answer');
const beforeReload = await chat(ann);
check(beforeReload.state === 'streaming', 'the answer is still coming before the reload', beforeReload);
await ann.page.reload();
await until(async () => (await chat(ann)).text.length > 0, 10000, 'text on the reloaded page');
const afterReload = await chat(ann);
check(afterReload.state === 'streaming', 'the reloaded page goes on live (the answer had not ended)', afterReload);

step('both pages end with the whole answer once');
for (const p of [ann, bob]) {
  await until(async () => { const c = await chat(p); return c.state !== 'streaming' && c.painted === c.text; },
    30000, 'the answer to end and be painted');
}
const [annEnd, bobEnd] = [await chat(ann), await chat(bob)];
for (const [name, end] of [['Ann', annEnd], ['Bob', bobEnd]]) {
  check(end.state === 'finished', `${name}'s answer finished`, end);
  check(end.painted === answer, `${name}'s page shows the whole answer exactly once`,
    { painted: end.painted, expected: answer });
}
const reloaded = await screenshot(ann.page, 'ai-chat-reloaded');

step('Carl stops an answer');
const carl = await openPage(browser, 'carl', '/demo/ai-chat/');
await carl.page.goto(`${stopBase}/demo/ai-chat/`);
await carl.page.locator('#text').fill('Tell me a long story');
await carl.page.locator('#ask').click();
await until(async () => (await chat(carl)).text.length > 10, 10000, 'the first words on Carl\'s page');
await carl.page.locator('#stop').click();
await until(async () => (await chat(carl)).state === 'stopped', 10000, 'Carl\'s page to show the answer stopped');
const atStop = await chat(carl);
await sleep(1000);
const later = await chat(carl);
check(later.text === atStop.text, 'a stopped answer grows no more', { atStop: atStop.text, later: later.text });
check(later.text.length < answer.length && answer.startsWith(later.text), 'the stopped answer is a prefix',
  { text: later.text });
const stopped = await screenshot(carl.page, 'ai-chat-stopped');

emit('aiChat', {
  annDeltas: annEnd.deltas, annFrames: annEnd.frames, bobDeltas: bobEnd.deltas, bobFrames: bobEnd.frames,
  beforeReloadLength: beforeReload.text.length, stoppedLength: later.text.length,
  stoppedStatus: await carl.page.locator('#status').textContent(), stopStream: later.streamId,
  screenshots: [reloaded, stopped],
});
done({ scenario: 'ai-chat' });
