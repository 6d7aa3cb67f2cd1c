package dev.weft.server.docs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.auth.TestTokens;
import dev.weft.server.WeftServer;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: probing the token check through the document endpoints' refusals, which used to tell an
 * unauthenticated client why its token failed ("bad token signature", the configured audience or issuer, kid
 * details). Now both dialects send one generic text per kind of refusal ("unauthorized", "forbidden") and the
 * detail goes to the log only, at most a few lines per client address however often it tries.
 */
class DocumentRefusalTextTest {
    private static final String YJS_LOG = "dev.weft.server.yjs.YWebsocketConnection";
    private static final String HOCUSPOCUS_LOG = "dev.weft.server.hocuspocus.HocuspocusConnection";
    private WeftServer server;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        server = DocsServerFixture.start(DocsServerFixture.memory());
        log.start();
        ((Logger) LoggerFactory.getLogger(YJS_LOG)).addAppender(log);
        ((Logger) LoggerFactory.getLogger(HOCUSPOCUS_LOG)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(YJS_LOG)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger(HOCUSPOCUS_LOG)).detachAppender(log);
        server.close(Duration.ofSeconds(2));
    }

    /** Tokens that fail for different reasons, each reason once spelled out to the client. */
    private static List<String> badTokens() {
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("sub", "ann", "exp", TestTokens.now() + 3600));
        return List.of(
                TestTokens.hmac(JWSAlgorithm.HS256, "another-secret-that-is-long-enough-for-hs256",
                        TestTokens.claims(claims)),
                TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET,
                        TestTokens.claims(Map.of("sub", "ann", "exp", TestTokens.now() - 10))),
                TestTokens.raw("{\"alg\":\"RS256\",\"kid\":\"k\\n1\"}", "{\"sub\":\"ann\"}", "c2ln"),
                "not.a.token");
    }

    @Test
    void yWebsocketSaysOnlyUnauthorizedOrForbidden() throws Exception {
        String base = "ws://127.0.0.1:" + server.port() + "/yjs/";
        for (String token : badTokens()) {
            try (DocClient c = DocClient.connect(base + "docs:x?token=" + token)) {
                assertThat(yjsDenial(c.next())).as(token).isEqualTo("unauthorized");
            }
        }
        try (DocClient c = DocClient.connect(base + "closed-room?token=" + DocsServerFixture.token("ann"))) {
            assertThat(yjsDenial(c.next())).isEqualTo("forbidden");
        }
        assertThat(messages()).anyMatch(m -> m.contains("bad token signature"));
    }

    @Test
    void hocuspocusSaysOnlyUnauthorizedOrForbidden() throws Exception {
        try (DocClient c = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
            for (String token : badTokens()) {
                c.send(auth("docs:x", token));
                assertThat(hocuspocusDenial(c.next(), "docs:x")).as(token).isEqualTo("unauthorized");
            }
            c.send(auth("closed-room", DocsServerFixture.token("ann")));
            assertThat(hocuspocusDenial(c.next(), "closed-room")).isEqualTo("forbidden");
        }
        assertThat(messages()).anyMatch(m -> m.contains("bad token signature"));
    }

    @Test
    void refusalDetailsAreLoggedAtMostAFewTimesPerAddress() throws Exception {
        long started = System.nanoTime();
        try (DocClient c = DocClient.connect("ws://127.0.0.1:" + server.port() + "/hocuspocus")) {
            for (int i = 0; i < 50; i++) {
                c.send(auth("docs:x", "forged-" + i));
                assertThat(hocuspocusDenial(c.next(), "docs:x")).isEqualTo("unauthorized");
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        List<String> lines = messages();
        System.out.println("50 refused auths from one address, " + lines.size() + " log lines in " + seconds + " s");
        assertThat(lines).isNotEmpty().hasSizeLessThanOrEqualTo(5 + (int) seconds + 1);
    }

    private List<String> messages() {
        return new ArrayList<>(log.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static byte[] auth(String address, String token) {
        return new Lib0Writer().writeVarString(address).writeVarUint(2).writeVarUint(0).writeVarString(token)
                .toByteArray();
    }

    private static String yjsDenial(byte[] frame) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarUint()).as("auth message").isEqualTo(2);
        assertThat(in.readVarUint()).as("permission denied").isEqualTo(0);
        return in.readVarString();
    }

    private static String hocuspocusDenial(byte[] frame, String address) throws Exception {
        Lib0Reader in = new Lib0Reader(frame);
        assertThat(in.readVarString()).isEqualTo(address);
        assertThat(in.readVarUint()).as("auth message").isEqualTo(2);
        assertThat(in.readVarUint()).as("permission denied").isEqualTo(1);
        return in.readVarString();
    }
}
