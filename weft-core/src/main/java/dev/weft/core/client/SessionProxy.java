package dev.weft.core.client;

import dev.weft.core.CommandFailedException;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.client.SessionAuthorizer.SubscribeGrant;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.proxy.ClientProxies;
import dev.weft.core.proxy.ProxyCaller;
import dev.weft.core.proxy.ProxyOptions;
import dev.weft.core.proxy.ProxyRefusal;
import dev.weft.core.proxy.ProxyUnavailableException;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.SubscribeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One session's door to the node's event proxies ({@link ClientProxies}): says whether an event goes to the
 * backend and turns its answers into what the session does — a grant, a protocol error (the backend's custom
 * error; 100 when the backend gave no usable answer, 111 when too many calls are in flight) or a disconnect
 * (the backend's custom one). Each method returns null when the event is not proxied, and the session goes
 * its usual way (tokens, namespace permissions, handlers).
 *
 * <p>Stateless apart from the caller supplier; calls block up to the proxy timeout: session virtual threads only.
 */
final class SessionProxy {
    private static final Logger log = LoggerFactory.getLogger(SessionProxy.class);
    /** A backend outage fails every proxied command: one line a second says so. */
    private static final LogThrottle OUTAGE_LOG = new LogThrottle(Duration.ofSeconds(1));

    private final SessionServices services;
    private final Supplier<ProxyCaller> caller;

    SessionProxy(SessionServices services, Supplier<ProxyCaller> caller) {
        this.services = services;
        this.caller = caller;
    }

    private ClientProxies proxies() {
        return services.proxies();
    }

    /** The backend's answer for a connect without token; null when the token decides. */
    ClientProxies.ConnectAnswer connect(ConnectRequest request, List<String> channels) {
        if (!request.token().isEmpty() || !proxies().proxiesConnect()) {
            return null;
        }
        return decide("connect", () -> proxies().connect(caller.get(), request.data(), request.name(),
                request.version(), channels));
    }

    /** Whether the backend, not the client, keeps the connection alive. */
    boolean refreshesConnection() {
        return proxies().proxiesRefresh();
    }

    ClientProxies.RefreshAnswer refresh() {
        return decide("refresh", () -> proxies().refresh(caller.get()));
    }

    /**
     * The backend's grant for a subscribe without token to a channel whose namespace has a subscribe proxy;
     * null otherwise (subscription tokens and user-limited channels carry their own access rules, as in
     * Centrifugo).
     */
    SubscribeGrant subscribe(SubscribeRequest request, ChannelOptions options) {
        String channel = request.channel();
        ProxyOptions via = proxies().subscribeProxy(services.rules().namespaceOf(channel));
        if (via == null || !request.token().isEmpty() || services.rules().isUserLimited(channel)) {
            return null;
        }
        ClientProxies.SubscribeAnswer answer = decide("subscribe",
                () -> proxies().subscribe(via, caller.get(), channel, request.token(), request.data()));
        var g = answer.grant();
        return new SubscribeGrant(g.override().applyTo(options), g.info(), g.data(), answer.expireAt(), "", 0,
                false);
    }

    /** What to publish when the channel's namespace has a publish proxy; null otherwise. */
    ClientProxies.PublishAnswer publish(PublishRequest request) {
        ProxyOptions via = proxies().publishProxy(services.rules().namespaceOf(request.channel()));
        if (via == null) {
            return null;
        }
        return decide("publish", () -> proxies().publish(via, caller.get(), request.channel(), request.data()));
    }

    /** Whether {@code channel}'s subscriptions are refreshed by the backend when they expire. */
    boolean refreshesSubscription(String channel) {
        return proxies().subRefreshProxy(services.rules().namespaceOf(channel)) != null;
    }

    ClientProxies.SubRefreshAnswer subRefresh(String channel) {
        ProxyOptions via = proxies().subRefreshProxy(services.rules().namespaceOf(channel));
        return decide("sub_refresh", () -> proxies().subRefresh(via, caller.get(), channel));
    }

    /** Whether {@code method} goes to an RPC proxy. */
    boolean proxiesRpc(String method) {
        return proxies().rpcProxy(method) != null;
    }

    /** The backend's answer data to an RPC whose namespace has a proxy. */
    byte[] rpc(RpcRequest request) {
        ProxyOptions via = proxies().rpcProxy(request.method());
        return decide("rpc", () -> proxies().rpc(via, caller.get(), request.method(), request.data()));
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ProxyUnavailableException;
    }

    private <T> T decide(String event, Call<T> call) {
        try {
            return call.run();
        } catch (ProxyRefusal r) {
            if (r.disconnect() != null) {
                throw new DisconnectException(r.disconnect(), event + " proxy: " + r.getMessage());
            }
            throw new CommandFailedException(r.error(), event + " proxy: " + r.getMessage());
        } catch (ProxyUnavailableException e) {
            long left = OUTAGE_LOG.admit();
            if (left >= 0) {
                log.warn("{} proxy failed, temporary error sent ({} more such failures not logged): {}", event, left,
                        e.getMessage());
            }
            throw new CommandFailedException(e.overloaded() ? ErrorCode.TOO_MANY_REQUESTS : ErrorCode.INTERNAL,
                    event + " proxy: " + e.getMessage());
        }
    }
}
