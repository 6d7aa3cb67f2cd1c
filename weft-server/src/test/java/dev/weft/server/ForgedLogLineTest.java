package dev.weft.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.weft.server.docs.DocClient;
import dev.weft.server.docs.DocsServerFixture;
import dev.weft.server.logging.SafeMessageConverter;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: log forging. A client chooses a name (here a Hocuspocus document name) holding a line break and a
 * line of its own ("INFO  ApiEndpoint: admin key accepted …"); the server logs the name when it refuses the
 * document. Proved through the real server and the real logging setup: logback.xml's conversion rules and
 * {@link LogSetup#FILE_PATTERN} (the {@code log.file} pattern), writing to a byte stream: one refusal is one
 * line, with the break escaped.
 */
class ForgedLogLineTest {
    private static final String FORGED = "INFO  ApiEndpoint: admin key accepted from 10.0.0.1";
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;
    private WeftServer server;

    @BeforeEach
    void attach() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(LogSetup.FILE_PATTERN);
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(written);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void detach() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        appender.stop();
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private List<String> lines() {
        return written.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aDocumentNameWithLineBreaksStaysOneLogLine() throws Exception {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        String name = "closed-room\n" + FORGED + "\r\n" + FORGED + "\u2028" + FORGED;
        try (DocClient c = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
            c.send(new Lib0Writer().writeVarString(name).writeVarUint(2).writeVarUint(0)
                    .writeVarString(DocsServerFixture.token("ann")).toByteArray());
            Lib0Reader denied = new Lib0Reader(c.next());
            assertThat(denied.readVarString()).isEqualTo(name);
        }
        List<String> refusals = lines().stream().filter(l -> l.contains("refused hocuspocus document")).toList();
        System.out.println(refusals);
        assertThat(refusals).singleElement().asString()
                .contains("closed-room\\n" + FORGED + "\\r\\n" + FORGED + "\\u2028" + FORGED);
        assertThat(lines()).noneMatch(l -> l.startsWith(FORGED));
    }

    @Test
    void everyControlCharacterIsEscapedAndPlainTextIsUntouched() {
        LoggerFactory.getLogger(ForgedLogLineTest.class).info("name {} end", "a\u0000b\u001bc\u007fd\u0085e\tf");
        assertThat(lines()).singleElement().asString().endsWith("name a\\u0000b\\u001bc\\u007fd\\u0085e\\tf end");
        assertThat(SafeMessageConverter.escape("plain: ü, 中文, \\n stays")).isEqualTo("plain: ü, 中文, \\n stays");
    }

    @Test
    void stackTracesKeepTheirLines() {
        LoggerFactory.getLogger(ForgedLogLineTest.class).error("failed", new IllegalStateException("boom"));
        assertThat(lines().size()).isGreaterThan(2);
        assertThat(lines().getFirst()).endsWith("failed");
    }
}
