package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Aggregates requests up to a body limit; a bigger body is answered 413 and the connection closed after it
 * ({@link LingeringClose}: at most a few MiB more are read and dropped; HTTP/2: the stream is reset). Netty's own handling keeps a keep-alive connection open and reads the whole oversized
 * body to throw it away — gigabytes, for as long as the client cares to send. Removed from the pipeline by the
 * WebSocket handshake.
 */
public final class BoundedHttpAggregator extends HttpObjectAggregator {
    private static final Logger log = LoggerFactory.getLogger(BoundedHttpAggregator.class);
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(Duration.ofSeconds(1));

    public BoundedHttpAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        long suppressed = LOG_THROTTLE.admit();
        if (suppressed >= 0) {
            // Redacted: a query may hold a credential (api_key, token).
            log.info("refused {} {} from {}: 413, connection closed (body larger than {} bytes){}",
                    request.method(), RedactedUri.of(request.uri()),
                    HttpExchange.format(ctx.channel().remoteAddress()), maxContentLength(),
                    suppressed > 0 ? " [" + suppressed + " similar refusals not logged]" : "");
        }
        ctx.channel().config().setAutoRead(false); // nothing more of the body until the answer is out
        FullHttpResponse response = HttpResponses.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        HttpUtil.setKeepAlive(response, false);
        LingeringClose.after(ctx.writeAndFlush(response));
    }
}
