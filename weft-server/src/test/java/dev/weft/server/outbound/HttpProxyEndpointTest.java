package dev.weft.server.outbound;

import dev.weft.core.proxy.ProxyOptions;
import dev.weft.core.proxy.ProxyUnavailableException;
import dev.weft.core.proxy.RecordingBackend;
import dev.weft.core.proxy.RecordingBackend.Answer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The HTTP side of a proxy against a real backend: what goes out, and how a slow backend is kept in bounds. */
class HttpProxyEndpointTest {

    private static ProxyOptions options(RecordingBackend backend, Duration timeout) {
        return new ProxyOptions("p", backend.url("/hook"), timeout, List.of(), List.of(),
                Map.of("X-Static", "static", "X-Both", "static"), false, false);
    }

    @Test
    void postsTheBodyWithStaticAndForwardedHeaders() throws Exception {
        try (var backend = RecordingBackend.start().on("/hook", "{\"result\":{}}"); var http = new OutboundHttp()) {
            var endpoint = new HttpProxyEndpoint(http, options(backend, Duration.ofSeconds(1)));

            byte[] answer = endpoint.call("connect", "{\"client\":\"c\"}".getBytes(),
                    Map.of("x-both", "forwarded", "cookie", "a=b"));

            assertThat(new String(answer)).isEqualTo("{\"result\":{}}");
            var received = backend.next();
            assertThat(received.body()).isEqualTo("{\"client\":\"c\"}");
            assertThat(received.headers()).containsEntry("x-static", "static").containsEntry("x-both", "forwarded")
                    .containsEntry("cookie", "a=b").containsEntry("content-type", "application/json");
        }
    }

    @Test
    void nonOkStatusesDroppedConnectionsAndSlowAnswersAreUnavailable() throws Exception {
        try (var backend = RecordingBackend.start(); var http = new OutboundHttp()) {
            var endpoint = new HttpProxyEndpoint(http, options(backend, Duration.ofMillis(300)));
            for (Answer answer : List.of(Answer.status(500), Answer.status(404), new Answer(0, "", Duration.ZERO),
                    Answer.json("{}").after(Duration.ofSeconds(2)))) {
                backend.on("/hook", r -> answer);
                long started = System.nanoTime();
                var e = catchThrowableOfType(ProxyUnavailableException.class,
                        () -> endpoint.call("rpc", "{}".getBytes(), Map.of()));
                assertThat(e).as(answer.toString()).isNotNull();
                assertThat(e.overloaded()).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void aSlowBackendNeverGetsMoreThanTheBoundAndCallersGiveUpInTime() throws Exception {
        AtomicInteger receivedEarly = new AtomicInteger();
        long[] startedAt = new long[1];
        try (var backend = RecordingBackend.start(); var http = new OutboundHttp();
             var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Duration timeout = Duration.ofSeconds(1);
            backend.on("/hook", r -> {
                if (System.nanoTime() - startedAt[0] < timeout.toNanos() * 9 / 10) {
                    receivedEarly.incrementAndGet();
                }
                return Answer.json("{}").after(Duration.ofSeconds(6));
            });
            var endpoint = new HttpProxyEndpoint(http, options(backend, timeout));
            int calls = HttpProxyEndpoint.MAX_IN_FLIGHT + 72;
            startedAt[0] = System.nanoTime();
            List<Future<Long>> done = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                done.add(callers.submit(() -> {
                    long t = System.nanoTime();
                    catchThrowableOfType(ProxyUnavailableException.class,
                            () -> endpoint.call("subscribe", "{}".getBytes(), Map.of()));
                    return System.nanoTime() - t;
                }));
            }
            // Every caller gives up long before the backend answers (6 s): within its 1 s timeout plus what a
            // loaded machine adds to scheduling 200 threads.
            for (Future<Long> f : done) {
                assertThat(Duration.ofNanos(f.get())).isLessThan(Duration.ofSeconds(4));
            }
            assertThat(receivedEarly.get()).isLessThanOrEqualTo(HttpProxyEndpoint.MAX_IN_FLIGHT);
        }
    }
}
