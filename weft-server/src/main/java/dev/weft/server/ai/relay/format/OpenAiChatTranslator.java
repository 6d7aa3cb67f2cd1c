package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.server.ai.relay.format.EventJson.text;

/**
 * OpenAI Chat Completions with {@code "stream": true} (and the many servers that copy it): SSE events whose data
 * is a {@code chat.completion.chunk}, ended by {@code data: [DONE]}. Of {@code choices[0].delta}:
 * {@code content} (or {@code refusal}: the model's refusal is what the user reads) → text {@code text-N};
 * {@code reasoning_content} (or {@code reasoning}, as some compatible
 * servers name it) → reasoning {@code reasoning-N}; {@code tool_calls[]} → {@code tool-input-start} (on the
 * delta carrying {@code id} and {@code function.name}), {@code tool-input-delta} per {@code function.arguments}
 * piece, {@code tool-input-available} when the choice finishes. {@code finish_reason} is the finish reason. An
 * {@code {"error": {...}}} event fails the relay with its message. Other choices ({@code n > 1}) are ignored.
 */
final class OpenAiChatTranslator extends TranslatorState {
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** Tool call ids by their index in {@code tool_calls} (later deltas carry only the index). */
    private final Map<Integer, String> toolIds = new HashMap<>();
    private String textId;
    private String reasoningId;
    private int blocks;

    OpenAiChatTranslator(int maxEventBytes) {
        super(new SseParser(maxEventBytes), new OpenParts(true));
    }

    @Override
    public void event(UpstreamEvent event, List<byte[]> out) throws MalformedUpstreamException {
        if (java.util.Arrays.equals(event.data(), DONE)) {
            open.finishStep(out);
            markDone();
            return;
        }
        JsonNode chunk = EventJson.object(event);
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw new MalformedUpstreamException("upstream error: " + Errors.message(error));
        }
        open.startStep(out);
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.path("index").asInt(0) != 0) {
            return;
        }
        JsonNode delta = choice.path("delta");
        String reasoning = text(delta, "reasoning_content");
        reasoning = reasoning != null ? reasoning : text(delta, "reasoning");
        if (reasoning != null && !reasoning.isEmpty()) {
            if (reasoningId == null) {
                open.endBlocks(out);
                textId = null;
                reasoningId = "reasoning-" + blocks++;
            }
            open.reasoning(reasoningId, reasoning, out);
        }
        String content = text(delta, "content");
        content = content != null ? content : text(delta, "refusal");
        if (content != null && !content.isEmpty()) {
            if (textId == null) {
                open.endBlocks(out);
                reasoningId = null;
                textId = "text-" + blocks++;
            }
            open.text(textId, content, out);
        }
        JsonNode calls = delta.path("tool_calls");
        for (JsonNode call : calls) {
            toolCall(call, out);
        }
        String finish = text(choice, "finish_reason");
        if (finish != null) {
            reason(finish);
            open.endAll(out);
            textId = null;
            reasoningId = null;
        }
    }

    private void toolCall(JsonNode call, List<byte[]> out) throws MalformedUpstreamException {
        int index = call.path("index").asInt(0);
        JsonNode function = call.path("function");
        String id = text(call, "id");
        if (id != null && !open.toolOpen(id)) {
            open.endBlocks(out);
            textId = null;
            reasoningId = null;
            toolIds.put(index, id);
            open.toolStart(id, text(function, "name"), out);
        }
        String callId = toolIds.get(index);
        if (callId == null) {
            throw new MalformedUpstreamException("upstream sent tool call arguments before the call's id");
        }
        open.toolDelta(callId, text(function, "arguments"), out);
    }

    /** Some compatible servers end without {@code [DONE]}: a finished choice is then a complete answer. */
    @Override
    public void end(List<byte[]> out) throws MalformedUpstreamException {
        if (finishReason() == null) {
            throw new MalformedUpstreamException("upstream closed the stream before the answer finished");
        }
        open.finishStep(out);
        markDone();
    }
}
