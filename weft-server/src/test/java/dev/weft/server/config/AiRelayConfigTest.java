package dev.weft.server.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code ai.upstreams} and {@code ai.relay.*} from a file and the environment, and what is refused. */
class AiRelayConfigTest {

    private static List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Optional.empty(), env, Map.of())).problems();
    }

    @Test
    void readsNamedUpstreamsFromAFileWithTheirOwnTimeouts() throws Exception {
        Path file = Files.createTempFile("weft", ".yaml");
        try {
            Files.writeString(file, """
                    ai:
                      relay:
                        max_concurrent: 8
                        idle_timeout: 20s
                      upstreams:
                        anthropic:
                          url: https://api.anthropic.com/v1/messages
                          format: anthropic
                          headers:
                            x-api-key: ${ANTHROPIC_API_KEY}
                            anthropic-version: "2023-06-01"
                          total_timeout: 2m
                    """);
            AiRelayConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).config().aiRelay();
            assertThat(config.maxConcurrent()).isEqualTo(8);
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
            AiRelayConfig.Upstream u = config.upstreams().get("anthropic");
            assertThat(u.url()).isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
            assertThat(u.format()).isEqualTo("anthropic");
            assertThat(u.headers()).containsEntry("x-api-key", "${ANTHROPIC_API_KEY}");
            assertThat(u.totalTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(u.idleTimeout()).isNull();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void readsUpstreamsAsOneJsonValueFromTheEnvironment() throws Exception {
        AiRelayConfig config = ConfigLoader.load(Optional.empty(), Map.of("WEFT_AI_UPSTREAMS",
                "{\"local\": {\"url\": \"http://127.0.0.1:11434/v1/chat/completions\", \"format\": \"openai-chat\"}}"),
                Map.of()).config().aiRelay();
        assertThat(config.upstreams()).containsOnlyKeys("local");
    }

    @Test
    void refusesBadUpstreamsWithoutShowingHeaderValues() {
        assertThat(problems(Map.of("WEFT_AI_UPSTREAMS", "{\"a\": {\"url\": \"http://h/p\", \"format\": \"gemini\"}}")))
                .anySatisfy(p -> assertThat(p).contains("ai.upstreams").contains("format must be one of"));
        assertThat(problems(Map.of("WEFT_AI_UPSTREAMS", "{\"a\": {\"format\": \"sse\"}}")))
                .anySatisfy(p -> assertThat(p).contains("url is required"));
        assertThat(problems(Map.of("WEFT_AI_UPSTREAMS", "{\"a\": {\"url\": \"http://h/p\", \"timeout\": \"1s\"}}")))
                .anySatisfy(p -> assertThat(p).contains("unknown key \"timeout\""));
        assertThat(problems(Map.of("WEFT_AI_UPSTREAMS", "{\"a\": {\"url\": \"http://h\", \"headers\": "
                + "{\"Authorization\": \"Bearer sk-secret-value\" ")))
                .allSatisfy(p -> assertThat(p).doesNotContain("sk-secret-value"))
                .anySatisfy(p -> assertThat(p).contains("invalid JSON"));
    }
}
