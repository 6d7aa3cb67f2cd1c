package dev.weft.server.admin;

import dev.weft.core.Node;
import dev.weft.core.NodeStats;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.metrics.ServerMetrics;
import dev.weft.server.metrics.Throughput;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /admin/api/stats}: Server-Sent Events, one {@code stats} event every {@link #INTERVAL} with this
 * node's counts ({@link Node#stats}), the publications per second this node published into the broker and the
 * messages per second it wrote to clients since the last event ({@link ServerMetrics#throughput()}). The
 * samples are taken on the connection's event loop (both sources only read counters); a sample the socket cannot take yet is skipped, not queued, so a stalled browser costs
 * nothing.
 *
 * <p>Thread-safe; each stream's state is confined to its event loop.
 */
final class AdminStatsStream implements HttpEndpoint {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Node node;
    private final ServerMetrics metrics;

    AdminStatsStream(Node node, ServerMetrics metrics) {
        this.node = node;
        this.metrics = metrics;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.GET);
    }

    @Override
    public void handle(HttpExchange exchange) {
        boolean http2 = exchange.isHttp2();
        Channel channel = exchange.startStream();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
                .set("X-Accel-Buffering", "no");
        if (!http2) {
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.write(head);
        Sampler sampler = new Sampler(channel);
        sampler.run(); // the first event at once, so the page shows numbers without waiting
        ScheduledFuture<?> timer = channel.eventLoop().scheduleAtFixedRate(sampler, INTERVAL.toMillis(),
                INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timer.cancel(false));
    }

    /** One stream's sampling; event-loop only. */
    private final class Sampler implements Runnable {
        private final Channel channel;
        private long lastPublished = metrics.throughput().publications();
        private long lastDelivered = metrics.throughput().messagesSent();
        private long lastNanos = System.nanoTime();

        Sampler(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            Throughput totals = metrics.throughput();
            long published = totals.publications();
            long delivered = totals.messagesSent();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            double publishedRate = (published - lastPublished) / seconds;
            double deliveredRate = (delivered - lastDelivered) / seconds;
            lastPublished = published;
            lastDelivered = delivered;
            lastNanos = now;
            if (!channel.isActive() || !channel.isWritable()) {
                return;
            }
            NodeStats stats = node.stats();
            String json = String.format(java.util.Locale.ROOT,
                    "{\"time\":%d,\"clients\":%d,\"users\":%d,\"channels\":%d,\"subscriptions\":%d,"
                            + "\"published_per_second\":%.1f,\"delivered_per_second\":%.1f,"
                            + "\"published_total\":%d,\"delivered_total\":%d}",
                    System.currentTimeMillis(), stats.clients(), stats.users(), stats.channels(),
                    stats.subscriptions(), publishedRate, deliveredRate, published, delivered);
            byte[] event = ("event: stats\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)));
        }
    }
}
