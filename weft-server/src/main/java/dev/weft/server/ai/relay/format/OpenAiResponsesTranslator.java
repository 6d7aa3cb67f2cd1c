package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.server.ai.relay.format.EventJson.text;

/**
 * OpenAI Responses with {@code "stream": true}: SSE events typed by their data's {@code type}.
 * {@code response.output_text.delta} (and {@code response.refusal.delta}) → text with the output item's id
 * ({@code item_id}), ended by {@code response.output_text.done} ({@code response.refusal.done}); {@code response.reasoning_summary_text.delta} → reasoning
 * {@code <item_id>:<summary_index>}, ended by {@code response.reasoning_summary_text.done};
 * {@code response.output_item.added} of a {@code function_call} → {@code tool-input-start} ({@code call_id},
 * {@code name}), {@code response.function_call_arguments.delta} → {@code tool-input-delta},
 * {@code response.output_item.done} of it → {@code tool-input-available}. {@code response.completed} finishes
 * with reason {@code completed}; {@code response.incomplete} finishes with its
 * {@code incomplete_details.reason} (such as {@code max_output_tokens}: the answer so far is kept);
 * {@code response.failed} and {@code error} fail the relay with the upstream's message. Other events
 * (created, in_progress, content_part, web search…) carry nothing for the parts written here.
 */
final class OpenAiResponsesTranslator extends TranslatorState {
    /** Function call ids by output item id (argument deltas name the item). */
    private final Map<String, String> callIds = new HashMap<>();

    OpenAiResponsesTranslator(int maxEventBytes) {
        super(new SseParser(maxEventBytes), new OpenParts(true));
    }

    @Override
    public void event(UpstreamEvent event, List<byte[]> out) throws MalformedUpstreamException {
        JsonNode e = EventJson.object(event);
        String type = type(e, event);
        switch (type) {
            case "response.created", "response.in_progress" -> open.startStep(out);
            case "response.output_text.delta", "response.refusal.delta" -> open.text(itemId(e), text(e, "delta"), out);
            case "response.output_text.done", "response.refusal.done" -> open.endText(itemId(e), out);
            case "response.reasoning_summary_text.delta" -> open.reasoning(summaryId(e), text(e, "delta"), out);
            case "response.reasoning_summary_text.done" -> open.endReasoning(summaryId(e), out);
            case "response.output_item.added" -> {
                JsonNode item = e.path("item");
                if ("function_call".equals(text(item, "type"))) {
                    String callId = text(item, "call_id");
                    callIds.put(text(item, "id"), callId);
                    open.toolStart(callId, text(item, "name"), out);
                }
            }
            case "response.function_call_arguments.delta" ->
                    open.toolDelta(callIds.get(itemId(e)), text(e, "delta"), out);
            case "response.output_item.done" -> {
                JsonNode item = e.path("item");
                String id = text(item, "id");
                String callId = callIds.remove(id);
                if (callId != null) {
                    open.toolEnd(callId, out);
                }
            }
            case "response.completed" -> finish("completed", out);
            case "response.incomplete" -> {
                String reason = text(e.path("response").path("incomplete_details"), "reason");
                finish(reason == null ? "incomplete" : reason, out);
            }
            case "response.failed" -> {
                JsonNode error = e.path("response").path("error");
                throw new MalformedUpstreamException("upstream response failed: "
                        + (error.isMissingNode() || error.isNull() ? "no reason given" : Errors.message(error)));
            }
            case "error" -> throw new MalformedUpstreamException("upstream error: " + Errors.message(
                    e.has("error") ? e.get("error") : e));
            default -> {
                // Events that carry nothing the parts written here hold.
            }
        }
    }

    private static String itemId(JsonNode e) throws MalformedUpstreamException {
        String id = text(e, "item_id");
        if (id == null) {
            throw new MalformedUpstreamException("upstream " + text(e, "type") + " event without item_id");
        }
        return id;
    }

    private static String summaryId(JsonNode e) throws MalformedUpstreamException {
        return itemId(e) + ":" + e.path("summary_index").asInt(0);
    }

    private void finish(String reason, List<byte[]> out) {
        open.finishStep(out);
        reason(reason);
        markDone();
    }

    @Override
    public void end(List<byte[]> out) throws MalformedUpstreamException {
        throw new MalformedUpstreamException("upstream closed the stream before response.completed");
    }
}
