package dev.weft.core;

import dev.weft.core.auth.JwtVerifier;
import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.auth.TokenVerifier;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.ChannelRules;
import dev.weft.core.client.ClientSession;
import dev.weft.core.hub.Hub;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.presence.PresenceManager;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The engine: owns the hub of connections, the broker and presence manager, and the channel rules.
 * Transports hand it connections ({@link #connect}); the server API publishes through it.
 *
 * <p>Threads: commands run on virtual threads ({@link #executor()}), one connection's commands in order;
 * timers (pings, stale and expiry checks) fire on one platform thread and only hand work to the executor.
 * Thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** How often revocations of tokens that have expired anyway are forgotten. */
    private static final long REVOCATION_SWEEP_MINUTES = 1;

    private final String id = UUID.randomUUID().toString();
    private final NodeConfig config;
    private final ChannelRules rules;
    private final Broker broker;
    private final PresenceManager presenceManager;
    private final Hub hub;
    private final TokenVerifier tokenVerifier;
    private final TokenVerifier subscriptionTokenVerifier;
    private final TokenRevocations tokenRevocations;
    private final Clock clock;
    private final RefusalCounters refusals = new RefusalCounters();
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weft-session-", 0).factory());
    private final ScheduledThreadPoolExecutor timer;
    private volatile SendHandler sendHandler;
    private volatile RpcHandler rpcHandler;
    private volatile boolean shuttingDown;

    /**
     * A node checking tokens as {@code config.client()} says ({@code client.token.*},
     * {@code client.subscription_token.*}).
     *
     * @throws IllegalArgumentException when a configured key cannot be read
     */
    public Node(NodeConfig config, Broker broker, PresenceManager presenceManager) {
        this(config, broker, presenceManager, Clock.systemUTC());
    }

    /** As {@link #Node(NodeConfig, Broker, PresenceManager)}, on {@code clock} (tests move time). */
    public Node(NodeConfig config, Broker broker, PresenceManager presenceManager, Clock clock) {
        this(config, broker, presenceManager, new JwtVerifier(config.client().token(), clock),
                new JwtVerifier(config.client().effectiveSubscriptionToken(), clock), clock);
    }

    /** A node checking both connection and subscription tokens with {@code tokenVerifier}. */
    public Node(NodeConfig config, Broker broker, PresenceManager presenceManager, TokenVerifier tokenVerifier,
                Clock clock) {
        this(config, broker, presenceManager, tokenVerifier, tokenVerifier, clock);
    }

    public Node(NodeConfig config, Broker broker, PresenceManager presenceManager, TokenVerifier tokenVerifier,
                TokenVerifier subscriptionTokenVerifier, Clock clock) {
        this.config = config;
        this.rules = new ChannelRules(config.channels());
        this.broker = broker;
        this.presenceManager = presenceManager;
        this.hub = new Hub(broker);
        this.tokenVerifier = tokenVerifier;
        this.subscriptionTokenVerifier = subscriptionTokenVerifier;
        this.tokenRevocations = new TokenRevocations(clock);
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "weft-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        broker.setEventHandler(new BrokerEvents());
        tokenRevocations.addListener(new RevocationEvents());
        timer.scheduleAtFixedRate(() -> executor.execute(tokenRevocations::sweep), REVOCATION_SWEEP_MINUTES,
                REVOCATION_SWEEP_MINUTES, TimeUnit.MINUTES);
    }

    /**
     * This node's identity, unique per start (a random UUID): emulated transports address their commands
     * to it (the connect result's {@code node}), so two nodes with the same configured name never mix.
     */
    public String id() {
        return id;
    }

    public NodeConfig config() {
        return config;
    }

    public ChannelRules rules() {
        return rules;
    }

    public Broker broker() {
        return broker;
    }

    public PresenceManager presenceManager() {
        return presenceManager;
    }

    public Hub hub() {
        return hub;
    }

    /** Checks connection tokens. */
    public TokenVerifier tokenVerifier() {
        return tokenVerifier;
    }

    /** Checks subscription tokens: {@code client.subscription_token.*} when enabled, else as connection tokens. */
    public TokenVerifier subscriptionTokenVerifier() {
        return subscriptionTokenVerifier;
    }

    /**
     * Revoked token IDs and per-user invalidations. Recording one ({@code revokeToken},
     * {@code invalidateUserTokens}) also ends, at once, the connections on this node whose connection token
     * it hits (disconnect 3014: the SDK fetches a new token and reconnects) and the subscriptions whose
     * subscription token it hits (unsubscribe 2502: the SDK resubscribes with a new token). Later connects,
     * refreshes and subscribes with such a token are refused with 113.
     */
    public TokenRevocations tokenRevocations() {
        return tokenRevocations;
    }

    public Clock clock() {
        return clock;
    }

    /** Refusals by reason (limits, permissions, malformed input), for operators and, later, metrics. */
    public RefusalCounters refusals() {
        return refusals;
    }

    /** Virtual-thread executor for work that may block. */
    public ExecutorService executor() {
        return executor;
    }

    /** The single timer thread; scheduled tasks must hand real work to {@link #executor()}. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    public SendHandler sendHandler() {
        return sendHandler;
    }

    public RpcHandler rpcHandler() {
        return rpcHandler;
    }

    /** Starts a session for a freshly opened transport; it expects a connect command within the stale delay. */
    public ClientSession connect(Transport transport) {
        ClientSession session = new ClientSession(this, transport);
        if (shuttingDown) {
            session.disconnect(DisconnectCode.SHUTDOWN.disconnect());
        }
        return session;
    }

    /**
     * Publishes from the server side (server API, outbox, …) with the channel's namespace options.
     *
     * @throws CommandFailedException 102 for an unknown namespace, 107 for an empty channel name
     */
    public PublishOutcome publish(String channel, byte[] data, String idempotencyKey, Map<String, String> tags) {
        ChannelOptions options = rules.optionsFor(channel);
        return broker.publish(channel, data, publishOptions(options, null)
                .withIdempotencyKey(idempotencyKey).withTags(tags));
    }

    /** Broker options for publishing into a channel with {@code options}. */
    public PublishOptions publishOptions(ChannelOptions options, ClientInfo info) {
        Duration metaTtl = options.historyMetaTtl().isZero() ? config.historyMetaTtl() : options.historyMetaTtl();
        return new PublishOptions(options.historySize(), options.historyTtl(), metaTtl, info, Map.of(), "", null);
    }

    /** Subscribes every connection of {@code user} on this node to {@code channel} (subscribe push). */
    public void subscribe(String user, String channel) {
        hub.userSessions(user).forEach(s -> s.serverSubscribe(channel));
    }

    /** Unsubscribes every connection of {@code user} on this node from {@code channel} (unsubscribe push). */
    public void unsubscribe(String user, String channel) {
        hub.userSessions(user).forEach(s -> s.serverUnsubscribe(channel));
    }

    /** Disconnects every connection of {@code user} on this node. */
    public void disconnect(String user, dev.weft.protocol.model.Disconnect disconnect) {
        hub.userSessions(user).forEach(s -> s.disconnect(disconnect));
    }

    /** Sends {@code data} to every connection of {@code user} on this node (message push). */
    public void sendMessage(String user, byte[] data) {
        hub.userSessions(user).forEach(s -> s.sendMessage(data));
    }

    public void setSendHandler(SendHandler handler) {
        this.sendHandler = handler;
    }

    public void setRpcHandler(RpcHandler handler) {
        this.rpcHandler = handler;
    }

    /** Number of open sessions on this node. */
    public int connectionCount() {
        return hub.sessionCount();
    }

    /**
     * Disconnects every session with the shutdown code (clients reconnect elsewhere) and waits up to
     * {@code grace} for them to finish closing; then stops timers and the broker.
     */
    public void shutdown(Duration grace) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        var sessions = hub.sessions();
        log.info("shutting down: disconnecting {} sessions", sessions.size());
        sessions.forEach(s -> s.disconnect(DisconnectCode.SHUTDOWN.disconnect()));
        long deadline = System.nanoTime() + grace.toNanos();
        while (hub.sessionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
        executor.shutdown();
        try {
            executor.awaitTermination(Math.max(grace.toMillis(), 100), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
        presenceManager.close();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(1));
    }

    /** Ends what rests on a revoked token; runs on the revoking thread and only enqueues work per session. */
    private final class RevocationEvents implements TokenRevocations.Listener {
        @Override
        public void tokenRevoked(String jti) {
            hub.sessions().forEach(ClientSession::recheckTokens);
        }

        @Override
        public void userTokensInvalidated(String user, long issuedBefore) {
            hub.userSessions(user).forEach(ClientSession::recheckTokens);
        }
    }

    /** Fans out what the broker delivers; runs on the broker's delivery thread and never blocks. */
    private final class BrokerEvents implements BrokerEventHandler {
        @Override
        public void handlePublication(String channel, Publication publication, String epoch) {
            hub.broadcastPublication(channel, publication, epoch);
        }

        @Override
        public void handleJoin(String channel, ClientInfo info) {
            hub.broadcastJoin(channel, info);
        }

        @Override
        public void handleLeave(String channel, ClientInfo info) {
            hub.broadcastLeave(channel, info);
        }
    }
}
