package dev.weft.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
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

    /** Answers every POST with 200 and its body; counts the calls. */
    private static final class EchoEndpoint implements HttpEndpoint {
        final List<String> bodies = new ArrayList<>();

        @Override
        public Set<HttpMethod> methods() {
            return Set.of(HttpMethod.POST);
        }

        @Override
        public void handle(HttpExchange exchange) {
            String body = exchange.request().content().toString(StandardCharsets.UTF_8);
            bodies.add(body);
            exchange.respond(HttpResponses.json(HttpResponseStatus.OK, body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private final EchoEndpoint echo = new EchoEndpoint();

    private EmbeddedChannel channel(boolean enabled) {
        Map<String, HttpEndpoint> endpoints = Map.of(
                "/health", new HealthEndpoint(),
                "/api/publish", enabled ? echo : new DisabledEndpoint("server API disabled"));
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

    @Test
    void healthAnswersEmptyJsonObject() {
        EmbeddedChannel ch = channel(false);
        FullHttpResponse response = exchange(ch, request(HttpMethod.GET, "/health", ""));
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{}");
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void unknownPathIs404() {
        EmbeddedChannel ch = channel(false);
        FullHttpResponse response = exchange(ch, request(HttpMethod.GET, "/nope?x=1", ""));
        assertThat(response.status().code()).isEqualTo(404);
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void wrongMethodIs405WithAllowHeader() {
        EmbeddedChannel ch = channel(true);
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
        EmbeddedChannel ch = channel(false);
        FullHttpResponse response = exchange(ch,
                request(HttpMethod.POST, "/api/publish", "{}", "X-API-Key", "anything"));
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(echo.bodies).isEmpty();
        response.release();
        assertFalse(ch.finish());
    }

    @Test
    void oversizedBodyIs413() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new BoundedHttpAggregator(1024),
                new HttpRouter(Map.of("/api/publish", echo)));
        String body = "{\"channel\":\"c\",\"data\":\"" + "x".repeat(2000) + "\"}";
        ch.writeInbound(Unpooled.copiedBuffer("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body, StandardCharsets.UTF_8));
        ByteBuf out = ch.readOutbound();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413 ");
        out.release();
        assertThat(echo.bodies).isEmpty();
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

    @Test
    void aMountEndingInASlashServesEveryPathBelowItAndTheLongestWins() {
        EchoEndpoint feeds = new EchoEndpoint();
        EchoEndpoint special = new EchoEndpoint();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRouter(Map.of(
                "/feed/", feeds, "/feed/special/", special, "/health", new HealthEndpoint())));

        for (String path : List.of("/feed/news", "/feed/a/b?x=1", "/feed/special/one", "/feed/", "/feed")) {
            FullHttpResponse response = exchange(ch, request(HttpMethod.POST, path, path));
            assertThat(response.status().code()).as(path).isEqualTo(path.equals("/feed") ? 404 : 200);
            response.release();
        }

        assertThat(feeds.bodies).containsExactly("/feed/news", "/feed/a/b?x=1", "/feed/");
        assertThat(special.bodies).containsExactly("/feed/special/one");
        assertFalse(ch.finish());
    }
}
