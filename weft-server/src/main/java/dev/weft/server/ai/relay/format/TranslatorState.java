package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every translator keeps besides its format's own state: the body's parser, the parts open towards the
 * reader, and whether and why the upstream finished. Not thread-safe, as {@link Translator}.
 */
abstract class TranslatorState implements Translator {
    private final EventParser parser;
    /** The parts open towards the reader. */
    final OpenParts open;
    private String finishReason;
    private boolean done;

    TranslatorState(EventParser parser, OpenParts open) {
        this.parser = parser;
        this.open = open;
    }

    @Override
    public final EventParser parser() {
        return parser;
    }

    @Override
    public final boolean done() {
        return done;
    }

    @Override
    public final String finishReason() {
        return finishReason;
    }

    /** Keeps the upstream's finish reason (null: none given). */
    final void reason(String reason) {
        finishReason = reason;
    }

    /** The upstream said its answer is complete. */
    final void markDone() {
        done = true;
    }

    /** An event's type: its JSON {@code type}, else the SSE event name, else empty. */
    static String type(JsonNode e, UpstreamEvent event) {
        String type = EventJson.text(e, "type");
        if (type != null) {
            return type;
        }
        return event.type() == null ? "" : event.type();
    }
}
