package dev.weft.core.client;

import dev.weft.core.NodeConfig;
import dev.weft.core.RpcHandler;
import dev.weft.core.SendHandler;
import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.auth.TokenVerifier;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.ChannelRules;
import dev.weft.core.hub.Hub;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.metrics.EngineMetrics;
import dev.weft.core.presence.PresenceManager;
import dev.weft.core.proxy.ClientProxies;
import dev.weft.protocol.model.ClientInfo;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The node-wide services a connection works with, handed to every {@link ClientSession} of a node instead of
 * the node itself: so the session state machine depends on what it uses, and the node on it, never both ways.
 *
 * @param nodeId              the node's unique id ({@code Node.id()}), which emulated clients address
 * @param config              the node's configuration (client options, channel namespaces, name)
 * @param rules               channel name → namespace options
 * @param broker              publications, history and join/leave
 * @param presenceManager     who is present in a channel
 * @param hub                 this node's connections and channel subscribers
 * @param tokenVerifier       checks connection tokens
 * @param subscriptionTokenVerifier checks subscription tokens
 * @param tokenRevocations    revoked token ids and per-user invalidations
 * @param clock               the node's clock (token expiry)
 * @param refusals            refusals by reason, shared by the node
 * @param executor            virtual threads for the sessions' command order
 * @param timer               the node's one timer thread; tasks must hand real work to {@code executor}
 * @param sendHandlers        the node's current {@link SendHandler} (set after start), or null
 * @param rpcHandlers         the node's current {@link RpcHandler} (set after start), or null
 * @param metricsSource       the node's current {@link EngineMetrics} (set before clients connect)
 * @param proxyHandlers       the node's current event proxies (never null; {@link ClientProxies#NONE} when none)
 */
public record SessionServices(String nodeId, NodeConfig config, ChannelRules rules, Broker broker,
                              PresenceManager presenceManager, Hub<ClientSession> hub, TokenVerifier tokenVerifier,
                              TokenVerifier subscriptionTokenVerifier, TokenRevocations tokenRevocations, Clock clock,
                              RefusalCounters refusals, ExecutorService executor, ScheduledExecutorService timer,
                              Supplier<SendHandler> sendHandlers, Supplier<RpcHandler> rpcHandlers,
                              Supplier<EngineMetrics> metricsSource, Supplier<ClientProxies> proxyHandlers) {

    public SessionServices {
        Objects.requireNonNull(nodeId);
        Objects.requireNonNull(config);
        Objects.requireNonNull(rules);
        Objects.requireNonNull(broker);
        Objects.requireNonNull(presenceManager);
        Objects.requireNonNull(hub);
        Objects.requireNonNull(tokenVerifier);
        Objects.requireNonNull(subscriptionTokenVerifier);
        Objects.requireNonNull(tokenRevocations);
        Objects.requireNonNull(clock);
        Objects.requireNonNull(refusals);
        Objects.requireNonNull(executor);
        Objects.requireNonNull(timer);
        Objects.requireNonNull(sendHandlers);
        Objects.requireNonNull(rpcHandlers);
        Objects.requireNonNull(metricsSource);
        Objects.requireNonNull(proxyHandlers);
    }

    /** Where sessions report what they do ({@link EngineMetrics#NONE} unless the server bound an exporter). */
    public EngineMetrics metrics() {
        return metricsSource.get();
    }

    /** Publishes through the broker, reporting its latency and failures to {@link #metrics()}. */
    public PublishOutcome publish(String channel, byte[] data, PublishOptions options) {
        long started = System.nanoTime();
        boolean failed = true;
        try {
            PublishOutcome outcome = broker.publish(channel, data, options);
            failed = false;
            return outcome;
        } finally {
            metrics().brokerPublish(rules.namespaceOf(channel), System.nanoTime() - started, failed);
        }
    }

    /** The node's event proxies; {@link ClientProxies#NONE} when nothing is proxied. */
    public ClientProxies proxies() {
        return proxyHandlers.get();
    }

    /** The handler of client {@code send} commands, or null. */
    public SendHandler sendHandler() {
        return sendHandlers.get();
    }

    /** The handler of client {@code rpc} commands, or null. */
    public RpcHandler rpcHandler() {
        return rpcHandlers.get();
    }

    /**
     * Broker options for publishing into a channel with {@code options}: its history size and TTL, and the
     * stream meta TTL (the namespace's, else {@code history_meta_ttl}), and the delta flag when the namespace
     * publishes every publication for delta ({@code delta_publish}).
     */
    public PublishOptions publishOptions(ChannelOptions options, ClientInfo info) {
        Duration metaTtl = options.historyMetaTtl().isZero() ? config.historyMetaTtl() : options.historyMetaTtl();
        return new PublishOptions(options.historySize(), options.historyTtl(), metaTtl, info, Map.of(), "", null,
                options.deltaPublish());
    }
}
