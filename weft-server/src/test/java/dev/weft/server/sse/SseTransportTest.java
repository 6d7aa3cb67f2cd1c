package dev.weft.server.sse;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.Push;
import dev.weft.server.StalledSocket;
import dev.weft.server.stream.ChunkedStreamTransport;
import dev.weft.server.stream.StreamFraming;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SseTransportTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static SseTransport transport(EmbeddedChannel ch, long queueMaxSize, HttpHeaders extra,
                                          List<SseEventId.Position> resumed) {
        SseRefusals refusals = new SseRefusals(extra, 1500);
        ChunkedStreamTransport.Builder stream = ChunkedStreamTransport.builder(ch)
                .name("sse")
                .unidirectional(true)
                .pushFormat(SseEventFormat.INSTANCE)
                .framing(StreamFraming.SSE_EVENTS)
                .remoteAddress("peer")
                .queueMaxSize(queueMaxSize)
                .refusal(refusals);
        extra.forEach(h -> stream.responseHeader(h.getKey(), h.getValue()));
        return new SseTransport(stream.build(), ch.eventLoop(), HEARTBEAT, Duration.ofMillis(1500), resumed,
                refusals);
    }

    private static SseTransport transport(EmbeddedChannel ch) {
        return transport(ch, 1 << 20, new DefaultHttpHeaders(), List.of());
    }

    /** A stream whose client resumed from {@code positions}, after its first frame; returns what went out. */
    private static String started(EmbeddedChannel ch, SseTransport transport, String connectFrame) {
        transport.write(ascii(connectFrame));
        HttpResponse head = ch.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        return body(ch);
    }

    private static SseTransport resuming(EmbeddedChannel ch, SseEventId.Position... positions) {
        return transport(ch, 1 << 20, new DefaultHttpHeaders(), List.of(positions));
    }

    /** Ends the stream and checks nothing is left over. */
    private static void finish(EmbeddedChannel ch, SseTransport transport) {
        transport.close(DisconnectCode.SHUTDOWN.disconnect());
        body(ch);
        assertFalse(ch.finish());
    }

    private static byte[] publication(String channel, String epoch, long offset, String json) {
        return SseEventFormat.INSTANCE.encode(new Push(channel,
                new Publication(json.getBytes(StandardCharsets.UTF_8), null, offset)), epoch);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything written after the response head, as text; releases what it reads. */
    private static String body(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = ch.readOutbound()) != null) {
            if (msg instanceof HttpContent content) {
                out.append(content.content().toString(StandardCharsets.UTF_8));
                if (msg instanceof LastHttpContent) {
                    out.append("<END>");
                }
            }
            ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }

    @Test
    void sendsNothingUntilTheFirstWriteThenTheHeadRetryAndEvents() {
        EmbeddedChannel ch = new EmbeddedChannel();
        HttpHeaders cors = new DefaultHttpHeaders().set("Access-Control-Allow-Origin", "https://app.example");
        SseTransport transport = transport(ch, 1 << 20, cors, List.of());
        assertThat((Object) ch.readOutbound()).as("lazy: a refusal could still become a status").isNull();

        assertThat(transport.write(ascii("id: news/e/3\n\n"))).isTrue();

        HttpResponse head = ch.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().get("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(head.headers().get("Cache-Control")).contains("no-cache");
        assertThat(head.headers().get("X-Accel-Buffering")).isEqualTo("no");
        assertThat(head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(head.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(body(ch)).isEqualTo("retry: 1500\n\nid: news/e/3\n\n");

        transport.write(publication("news", "e", 4, "{\"n\":4}"));
        assertThat(body(ch)).isEqualTo("id: news/e/4\nevent: publication\ndata: {\"n\":4}\n\n");
        assertThat(transport.pendingBytes()).isZero();
        finish(ch, transport);
    }

    @Test
    void aRefusalBeforeStreamingIsAnHttpStatusWithAJsonBody() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = transport(ch);

        transport.close(DisconnectCode.INVALID_TOKEN.disconnect());

        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(response.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"disconnect\":{\"code\":3500,\"reason\":\"invalid token\"}}");
        response.release();
        assertThat(ch.isOpen()).isFalse();
        assertThat(transport.write(ascii("id: x/e/1\n\n"))).as("dropped after close").isTrue();
        assertFalse(ch.finish());
    }

    @Test
    void refusalsMapToStatuses() {
        Map<DisconnectCode, Integer> expected = Map.of(DisconnectCode.PERMISSION_DENIED, 403,
                DisconnectCode.BAD_REQUEST, 400, DisconnectCode.CONNECTION_LIMIT, 429,
                DisconnectCode.EXPIRED, 401); // 3005 may reconnect, but not with the same expired token
        expected.forEach((code, status) -> {
            EmbeddedChannel ch = new EmbeddedChannel();
            transport(ch).close(code.disconnect());
            FullHttpResponse response = ch.readOutbound();
            assertThat(response.status().code()).as(code.name()).isEqualTo(status);
            response.release();
            assertFalse(ch.finish());
        });
    }

    @Test
    void aDisconnectToComeBackAfterStillStreamsSoBrowsersRetry() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = transport(ch);

        transport.close(DisconnectCode.SHUTDOWN.disconnect());

        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status().code()).as("browsers never retry after a non-200 answer").isEqualTo(200);
        assertThat(response.headers().get("Content-Type")).startsWith("text/event-stream");
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("retry: 1500\n\n"
                + "event: disconnect\ndata: {\"code\":3001,\"reason\":\"shutdown\",\"reconnect\":true}\n\n");
        response.release();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void endsAStreamWithTheDisconnectEventAndTheLastChunk() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = transport(ch);
        started(ch, transport, "id: news/e/3\n\n");

        transport.close(new Disconnect(3010, "insufficient state", true));
        transport.close(DisconnectCode.SHUTDOWN.disconnect());

        assertThat(body(ch)).isEqualTo(
                "event: disconnect\ndata: {\"code\":3010,\"reason\":\"insufficient state\",\"reconnect\":true}\n\n<END>");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void heartbeatsAnIdleStreamOnItsOwnInterval() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        SseTransport transport = transport(ch);
        started(ch, transport, "id: news/e/3\n\n");

        ch.advanceTimeBy(HEARTBEAT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(body(ch)).isEmpty();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(body(ch)).isEqualTo(": ping\n\n");
        ch.advanceTimeBy(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(body(ch)).isEqualTo(": ping\n\n");

        transport.close(DisconnectCode.SHUTDOWN.disconnect());
        body(ch);
        ch.advanceTimeBy(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(body(ch)).as("no heartbeat after the end").isEmpty();
        assertFalse(ch.finish());
    }

    /** The text of the chunks a stalled socket holds, then completes them. */
    private static String drained(StalledSocket socket) {
        StringBuilder text = new StringBuilder();
        for (Object m : socket.messages) {
            if (m instanceof HttpContent c) {
                text.append(c.content().toString(StandardCharsets.UTF_8));
            }
        }
        socket.drain();
        return text.toString();
    }

    @Test
    void refusesEventsBeyondTheBoundAndSkipsHeartbeatsWhileBehind() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel ch = new EmbeddedChannel(socket);
        ch.freezeTime();
        SseTransport transport = transport(ch, 250, new DefaultHttpHeaders(), List.of());
        assertThat(transport.write(ascii("id: news/e/0\n\n"))).isTrue();
        socket.drain();

        byte[] event = publication("news", "e", 1, "{\"pad\":\"" + "y".repeat(60) + "\"}");
        assertThat(transport.write(event)).isTrue();
        assertThat(transport.write(publication("news", "e", 2, "{\"pad\":\"" + "y".repeat(60) + "\"}"))).isTrue();
        long pending = transport.pendingBytes();
        assertThat(transport.write(publication("news", "e", 3, "{\"pad\":\"" + "y".repeat(60) + "\"}")))
                .as("%d pending + another event > 250", pending).isFalse();
        assertThat(transport.pendingBytes()).as("a refused event is not counted").isEqualTo(pending);

        ch.advanceTimeBy(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(socket.messages).as("two events, no heartbeat behind them").hasSize(2);

        assertThat(drained(socket)).contains("news/e/1", "news/e/2").doesNotContain("news/e/3");
        assertThat(transport.pendingBytes()).isZero();
        assertThat(transport.write(publication("news", "e", 3, "{}"))).isTrue();
        socket.drain();

        transport.close(DisconnectCode.SLOW.disconnect());
        assertThat(drained(socket)).contains("\"code\":3008");
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void aReaderThatNeverReadsIsCutOffAfterTheCloseWait() {
        StalledSocket socket = new StalledSocket();
        EmbeddedChannel ch = new EmbeddedChannel(socket);
        ch.freezeTime();
        SseTransport transport = transport(ch);
        transport.write(ascii("id: news/e/0\n\n"));

        transport.close(DisconnectCode.SLOW.disconnect());
        ch.advanceTimeBy(ChunkedStreamTransport.CLOSE_WAIT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(ch.isOpen()).isFalse();
        socket.drain();
        assertFalse(ch.finish());
    }

    @Test
    void aMultiChannelStreamPutsEveryChannelsPositionInEachId() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = resuming(ch, new SseEventId.Position("b", "eb", 5));

        assertThat(started(ch, transport, "id: a/ea/2\nevent: publication\ndata: 2\n\nid: a/ea/2,b/eb/5\n\n"))
                .isEqualTo("retry: 1500\n\n"
                + "id: a/ea/2,b/eb/5\nevent: publication\ndata: 2\n\n" // b's resumed position rides along
                + "id: a/ea/2,b/eb/5\n\n");

        transport.write(publication("b", "eb", 6, "6"));
        transport.write(publication("a", "ea", 3, "3"));
        transport.write(ascii("event: join\ndata: {}\n\n"));

        assertThat(body(ch)).isEqualTo("id: b/eb/6,a/ea/2\nevent: publication\ndata: 6\n\n"
                + "id: a/ea/3,b/eb/6\nevent: publication\ndata: 3\n\n"
                + "event: join\ndata: {}\n\n");
        finish(ch, transport);
    }

    @Test
    void aResumePositionForAChannelTheStreamDoesNotCarryIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = resuming(ch, new SseEventId.Position("sports", "e", 5));

        transport.write(ascii("id: news/e/2\n\n"));

        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status().code()).isEqualTo(400);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("'sports'");
        response.release();
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finish());
    }

    @Test
    void resumingAChannelWithoutHistoryGetsAReset() {
        EmbeddedChannel ch = new EmbeddedChannel();
        SseTransport transport = resuming(ch, new SseEventId.Position("ticker", "", 0));

        assertThat(started(ch, transport, "id: ticker//0\n\n")).isEqualTo("retry: 1500\n\n"
                + "event: reset\ndata: {\"channel\":\"ticker\",\"reason\":\"the channel keeps no history to resume from\"}\n\n"
                + "id: ticker//0\n\n");
        finish(ch, transport);
    }

    @Test
    void theConnectionGoingAwayStopsEverything() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        SseTransport transport = transport(ch);
        started(ch, transport, "id: news/e/3\n\n");

        ch.close();
        assertThat(transport.write(publication("news", "e", 4, "{}"))).isTrue();
        ch.advanceTimeBy(HEARTBEAT.toMillis() * 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(body(ch)).isEmpty();
        assertFalse(ch.finish());
    }
}
