package dev.weft.server.http;

import dev.weft.core.limits.LogThrottle;
import dev.weft.core.limits.RefusalCounters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Sits on a listening channel after Netty's acceptor, which stops accepting for a second when {@code accept}
 * fails — mostly {@code EMFILE}, the open-file limit — and passes the failure on, where it would be logged with
 * a stack trace every second for as long as the node is out of descriptors. Here it is counted
 * ({@code connection.accept_failed}) and logged once per {@link #INTERVAL}, saying how many failures there
 * were. Clients meanwhile wait in the kernel's backlog; {@code client.connection_limit} (by default derived
 * from the open-file limit, {@link OpenFileBudget}) is what keeps a node from getting here.
 *
 * <p>Sharable; thread-safe.
 */
@ChannelHandler.Sharable
public final class AcceptFailures extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final RefusalCounters refusals;
    private final int connectionLimit;
    private final LogThrottle throttle = new LogThrottle(INTERVAL);

    /** @param connectionLimit the node's connection limit in force (0 = none), for the log line */
    public AcceptFailures(RefusalCounters refusals, int connectionLimit) {
        this.refusals = refusals;
        this.connectionLimit = connectionLimit;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refusals.increment(RefusalCounters.CONNECTION_ACCEPT_FAILED);
        long suppressed = throttle.admit();
        if (suppressed >= 0) {
            log.warn("cannot accept connections on {}: {}; new clients wait until descriptors are free "
                            + "(client.connection_limit {}, raise it with the open-file limit){}",
                    ctx.channel().localAddress(), cause.getMessage(),
                    connectionLimit > 0 ? connectionLimit : "off",
                    suppressed > 0 ? " [" + suppressed + " more failures in the last " + INTERVAL.toSeconds() + " s]"
                            : "");
        }
    }
}
