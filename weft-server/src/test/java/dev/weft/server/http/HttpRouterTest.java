package dev.weft.server.http;

import dev.weft.core.CommandFailedException;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HttpRouterTest {

    /** Records what the API published and answers with a fixed position. */
    private static final class RecordingPublisher implements Publisher {
        final List<Object[]> calls = new ArrayList<>();
        PublishOutcome outcome = new PublishOutcome(new StreamPosition(7, "ep0ch"), false);
        RuntimeException failure;

        @Override
        public PublishOutcome publish(String channel, byte[] data, String idempotencyKey, Map<String, String> tags) {
            calls.add(new Object[] {channel, new String(data, StandardCharsets.UTF_8), idempotencyKey, tags});
            if (failure != null) {
                throw failure;
            }
            return outcome;
        }
    }

    private final RecordingPublisher publisher = new RecordingPublisher();

    private EmbeddedChannel channel(ApiKeyCheck keyCheck) {
        Map<String, HttpEndpoint> endpoints = Map.of(
                "/health", new HealthEndpoint(),
                "/api/publish", keyCheck == null
                        ? new DisabledEndpoint("server API disabled")
                        : new PublishEndpoint(keyCheck, publisher, Runnable::run));
        return new EmbeddedChannel(new HttpRouter(endpoints));
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static String body(FullHttpResponse response) {
        return response.content().toString(StandardCharsets.UTF_8);
    }

    private static FullHttpResponse exchange(EmbeddedChannel ch, FullHttpRequest request) {
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        assertThat(response).as("response to %s %s", request.method(), request.uri()).isNotNull();
        return response;
    }

    private static String publishBody() {
        return "{\"channel\":\"news\",\"data\":{\"text\":\"hi\"},\"idempotency_key\":\"k1\",\"tags\":{\"a\":\"b\"}}";
    }

    @Test
    void healthAnswersEmptyJsonObject() {
        EmbeddedChannel ch = channel(null);
        FullHttpResponse response = exchange(ch, request(HttpMethod.GET, "/health", ""));
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{}");
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void unknownPathIs404() {
        EmbeddedChannel ch = channel(null);
        FullHttpResponse response = exchange(ch, request(HttpMethod.GET, "/nope?x=1", ""));
        assertThat(response.status().code()).isEqualTo(404);
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void wrongMethodIs405WithAllowHeader() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch, request(HttpMethod.GET, "/api/publish", ""));
        assertThat(response.status().code()).isEqualTo(405);
        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
        response.release();
        FullHttpResponse health = exchange(ch, request(HttpMethod.DELETE, "/health", ""));
        assertThat(health.status().code()).isEqualTo(405);
        assertThat(health.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        health.release();
        assertFalse(ch.finish());
    }

    @Test
    void disabledApiIs404() {
        EmbeddedChannel ch = channel(null);
        FullHttpResponse response = exchange(ch,
                request(HttpMethod.POST, "/api/publish", publishBody(), "X-API-Key", "anything"));
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(publisher.calls).isEmpty();
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void publishWithoutKeyIs401() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch, request(HttpMethod.POST, "/api/publish", publishBody()));
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(publisher.calls).isEmpty();
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void publishWithWrongKeyIs401() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        for (String[] header : new String[][] {{"X-API-Key", "secreT"}, {"Authorization", "apikey secret2"},
                {"Authorization", "bearer secret"}, {"X-API-Key", ""}}) {
            FullHttpResponse response = exchange(ch,
                    request(HttpMethod.POST, "/api/publish", publishBody(), header[0], header[1]));
            assertThat(response.status().code()).as("%s: %s", header[0], header[1]).isEqualTo(401);
            response.release();
        }
        assertThat(publisher.calls).isEmpty();
        assertFalse(ch.finish());
    }

    @Test
    void publishWithRightKeyReturnsPosition() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch,
                request(HttpMethod.POST, "/api/publish", publishBody(), "X-API-Key", "secret"));
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{\"result\":{\"offset\":7,\"epoch\":\"ep0ch\"}}");
        response.release();
        assertThat(publisher.calls).singleElement().satisfies(call -> assertThat(call)
                .containsExactly("news", "{\"text\":\"hi\"}", "k1", Map.of("a", "b")));

        FullHttpResponse viaAuthorization = exchange(ch,
                request(HttpMethod.POST, "/api/publish", publishBody(), "Authorization", "ApiKey secret"));
        assertThat(viaAuthorization.status().code()).isEqualTo(200);
        viaAuthorization.release();
        assertFalse(ch.finish());
    }

    @Test
    void insecureApiNeedsNoKey() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("", true));
        FullHttpResponse response = exchange(ch, request(HttpMethod.POST, "/api/publish", publishBody()));
        assertThat(response.status().code()).isEqualTo(200);
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void zeroResultFieldsAreOmitted() {
        publisher.outcome = new PublishOutcome(new StreamPosition(0, ""), false);
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch,
                request(HttpMethod.POST, "/api/publish", "{\"channel\":\"c\",\"data\":1}", "X-API-Key", "secret"));
        assertThat(body(response)).isEqualTo("{\"result\":{}}");
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void engineErrorIsReturnedInBodyWithStatus200() {
        publisher.failure = new CommandFailedException(ErrorCode.UNKNOWN_CHANNEL);
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch,
                request(HttpMethod.POST, "/api/publish", publishBody(), "X-API-Key", "secret"));
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{\"error\":{\"code\":102,\"message\":\"unknown channel\"}}");
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void missingChannelOrDataIsBadRequestError() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        for (String body : List.of("{\"data\":{}}", "{\"channel\":\"\",\"data\":{}}", "{\"channel\":\"c\"}",
                "{\"channel\":\"c\",\"data\":1,\"tags\":{\"a\":1}}", "{\"channel\":\"c\",\"b64data\":\"!!\"}")) {
            FullHttpResponse response = exchange(ch,
                    request(HttpMethod.POST, "/api/publish", body, "X-API-Key", "secret"));
            assertThat(response.status().code()).as(body).isEqualTo(200);
            assertThat(body(response)).as(body).isEqualTo("{\"error\":{\"code\":107,\"message\":\"bad request\"}}");
            response.release();
        }
        assertThat(publisher.calls).isEmpty();
        assertFalse(ch.finish());
    }

    @Test
    void binaryDataArrivesDecoded() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        FullHttpResponse response = exchange(ch, request(HttpMethod.POST, "/api/publish",
                "{\"channel\":\"c\",\"b64data\":\"aGVsbG8=\"}", "X-API-Key", "secret"));
        assertThat(response.status().code()).isEqualTo(200);
        response.release();
        assertThat(publisher.calls.getFirst()[1]).isEqualTo("hello");
        assertFalse(ch.finish());
    }

    @Test
    void unparsableJsonIs400() {
        EmbeddedChannel ch = channel(new ApiKeyCheck("secret", false));
        for (String body : List.of("{\"channel\":", "[1,2]", "", "\"text\"")) {
            FullHttpResponse response = exchange(ch,
                    request(HttpMethod.POST, "/api/publish", body, "X-API-Key", "secret"));
            assertThat(response.status().code()).as("body %s", body).isEqualTo(400);
            response.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void oversizedBodyIs413() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new BoundedHttpAggregator(1024),
                new HttpRouter(Map.of("/api/publish",
                        new PublishEndpoint(new ApiKeyCheck("", true), publisher, Runnable::run))));
        String body = "{\"channel\":\"c\",\"data\":\"" + "x".repeat(2000) + "\"}";
        ch.writeInbound(Unpooled.copiedBuffer("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body, StandardCharsets.UTF_8));
        ByteBuf out = ch.readOutbound();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413 ");
        out.release();
        assertThat(publisher.calls).isEmpty();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void lateResponsesKeepRequestOrder() {
        AtomicReference<HttpExchange> pending = new AtomicReference<>();
        HttpEndpoint slow = new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET);
            }

            @Override
            public void handle(HttpExchange exchange) {
                pending.set(exchange); // answered later, as the publish endpoint does
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRouter(Map.of("/slow", slow, "/health", new HealthEndpoint())));
        ch.writeInbound(request(HttpMethod.GET, "/slow", ""));
        assertThat(ch.config().isAutoRead()).as("stops reading while a response is outstanding").isFalse();
        ch.writeInbound(request(HttpMethod.GET, "/health", ""));
        Object early = ch.readOutbound();
        assertThat(early).as("health must wait for the slow response").isNull();

        pending.get().respond(HttpResponses.json(io.netty.handler.codec.http.HttpResponseStatus.ACCEPTED,
                "{}".getBytes(StandardCharsets.UTF_8)));
        ch.runPendingTasks();
        FullHttpResponse first = ch.readOutbound();
        FullHttpResponse second = ch.readOutbound();
        assertThat(first.status().code()).isEqualTo(202);
        assertThat(second.status().code()).isEqualTo(200);
        assertThat(ch.config().isAutoRead()).isTrue();
        first.release();
        second.release();
        assertFalse(ch.finish());
    }

    @Test
    void aStreamingEndpointOwnsTheConnectionKeepsReadingAndDropsPipelinedRequests() {
        AtomicReference<io.netty.channel.Channel> stream = new AtomicReference<>();
        HttpEndpoint streaming = new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.GET);
            }

            @Override
            public void handle(HttpExchange exchange) {
                stream.set(exchange.startStream());
                exchange.respond(HttpResponses.status(io.netty.handler.codec.http.HttpResponseStatus.OK));
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRouter(Map.of("/stream", streaming,
                "/health", new HealthEndpoint())));

        ch.writeInbound(request(HttpMethod.GET, "/stream", ""));
        assertThat(stream.get()).isSameAs(ch);
        assertThat((Object) ch.readOutbound()).as("respond() is ignored once streaming").isNull();
        assertThat(ch.config().isAutoRead()).as("keeps reading to notice the client leaving").isTrue();

        FullHttpRequest pipelined = request(HttpMethod.GET, "/health", "");
        ch.writeInbound(pipelined);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(pipelined.refCnt()).isZero();
        assertFalse(ch.finish());
    }
}
