package dev.weft.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code log.format: json}: one parseable object per line, whatever the message or error holds. */
class JsonLogLayoutTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void forgedLineBreaksStayInsideOneEscapedMessage() throws Exception {
        String line = new JsonLogLayout().doLayout(event("room {} joined", "evil\n{\"level\":\"error\"}\u2028x", null));
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\u2028");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("info");
        assertThat(json.path("logger").asText()).isEqualTo("test.Logger");
        assertThat(json.path("msg").asText())
                .isEqualTo(SafeMessageConverter.escape("room evil\n{\"level\":\"error\"}\u2028x joined"));
        assertThat(json.has("error")).isFalse();
    }

    @Test
    void stackTraceIsOneField() throws Exception {
        String line = new JsonLogLayout().doLayout(event("failed", null, new IllegalStateException("boom")));
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("error").asText()).contains("IllegalStateException: boom").contains("\tat ");
    }

    private LoggingEvent event(String message, Object argument, Throwable error) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test.Logger"), Level.INFO, message, error,
                argument == null ? null : new Object[] {argument});
        event.setThreadName("main");
        return event;
    }
}
