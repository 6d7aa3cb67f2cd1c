package dev.weft.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates requests up to a body limit; a bigger body is answered 413 (by Netty's aggregator) and logged.
 * Removed from the pipeline by the WebSocket handshake.
 */
public final class BoundedHttpAggregator extends HttpObjectAggregator {
    private static final Logger log = LoggerFactory.getLogger(BoundedHttpAggregator.class);

    public BoundedHttpAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest request) {
            // Redacted: a query may hold a credential (api_key, token).
            log.info("refused {} {} from {}: 413 (body larger than {} bytes)", request.method(),
                    RedactedUri.of(request.uri()),
                    HttpExchange.format(ctx.channel().remoteAddress()), maxContentLength());
        }
        super.handleOversizedMessage(ctx, oversized);
    }
}
