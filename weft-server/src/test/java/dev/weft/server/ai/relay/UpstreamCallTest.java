package dev.weft.server.ai.relay;

import dev.weft.server.ai.relay.format.UpstreamFormat;
import dev.weft.server.config.AiRelayConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamCallTest {
    private static final Map<String, AiRelayConfig.Upstream> NONE = Map.of();

    private static UpstreamCall parse(String json) {
        return UpstreamCall.parse(json.getBytes(StandardCharsets.UTF_8), AiRelayConfig.DEFAULT, NONE);
    }

    @Test
    void theBodyIsTheCallersBytes() {
        UpstreamCall call = parse("{\"format\":\"sse\",\"body\":{ \"a\" : [1, 2.50, \"\\u00e9\"] },\"url\":\"https://h.example/p\"}");
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("{ \"a\" : [1, 2.50, \"\\u00e9\"] }");
        assertThat(call.format()).isEqualTo(UpstreamFormat.SSE);
        assertThat(call.where()).isEqualTo("https://h.example/p");
    }

    @Test
    void streamTrueIsAddedToAnEmptyBody() {
        assertThat(new String(parse("{\"url\":\"http://h/p\",\"format\":\"openai-chat\",\"body\":{}}").body(),
                StandardCharsets.UTF_8)).isEqualTo("{\"stream\":true}");
    }

    @Test
    void invalidDescriptionsAreRefusedWithWhy() {
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"openai-chat\",\"body\":{\"stream\":false}}"))
                .hasMessageContaining("upstream.body.stream must be true");
        assertThatThrownBy(() -> parse("{\"url\":\"ftp://h/p\",\"format\":\"sse\",\"body\":{}}"))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> parse("{\"url\":\"http://u:p@h/p\",\"format\":\"sse\",\"body\":{}}"))
                .hasMessageContaining("no user info");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"gemini\",\"body\":{}}"))
                .hasMessageContaining("unknown format \"gemini\"").hasMessageContaining("openai-responses");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"sse\"}"))
                .hasMessageContaining("upstream.body is required");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"sse\",\"body\":\"text\"}"))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("{\"name\":\"openai\",\"format\":\"sse\",\"body\":{}}"))
                .hasMessageContaining("\"openai\" is not configured");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"sse\",\"body\":{},\"extra\":1}"))
                .hasMessageContaining("unknown upstream key \"extra\"");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\",\"format\":\"sse\",\"headers\":{\"a\":1},\"body\":{}}"))
                .hasMessageContaining("upstream.headers.a must be a string");
        assertThatThrownBy(() -> parse("{\"url\":\"http://h/p\""))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void urlsOfTheirOwnAreRefusedWhenOnlyConfiguredUpstreamsAreAllowed() {
        assertThatThrownBy(() -> UpstreamCall.parse("{\"url\":\"http://h/p\",\"format\":\"sse\",\"body\":{}}"
                .getBytes(StandardCharsets.UTF_8), AiRelayConfig.DEFAULT.withAllowUrls(false), NONE))
                .hasMessageContaining("ai.relay.allow_urls");
    }

    @Test
    void configuredHeadersWinAndTheirValuesAreSecrets() {
        var upstream = new AiRelayConfig.Upstream(URI.create("https://api.example/v1?key=q"),
                Map.of("Authorization", "Bearer s3cr3t-token"), "openai-chat", null, null, null);
        UpstreamCall call = UpstreamCall.parse("{\"name\":\"x\",\"headers\":{\"authorization\":\"mine\"},\"body\":{}}"
                .getBytes(StandardCharsets.UTF_8), AiRelayConfig.DEFAULT, Map.of("x", upstream));
        assertThat(call.headers()).containsEntry("Authorization", "Bearer s3cr3t-token").hasSize(2);
        assertThat(call.where()).isEqualTo("https://api.example/v1");
        assertThat(Secrets.blank("echo Bearer s3cr3t-token and s3cr3t-token and key=q", call.secrets()))
                .isEqualTo("echo [redacted] and [redacted] and key=q");
    }

    @Test
    void theFormatsAreTheOnesTheConfigurationAccepts() {
        assertThat(Arrays.stream(UpstreamFormat.values()).map(UpstreamFormat::key).toList())
                .isEqualTo(AiRelayConfig.FORMATS);
    }
}
