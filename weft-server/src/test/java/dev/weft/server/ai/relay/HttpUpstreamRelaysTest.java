package dev.weft.server.ai.relay;

import dev.weft.server.LogCapture;
import dev.weft.server.ai.relay.format.Transcripts;
import dev.weft.server.config.AiRelayConfig;
import dev.weft.server.outbound.OutboundHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Relays against a fake model API on a socket: exact bytes in, parts out, failures, timeouts and cancel. */
class HttpUpstreamRelaysTest {
    private static final String SECRET = "sk-test-7f3a9c21d4e8b6f0a5c3e1d9";

    private final OutboundHttp http = new OutboundHttp();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        http.close();
    }

    private FakeUpstream upstream(FakeUpstream.Script script) throws Exception {
        FakeUpstream u = new FakeUpstream(script);
        closing.add(u);
        return u;
    }

    private HttpUpstreamRelays relays(AiRelayConfig config) {
        HttpUpstreamRelays r = new HttpUpstreamRelays(config, http, Map.of("TEST_KEY", SECRET));
        closing.add(r);
        return r;
    }

    private HttpUpstreamRelays relays() {
        return relays(AiRelayConfig.DEFAULT);
    }

    private static byte[] upstreamJson(URI uri, String format, String body) {
        return ("{\"url\":\"" + uri + "\",\"headers\":{\"Authorization\":\"Bearer " + SECRET + "\"},\"format\":\""
                + format + "\",\"body\":" + body + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String end(RecordingSink sink) throws Exception {
        return sink.end.get(10, TimeUnit.SECONDS);
    }

    static List<String> names() {
        return Transcripts.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void recordedAnswerDrippedInRandomPiecesYieldsTheGoldenParts(String name) throws Exception {
        byte[] transcript = Transcripts.bytes(name + ".sse");
        long seed = new Random().nextLong();
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream; charset=utf-8");
            ex.drip(transcript, new Random(seed), 64, 8);
            ex.end();
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/v1/x"), Transcripts.format(name).key(),
                "{\"model\":\"m\",\"stream\":true}"), sink);

        List<String> got = new ArrayList<>(List.of());
        String ending = end(sink);
        got.addAll(sink.parts);
        got.add(ending);
        assertThat(got).as("seed %d", seed).containsExactlyElementsOf(Transcripts.golden(name));
        assertThat(sink.violations).isEmpty();
    }

    @Test
    void relaysOneAfterAnotherToAnUpstreamShareItsConnection() throws Exception {
        byte[] transcript = Transcripts.bytes("openai-chat-text.sse");
        FakeUpstream fake = new FakeUpstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.drip(transcript, new Random(), 512, 0);
            Thread.sleep(200); // the end of the body comes after [DONE], as a server flushing late would send it
            ex.end();
        }, true);
        closing.add(fake);
        HttpUpstreamRelays relays = relays();
        for (int i = 0; i < 3; i++) {
            RecordingSink sink = new RecordingSink();
            relays.start(upstreamJson(fake.uri("/v1/chat/completions"), "openai-chat", "{}"), sink);
            assertThat(end(sink)).isEqualTo("finished:stop");
            await().atMost(Duration.ofSeconds(5)).until(() -> relays.running() == 0);
        }
        assertThat(fake.exchanges).hasSizeGreaterThanOrEqualTo(3);
        assertThat(fake.connections.get()).isEqualTo(1);
    }

    @Test
    void requestCarriesTheCallersBodyBytesAndHeaders() throws Exception {
        String body = "{ \"model\" : \"gpt-4o-mini\", \"stream\":true, \"messages\":[{\"role\":\"user\","
                + "\"content\":\"caf\\u00e9 \u00e9 1.50e0\"}] }";
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
            ex.end();
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/v1/chat/completions?api-version=1"), "openai-chat", body), sink);
        assertThat(end(sink)).isEqualTo("finished:stop");

        FakeUpstream.Request request = fake.first().request.get(5, TimeUnit.SECONDS);
        assertThat(request.requestLine()).isEqualTo("POST /v1/chat/completions?api-version=1 HTTP/1.1");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(request.header("Accept")).isEqualTo("text/event-stream");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aBodyWithoutStreamGetsStreamTrueAndNothingElseChanges() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            ex.end();
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/v1/messages"), "anthropic", " {\"max_tokens\": 1024}"), sink);
        assertThat(end(sink)).isEqualTo("finished:null");
        assertThat(new String(fake.first().request.get().body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream\":true,\"max_tokens\": 1024}");
    }

    @Test
    void aConfiguredUpstreamIsNamedAndItsHeadersComeFromTheEnvironment() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "application/x-ndjson");
            ex.chunk("\"hi\"\n");
            ex.end();
        });
        AiRelayConfig config = AiRelayConfig.DEFAULT.withUpstreams(Map.of("local", new AiRelayConfig.Upstream(
                fake.uri("/gen"), Map.of("x-api-key", "${TEST_KEY}"), "ndjson", null, null, null)));
        RecordingSink sink = new RecordingSink();
        relays(config).start(("{\"name\":\"local\",\"headers\":{\"x-api-key\":\"caller's\",\"x-trace\":\"1\"},"
                + "\"body\":{}}").getBytes(StandardCharsets.UTF_8), sink);
        assertThat(end(sink)).isEqualTo("finished:null");
        assertThat(sink.parts).contains("{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"hi\"}");
        FakeUpstream.Request request = fake.first().request.get();
        assertThat(request.header("x-api-key")).isEqualTo(SECRET);
        assertThat(request.header("x-trace")).isEqualTo("1");
    }

    @Test
    void anErrorStatusFailsWithTheStatusAndTheUpstreamsMessageButNoSecret() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> ex.full(401, "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + ". You can find your API key "
                        + "at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}"));
        RecordingSink sink = new RecordingSink();
        try (LogCapture log = LogCapture.all()) {
            relays().start(upstreamJson(fake.uri("/v1/chat/completions?key=" + SECRET), "openai-chat",
                    "{\"stream\":true}"), sink);
            String ending = end(sink);
            assertThat(ending).startsWith("failed:upstream http://127.0.0.1:")
                    .contains("/v1/chat/completions answered 401: invalid_api_key: Incorrect API key provided: "
                            + "[redacted]").doesNotContain(SECRET).doesNotContain("key=");
            assertThat(log.messages()).isNotEmpty().allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
        }
    }

    @Test
    void aServerErrorWithAPlainBodyFailsWithItsTextClipped() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> ex.full(502, "text/html", "<html>" + "bad gateway ".repeat(100)));
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        String ending = end(sink);
        assertThat(ending).contains("answered 502: <html>bad gateway").endsWith("…");
        assertThat(ending.length()).isLessThan(400);
    }

    @Test
    void aConnectionCutMidAnswerFailsAfterThePartsSoFar() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial \\u00e9\"}}]}\n\n");
            Thread.sleep(100);
            ex.cut();
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).startsWith("failed:connection to upstream http://127.0.0.1:").doesNotContain(SECRET);
        assertThat(sink.parts).containsExactly("{\"type\":\"start-step\"}", "{\"type\":\"text-start\",\"id\":\"text-0\"}",
                "{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"partial é\"}");
    }

    @Test
    void anAnswerThatEndsCleanlyButUnfinishedFails() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
            ex.end();
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/x"), "anthropic", "{}"), sink);
        assertThat(end(sink)).isEqualTo("failed:upstream closed the stream before message_stop");
    }

    @Test
    void malformedJsonFailsTheRelay() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}\n\ndata: {not json\n\n");
            Thread.sleep(5_000);
        });
        RecordingSink sink = new RecordingSink();
        relays().start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).isEqualTo("failed:upstream sent an event that is not a JSON object: {not json");
        assertThat(sink.parts).hasSize(3);
        assertThat(fake.first().clientClosed.get(2, TimeUnit.SECONDS)).isPositive();
    }

    @Test
    void anUpstreamThatNeverAnswersFailsAtTheFirstByteTimeout() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> Thread.sleep(10_000));
        RecordingSink sink = new RecordingSink();
        relays(AiRelayConfig.DEFAULT.withFirstByteTimeout(Duration.ofMillis(300)))
                .start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).isEqualTo("failed:upstream did not answer within 300 ms");
        assertThat(fake.first().clientClosed.get(2, TimeUnit.SECONDS)).isPositive();
    }

    @Test
    void anAnswerLongerThanTheFirstByteTimeoutIsNotCutByIt() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            for (int i = 0; i < 10; i++) {
                ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + i + "\"}}]}\n\n");
                Thread.sleep(100);
            }
            ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
            ex.end();
        });
        RecordingSink sink = new RecordingSink();
        relays(AiRelayConfig.DEFAULT.withFirstByteTimeout(Duration.ofMillis(300)).withIdleTimeout(Duration.ofMillis(400)))
                .start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).isEqualTo("finished:stop");
        assertThat(sink.parts).filteredOn(p -> p.contains("text-delta")).hasSize(10);
    }

    @Test
    void anUpstreamFallingSilentMidAnswerFailsAtTheIdleTimeout() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"so far\"}}]}\n\n");
            Thread.sleep(10_000);
        });
        RecordingSink sink = new RecordingSink();
        relays(AiRelayConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(300)))
                .start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).isEqualTo("failed:upstream sent nothing for 300 ms");
        assertThat(sink.parts).contains("{\"type\":\"text-delta\",\"id\":\"text-0\",\"delta\":\"so far\"}");
        assertThat(fake.first().clientClosed.get(2, TimeUnit.SECONDS)).isPositive();
    }

    @Test
    void aSlowDripPastTheTotalTimeoutFails() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            for (int i = 0; i < 100; i++) {
                ex.chunk(": still here\n");
                Thread.sleep(50);
            }
        });
        RecordingSink sink = new RecordingSink();
        relays(AiRelayConfig.DEFAULT.withTotalTimeout(Duration.ofMillis(500)))
                .start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(end(sink)).isEqualTo("failed:upstream answer took longer than 500 ms");
    }

    @Test
    void cancelClosesTheUpstreamConnectionAtOnceAndCallsTheSinkNoMore() throws Exception {
        CountDownLatch streaming = new CountDownLatch(1);
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            for (int i = 0; i < 1000; i++) {
                ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n");
                streaming.countDown();
                Thread.sleep(20);
            }
        });
        RecordingSink sink = new RecordingSink();
        HttpUpstreamRelays relays = relays();
        RelayHandle handle = relays.start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(streaming.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);

        long cancelled = System.nanoTime();
        handle.cancel();
        int partsAtCancel = sink.parts.size();
        long closed = fake.first().clientClosed.get(2, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(closed - cancelled)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(200);
        assertThat(sink.parts).hasSize(partsAtCancel);
        assertThat(sink.end).isNotDone();
        await().atMost(Duration.ofSeconds(5)).until(() -> relays.running() == 0);
        handle.cancel();
    }

    @Test
    void cancelBeforeTheUpstreamAnsweredClosesTheConnectionToo() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> Thread.sleep(10_000));
        RecordingSink sink = new RecordingSink();
        HttpUpstreamRelays relays = relays();
        RelayHandle handle = relays.start(upstreamJson(fake.uri("/x"), "anthropic", "{}"), sink);
        fake.first().request.get(5, TimeUnit.SECONDS);

        long cancelled = System.nanoTime();
        handle.cancel();
        long closed = fake.first().clientClosed.get(2, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(closed - cancelled)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(100);
        assertThat(sink.end).isNotDone();
        assertThat(sink.parts).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> relays.running() == 0);
    }

    @Test
    void aSinkThatTakesNoMoreAbortsTheUpstream() throws Exception {
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            for (int i = 0; i < 1000; i++) {
                ex.chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n");
                Thread.sleep(10);
            }
        });
        RecordingSink sink = new RecordingSink(part -> !part.contains("\"t5\""));
        relays().start(upstreamJson(fake.uri("/x"), "openai-chat", "{}"), sink);
        assertThat(fake.first().clientClosed.get(5, TimeUnit.SECONDS)).isPositive();
        assertThat(sink.parts).last().asString().contains("\"t4\"");
        assertThat(sink.end).isNotDone();
        assertThat(sink.violations).isEmpty();
    }

    @Test
    void relaysBeyondTheConcurrencyCapAreRefusedUntilOneEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeUpstream fake = upstream((request, ex) -> {
            ex.head(200, "text/event-stream");
            ex.chunk(": open\n");
            release.await();
            ex.chunk("data: [DONE]\n\n");
            ex.end();
        });
        HttpUpstreamRelays relays = relays(AiRelayConfig.DEFAULT.withMaxConcurrent(2));
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        relays.start(upstreamJson(fake.uri("/x"), "sse", "{}"), a);
        relays.start(upstreamJson(fake.uri("/x"), "sse", "{}"), b);
        assertThatThrownBy(() -> relays.start(upstreamJson(fake.uri("/x"), "sse", "{}"), new RecordingSink()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ai.relay.max_concurrent");
        release.countDown();
        assertThat(end(a)).isEqualTo("finished:null");
        assertThat(end(b)).isEqualTo("finished:null");
        await().atMost(Duration.ofSeconds(5)).until(() -> relays.running() == 0);
        RecordingSink c = new RecordingSink();
        relays.start(upstreamJson(fake.uri("/x"), "sse", "{}"), c);
        assertThat(end(c)).isEqualTo("finished:null");
    }

    @Test
    void anUnreachableUpstreamFails() throws Exception {
        RecordingSink sink = new RecordingSink();
        FakeUpstream fake = upstream((request, ex) -> { });
        URI gone = fake.uri("/x");
        fake.close();
        relays().start(upstreamJson(gone, "openai-chat", "{}"), sink);
        assertThat(end(sink)).startsWith("failed:connection to upstream http://127.0.0.1:");
    }
}
