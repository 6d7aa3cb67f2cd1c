package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;

/**
 * Closing a connection or HTTP/2 stream that ran out of time: counted as {@code http.request_timeout}, logged
 * at INFO as {@code closing <what> from <address>: <why>}, at most as often as the caller's throttle lets
 * (with how many similar closes were not logged). Stateless; call on the channel's event loop.
 */
final class DeadlineClose {

    private DeadlineClose() {
    }

    static void close(ChannelHandlerContext ctx, RefusalCounters refusals, Logger log, LogThrottle throttle,
                      String what, String why) {
        refusals.increment(RefusalCounters.HTTP_REQUEST_TIMEOUT);
        long suppressed = throttle.admit();
        if (suppressed >= 0) {
            log.info("closing {} from {}: {}{}", what, HttpExchange.format(ctx.channel().remoteAddress()), why,
                    suppressed > 0 ? " [" + suppressed + " similar closes not logged]" : "");
        }
        ctx.close();
    }
}
