package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A stream of any other server, SSE ({@code sse}) or one JSON value per line ({@code ndjson}). An event whose
 * data is a JSON object with a UI part {@code type} ({@code text-*}, {@code reasoning-*}, {@code tool-*},
 * {@code source-*}, {@code data-*}, {@code file}, {@code start-step}, {@code finish-step}) is passed on byte for
 * byte — an upstream that already speaks the UI message stream is relayed unchanged; its {@code start} is
 * dropped (the stream writes its own), its {@code finish} finishes (with its {@code finishReason}, if any), its
 * {@code error} fails with its {@code errorText}. {@code [DONE]} finishes. Anything else is text, in one text
 * block {@code text-0}: an SSE event's data as it is, an NDJSON line's string value when it is a JSON string,
 * else the line. The end of the body finishes (these formats have no other end marker).
 */
final class GenericTranslator extends TranslatorState {
    private static final Set<String> PART_TYPES = Set.of("start-step", "finish-step", "file");
    private static final Set<String> PART_PREFIXES = Set.of("text-", "reasoning-", "tool-", "source-", "data-");
    private static final String TEXT_ID = "text-0";

    private final boolean ndjson;

    GenericTranslator(EventParser parser, boolean ndjson) {
        super(parser, new OpenParts(false));
        this.ndjson = ndjson;
    }

    @Override
    public void event(UpstreamEvent event, List<byte[]> out) throws MalformedUpstreamException {
        byte[] data = event.data();
        String text = new String(data, StandardCharsets.UTF_8);
        if (text.equals("[DONE]")) {
            finish(null, out);
            return;
        }
        JsonNode json = json(data);
        if (json != null && json.isObject() && json.get("type") != null && json.get("type").isTextual()) {
            String type = json.get("type").textValue();
            if (isPart(type)) {
                out.add(data);
                return;
            }
            switch (type) {
                case "start" -> {
                    return;
                }
                case "finish" -> {
                    finish(EventJson.text(json, "finishReason"), out);
                    return;
                }
                case "error" -> {
                    String reason = EventJson.text(json, "errorText");
                    throw new MalformedUpstreamException("upstream error: "
                            + Texts.clip(reason == null ? text : reason));
                }
                default -> {
                    // Not a UI part: text like anything else.
                }
            }
        }
        if (ndjson && json != null && json.isTextual()) {
            text = json.textValue();
        }
        open.text(TEXT_ID, text, out);
    }

    private static boolean isPart(String type) {
        if (PART_TYPES.contains(type)) {
            return true;
        }
        for (String prefix : PART_PREFIXES) {
            if (type.startsWith(prefix) && type.length() > prefix.length()) {
                return true;
            }
        }
        return false;
    }

    /** The data as JSON when it looks like a JSON object or string, else null. */
    private static JsonNode json(byte[] data) {
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        if (i == data.length || (data[i] != '{' && data[i] != '"')) {
            return null;
        }
        return EventJson.value(data);
    }

    private void finish(String reason, List<byte[]> out) {
        open.endAll(out);
        reason(reason);
        markDone();
    }

    @Override
    public void end(List<byte[]> out) {
        finish(null, out);
    }
}
