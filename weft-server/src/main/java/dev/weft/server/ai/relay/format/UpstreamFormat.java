package dev.weft.server.ai.relay.format;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The formats a relay reads, by the name an upstream description gives ({@code "format"}). */
public enum UpstreamFormat {
    OPENAI_CHAT("openai-chat"),
    OPENAI_RESPONSES("openai-responses"),
    ANTHROPIC("anthropic"),
    SSE("sse"),
    NDJSON("ndjson");

    private final String key;

    UpstreamFormat(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Whether the upstream streams only when its request body says {@code "stream": true}. */
    public boolean needsStreamFlag() {
        return this == OPENAI_CHAT || this == OPENAI_RESPONSES || this == ANTHROPIC;
    }

    /** A new translator for one response. {@code maxEventBytes} bounds one line and one event. */
    public Translator translator(int maxEventBytes) {
        return switch (this) {
            case OPENAI_CHAT -> new OpenAiChatTranslator(maxEventBytes);
            case OPENAI_RESPONSES -> new OpenAiResponsesTranslator(maxEventBytes);
            case ANTHROPIC -> new AnthropicTranslator(maxEventBytes);
            case SSE -> new GenericTranslator(new SseParser(maxEventBytes), false);
            case NDJSON -> new GenericTranslator(new NdjsonParser(maxEventBytes), true);
        };
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static UpstreamFormat of(String key) {
        for (UpstreamFormat f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format \"" + key + "\"; one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(UpstreamFormat::key).collect(Collectors.joining(", "));
    }
}
