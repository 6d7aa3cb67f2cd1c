package dev.weft.server.docs;

import dev.weft.core.limits.RefusalCounters;
import dev.weft.server.http.ForwardedHeaders;
import dev.weft.server.http.HttpExchange;
import dev.weft.core.transport.Transport;
import dev.weft.server.http.OriginPolicy;
import dev.weft.server.websocket.SessionFactory;
import dev.weft.server.websocket.WebSocketKeepAlive;
import dev.weft.server.websocket.WebSocketTransport;
import dev.weft.server.websocket.WebSocketUpgrade;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * How both document dialects take a request over: the {@link WebSocketUpgrade} checks (upgrade, Origin,
 * version) and handshake, a binary {@link WebSocketTransport} with the bounded write queue
 * ({@code client.queue_max_size}), WebSocket pings every {@code client.ping_interval} that close a peer gone
 * silent ({@link WebSocketKeepAlive}, as the y-websocket server's 30 s ping does), and a {@link DocumentSocket}
 * running the dialect. A client may send messages of up to {@code docs.max_update_size} plus
 * {@value #FRAMING} bytes (the message type and the Hocuspocus address); a bigger one closes with 1009, logged
 * with that option's name. Received frames wait up to the socket's high-water mark (then reading pauses) plus
 * what was already read: at most the high-water mark and two of the largest messages.
 *
 * <p>Immutable, thread-safe; {@link #upgrade} runs on the event loop.
 */
public final class DocumentUpgrade {
    private final String transportName;
    private final WebSocketUpgrade upgrade;
    private final OriginPolicy origins;
    private final Executor executor;
    private final long queueMaxSize;
    private final Duration pingInterval;
    private final long maxQueuedBytes;
    private final RefusalCounters refusals;
    private final DocumentTraffic traffic;
    /** Bytes a document message carries besides its update: types, lengths, the Hocuspocus address. */
    static final int FRAMING = 4096;

    /**
     * @param transportName    for logs ({@code "y-websocket"}, {@code "hocuspocus"})
     * @param path             the endpoint's path or prefix
     * @param maxUpdateSize    largest update a client may send ({@code docs.max_update_size})
     * @param refusals         the node's counters: refusals and error closes count as {@code docs.<error>}
     * @param traffic          where updates and awareness relayed to peers are counted
     */
    public DocumentUpgrade(String transportName, String path, OriginPolicy origins, Executor executor,
                           int maxUpdateSize, long queueMaxSize, Duration pingInterval, RefusalCounters refusals,
                           DocumentTraffic traffic) {
        this.transportName = transportName;
        int messageSizeLimit = (int) Math.min(Integer.MAX_VALUE, (long) maxUpdateSize + FRAMING);
        this.upgrade = new WebSocketUpgrade(path, null, messageSizeLimit, "docs.max_update_size");
        this.origins = origins;
        this.executor = executor;
        this.queueMaxSize = queueMaxSize;
        this.pingInterval = pingInterval;
        this.refusals = refusals;
        this.traffic = traffic;
        this.maxQueuedBytes = DocumentSocket.HIGH_WATER_BYTES + 2L * messageSizeLimit;
    }

    /** Upgrades {@code exchange} and runs {@code dialect} on it, or answers with a refusal (logged). */
    public void upgrade(HttpExchange exchange, Function<DocumentSocket, DocumentSocket.Handler> dialect) {
        if (!WebSocketUpgrade.mayUpgrade(exchange, origins)) {
            return;
        }
        WebSocketUpgrade.Started started = upgrade.start(exchange);
        if (started == null) {
            return;
        }
        WebSocketTransport transport = WebSocketTransport.binary(started.channel(), transportName,
                exchange.remoteAddress(), ForwardedHeaders.select(exchange.request().headers(),
                        ForwardedHeaders.COMMON), queueMaxSize);
        upgrade.install(exchange, started, transport, new SessionFactory() {
            @Override
            public Session open(Transport t) {
                return new DocumentSocket(transport, executor, maxQueuedBytes, refusals, traffic, dialect);
            }

            @Override
            public RefusalCounters refusals() {
                return refusals; // frames over the size limit are counted with the rest
            }
        });
        if (pingInterval.isPositive()) {
            started.channel().pipeline().addBefore("ws-control", "ws-keepalive",
                    new WebSocketKeepAlive(transport, pingInterval));
        }
    }
}
