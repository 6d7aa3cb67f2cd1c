package dev.weft.server.ai.relay.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded upstream answers under {@code src/test/resources/ai/relay/}, each written from its provider's
 * documented streaming example (event order, field names and shapes as documented; ids, text and arguments are
 * ours, chosen to carry non-ASCII text, escapes and emoji):
 * <ul>
 *   <li>{@code openai-chat-text.sse}, {@code openai-chat-tool.sse}: OpenAI API reference, "Create chat completion"
 *       streaming and "The chat completion chunk object"; the function-calling guide's streaming tool calls
 *       ({@code tool_calls[].index}, {@code id} and {@code function.name} on the first delta, then
 *       {@code function.arguments} pieces), and a {@code stream_options.include_usage} chunk;</li>
 *   <li>{@code openai-responses.sse}: OpenAI API reference, "Responses / Streaming events"
 *       ({@code response.created} … {@code response.completed}, reasoning summary, output text and function call
 *       argument events with {@code sequence_number});</li>
 *   <li>{@code anthropic.sse}: Anthropic's "Streaming messages" page: the extended-thinking example
 *       ({@code thinking_delta}, {@code signature_delta}), a text block with a {@code ping} between events, and
 *       the tool-use example ({@code input_json_delta} starting with an empty {@code partial_json}).</li>
 * </ul>
 * Each has a golden file of the parts it must yield ({@code .parts}: one part per line, then the end). Run with
 * {@code -Dweft.updateGoldens=true} to rewrite them (and read the diff).
 */
public final class Transcripts {
    public static final List<String> NAMES = List.of("openai-chat-text", "openai-chat-tool", "openai-responses",
            "anthropic");
    private static final Path SOURCE = Path.of("src/test/resources/ai/relay");

    private Transcripts() {
    }

    public static UpstreamFormat format(String name) {
        return switch (name) {
            case "openai-chat-text", "openai-chat-tool" -> UpstreamFormat.OPENAI_CHAT;
            case "openai-responses" -> UpstreamFormat.OPENAI_RESPONSES;
            case "anthropic" -> UpstreamFormat.ANTHROPIC;
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static byte[] bytes(String file) {
        try (InputStream in = Transcripts.class.getResourceAsStream("/ai/relay/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden parts and end line of a transcript. */
    public static List<String> golden(String name) {
        return new String(bytes(name + ".parts"), StandardCharsets.UTF_8).lines().toList();
    }

    /** Rewrites a golden file when {@code weft.updateGoldens} is set; returns whether it did. */
    public static boolean update(String name, List<String> lines) {
        if (!Boolean.getBoolean("weft.updateGoldens")) {
            return false;
        }
        try {
            Files.writeString(SOURCE.resolve(name + ".parts"), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /**
     * Runs {@code body} through a new translator of {@code format}, cut at {@code cuts} (ascending offsets), as a
     * relay does; returns the parts, then "finished:<reason>" or "failed:<reason>".
     */
    public static List<String> translate(UpstreamFormat format, byte[] body, int[] cuts) {
        Translator t = format.translator(1024 * 1024);
        List<byte[]> parts = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            int from = 0;
            for (int i = 0; i <= cuts.length && !t.done(); i++) {
                int to = i < cuts.length ? cuts[i] : body.length;
                t.parser().feed(body, from, to - from, e -> {
                    if (!t.done()) {
                        t.event(e, parts);
                    }
                });
                from = to;
            }
            if (!t.done()) {
                t.parser().end(e -> t.event(e, parts));
                if (!t.done()) {
                    t.end(parts);
                }
            }
            parts.forEach(p -> out.add(new String(p, StandardCharsets.UTF_8)));
            out.add("finished:" + t.finishReason());
        } catch (MalformedUpstreamException e) {
            parts.forEach(p -> out.add(new String(p, StandardCharsets.UTF_8)));
            out.add("failed:" + e.getMessage());
        }
        return out;
    }
}
