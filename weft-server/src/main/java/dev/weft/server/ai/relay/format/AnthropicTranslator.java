package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.server.ai.relay.format.EventJson.text;

/**
 * Anthropic Messages with {@code "stream": true}: {@code message_start} starts the step;
 * {@code content_block_start} of a {@code text} block opens text {@code text-<index>}, of a {@code thinking}
 * block reasoning {@code reasoning-<index>}, of a {@code tool_use} block {@code tool-input-start} ({@code id},
 * {@code name}); {@code content_block_delta} with {@code text_delta}, {@code thinking_delta} or
 * {@code input_json_delta} ({@code partial_json}) → the matching delta; {@code content_block_stop} ends the
 * block ({@code tool-input-available} for a tool call). {@code message_delta}'s {@code stop_reason} (e.g.
 * {@code end_turn}, {@code tool_use}, {@code max_tokens}) is the finish reason; {@code message_stop} finishes.
 * {@code error} fails the relay with the upstream's message; {@code ping}, {@code signature_delta},
 * {@code citations_delta} and blocks of other types (redacted thinking, server tools) carry nothing written here.
 */
final class AnthropicTranslator extends TranslatorState {
    /** What each open content block is, by index: "text", "thinking" or a tool call id. */
    private final Map<Integer, String> blocks = new HashMap<>();

    AnthropicTranslator(int maxEventBytes) {
        super(new SseParser(maxEventBytes), new OpenParts(true));
    }

    @Override
    public void event(UpstreamEvent event, List<byte[]> out) throws MalformedUpstreamException {
        JsonNode e = EventJson.object(event);
        String type = type(e, event);
        switch (type) {
            case "message_start" -> open.startStep(out);
            case "content_block_start" -> {
                int index = e.path("index").asInt();
                JsonNode block = e.path("content_block");
                String kind = text(block, "type");
                if ("tool_use".equals(kind)) {
                    String id = text(block, "id");
                    open.toolStart(id, text(block, "name"), out);
                    blocks.put(index, id);
                } else if ("text".equals(kind) || "thinking".equals(kind)) {
                    blocks.put(index, kind);
                    delta(index, kind, text(block, kind), out);
                }
            }
            case "content_block_delta" -> {
                int index = e.path("index").asInt();
                JsonNode delta = e.path("delta");
                String kind = blocks.get(index);
                switch (String.valueOf(text(delta, "type"))) {
                    case "text_delta" -> delta(index, kind, text(delta, "text"), out);
                    case "thinking_delta" -> delta(index, kind, text(delta, "thinking"), out);
                    case "input_json_delta" -> {
                        if (kind == null || kind.equals("text") || kind.equals("thinking")) {
                            throw new MalformedUpstreamException("upstream sent input_json_delta for block "
                                    + index + ", which is not a tool_use block");
                        }
                        open.toolDelta(kind, text(delta, "partial_json"), out);
                    }
                    default -> {
                        // signature_delta, citations_delta: nothing written here.
                    }
                }
            }
            case "content_block_stop" -> {
                int index = e.path("index").asInt();
                String kind = blocks.remove(index);
                if ("text".equals(kind)) {
                    open.endText("text-" + index, out);
                } else if ("thinking".equals(kind)) {
                    open.endReasoning("reasoning-" + index, out);
                } else if (kind != null) {
                    open.toolEnd(kind, out);
                }
            }
            case "message_delta" -> {
                String reason = text(e.path("delta"), "stop_reason");
                if (reason != null) {
                    reason(reason);
                }
            }
            case "message_stop" -> {
                open.finishStep(out);
                markDone();
            }
            case "error" -> throw new MalformedUpstreamException("upstream error: " + Errors.message(
                    e.has("error") ? e.get("error") : e));
            default -> {
                // ping and events added later.
            }
        }
    }

    private void delta(int index, String kind, String delta, List<byte[]> out) throws MalformedUpstreamException {
        if ("text".equals(kind)) {
            open.text("text-" + index, delta, out);
        } else if ("thinking".equals(kind)) {
            open.reasoning("reasoning-" + index, delta, out);
        } else if (kind == null) {
            throw new MalformedUpstreamException("upstream sent a delta for block " + index + ", never started");
        }
    }

    @Override
    public void end(List<byte[]> out) throws MalformedUpstreamException {
        throw new MalformedUpstreamException("upstream closed the stream before message_stop");
    }
}
