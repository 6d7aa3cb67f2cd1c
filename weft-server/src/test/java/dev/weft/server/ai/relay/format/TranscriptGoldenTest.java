package dev.weft.server.ai.relay.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each recorded upstream answer, read whole, yields exactly its golden parts. */
class TranscriptGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The part types the {@code ai} package's {@code uiMessageChunkSchema} accepts, and their keys (strict objects). */
    private static final java.util.Map<String, Set<String>> SHAPES = java.util.Map.of(
            "text-start", Set.of("type", "id"), "text-delta", Set.of("type", "id", "delta"),
            "text-end", Set.of("type", "id"), "reasoning-start", Set.of("type", "id"),
            "reasoning-delta", Set.of("type", "id", "delta"), "reasoning-end", Set.of("type", "id"),
            "tool-input-start", Set.of("type", "toolCallId", "toolName"),
            "tool-input-delta", Set.of("type", "toolCallId", "inputTextDelta"),
            "tool-input-available", Set.of("type", "toolCallId", "toolName", "input"),
            "start-step", Set.of("type"));

    static List<String> names() {
        return Transcripts.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void transcriptYieldsItsGoldenParts(String name) {
        List<String> parts = Transcripts.translate(Transcripts.format(name), Transcripts.bytes(name + ".sse"),
                new int[0]);
        if (Transcripts.update(name, parts)) {
            return;
        }
        assertThat(parts).containsExactlyElementsOf(Transcripts.golden(name));
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyPartHasTheShapeTheAiPackageAccepts(String name) throws Exception {
        List<String> lines = Transcripts.golden(name);
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode part = JSON.readTree(line);
            String type = part.get("type").textValue();
            Set<String> keys = type.equals("finish-step") ? Set.of("type") : SHAPES.get(type);
            assertThat(keys).as(type).isNotNull();
            java.util.Set<String> actual = new java.util.HashSet<>();
            part.fieldNames().forEachRemaining(actual::add);
            assertThat(actual).as(line).isEqualTo(keys);
        }
    }

    @Test
    void textArrivesExactlyAsTheUpstreamSentIt() throws Exception {
        List<String> parts = Transcripts.translate(UpstreamFormat.OPENAI_CHAT,
                Transcripts.bytes("openai-chat-text.sse"), new int[0]);
        StringBuilder text = new StringBuilder();
        for (String line : parts.subList(0, parts.size() - 1)) {
            JsonNode part = JSON.readTree(line);
            if (part.get("type").textValue().equals("text-delta")) {
                text.append(part.get("delta").textValue());
            }
        }
        assertThat(text.toString()).isEqualTo(new String(Transcripts.bytes("openai-chat-text.txt"),
                StandardCharsets.UTF_8));
        assertThat(text.toString()).contains("\uD83C\uDF89");
    }
}
