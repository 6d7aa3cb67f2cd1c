// AI chat: the page asks POST /demo/ai/chat (the demo's stand-in for an application's backend, which starts a
// relay to the model), then reads the answer from /ai/streams/<id> with EventSource: the parts so far as one
// catch-up, then live. The chat and stream ids live in the address, so a reload or a second tab reads the same
// answer again from its start; EventSource resumes a dropped connection by Last-Event-ID. Text deltas are
// collected as they come and painted once per animation frame.

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let chatId = params.get('chat') || '';
let source = null; // the EventSource of the answer being read
let streamId = '';
let text = ''; // the answer as painted
let pending = ''; // deltas received since the last frame
let frameRequested = false;
let deltas = 0;
let frames = 0;
let state = 'idle'; // idle, asking, streaming, finished, stopped, error

// For tests and the curious: what the page holds.
window.aiChat = {
  text: () => text + pending, painted: () => $('answer').textContent, state: () => state,
  streamId: () => streamId, chatId: () => chatId, deltas: () => deltas, frames: () => frames,
};

function setState(next, detail) {
  state = next;
  $('status').textContent = detail ? `${next}: ${detail}` : next;
  $('stop').disabled = next !== 'streaming';
  $('ask').disabled = next === 'asking' || next === 'streaming';
}

function paint() {
  frameRequested = false;
  if (pending) {
    text += pending;
    pending = '';
    $('answer').textContent = text;
    frames++;
    $('stats').textContent = `${deltas} deltas painted in ${frames} frames`;
  }
}

function schedulePaint() {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(paint);
  }
}

function read(id) {
  source?.close();
  streamId = id;
  text = '';
  pending = '';
  deltas = 0;
  frames = 0;
  $('answer').textContent = '';
  $('question').textContent = sessionStorage.getItem(`weft-ai-question:${id}`) ?? '';
  $('channel').textContent = id.slice(id.indexOf('@') + 1);
  setState('streaming');
  source = new EventSource(`/ai/streams/${encodeURIComponent(id)}`);
  source.onmessage = (event) => {
    if (event.data === '[DONE]') {
      source.close();
      return;
    }
    const part = JSON.parse(event.data);
    switch (part.type) {
      case 'text-delta':
        pending += part.delta;
        deltas++;
        schedulePaint();
        break;
      case 'finish': setState('finished'); break;
      case 'abort': setState('stopped'); break;
      case 'error': setState('error', part.errorText); break;
      default: break;
    }
  };
  source.onerror = () => {
    // EventSource reconnects by itself (Last-Event-ID); a closed one was refused (e.g. the stream expired).
    if (source.readyState === EventSource.CLOSED && state === 'streaming') setState('error', 'the answer is gone');
  };
}

async function ask(question) {
  setState('asking');
  const response = await fetch('/demo/ai/chat', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question, chat_id: chatId || undefined }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    setState('error', body.error?.message ?? `HTTP ${response.status}`);
    return;
  }
  chatId = body.chat_id;
  $('text').value = '';
  sessionStorage.setItem(`weft-ai-question:${body.id}`, question);
  history.replaceState(null, '', `?chat=${encodeURIComponent(chatId)}&stream=${encodeURIComponent(body.id)}`);
  read(body.id);
}

$('ask-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const question = $('text').value.trim();
  if (question) ask(question).catch((e) => setState('error', e.message));
});

$('stop').addEventListener('click', async () => {
  const response = await fetch(`/ai/streams/${encodeURIComponent(streamId)}/stop`, { method: 'POST' });
  if (!response.ok) setState('error', `stop answered ${response.status}`);
  // the abort part arrives on the stream and sets the state for this page and every other reader
});

if (params.get('stream')) read(params.get('stream'));
