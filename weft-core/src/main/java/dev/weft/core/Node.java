package dev.weft.core;

import dev.weft.core.auth.JwtVerifier;
import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.auth.TokenVerifier;
import dev.weft.core.broker.Broker;
import dev.weft.core.broker.BrokerEventHandler;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.core.channel.ChannelRules;
import dev.weft.core.client.ClientSession;
import dev.weft.core.client.ServerSubscribe;
import dev.weft.core.client.SessionServices;
import dev.weft.core.control.Cluster;
import dev.weft.core.control.ControlBus;
import dev.weft.core.control.ControlMessage;
import dev.weft.core.control.NodeInfo;
import dev.weft.core.hub.Hub;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.metrics.EngineMetrics;
import dev.weft.core.presence.PresenceManager;
import dev.weft.core.proxy.ClientProxies;
import dev.weft.core.presence.PresenceStats;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The engine, and the one way into it: owns the hub of connections, the broker and presence manager, and the
 * channel rules. Transports hand it connections ({@link #connect}); the server API and everything else outside
 * the engine use its operations — publish, history, presence, channels and stats, and control of a user's
 * connections (subscribe, unsubscribe, disconnect, refresh, message, token revocations) — never the broker,
 * presence manager or hub behind them. Sessions get the node-wide services they use ({@link SessionServices}),
 * not the node.
 *
 * <p>Control operations return a {@link CompletionStage} of what they reached. A node alone reaches its own
 * connections; once it {@linkplain #joinCluster joins a cluster} the same operation goes to every node over
 * the control bus and the per-node outcomes are added up, token revocations are shared, and emulation
 * requests are forwarded to the node holding the session.
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
    private final Hub<ClientSession> hub;
    private final SessionServices services;
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
    private volatile EngineMetrics metrics = EngineMetrics.NONE;
    private volatile ClientProxies proxies = ClientProxies.NONE;
    private volatile boolean shuttingDown;
    private final long startedNanos = System.nanoTime();
    private volatile Cluster cluster;
    private volatile ControlBus controlBus;
    private volatile String version = "";

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
        this.hub = new Hub<>(broker);
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
        this.services = new SessionServices(id, config, rules, broker, presenceManager, hub, tokenVerifier,
                subscriptionTokenVerifier, tokenRevocations, clock, refusals, executor, timer,
                () -> sendHandler, () -> rpcHandler, () -> metrics, () -> proxies);
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

    /** Channel name → namespace options (checks before an operation: unknown namespace, history, presence). */
    public ChannelRules rules() {
        return rules;
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
     * Revoked token IDs and per-user invalidations, for readers (token checks outside sessions). Record them
     * with {@link #revokeToken} and {@link #invalidateUserTokens}.
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
        ClientSession session = new ClientSession(services, transport);
        if (shuttingDown) {
            session.disconnect(DisconnectCode.SHUTDOWN.disconnect());
        }
        return session;
    }

    /**
     * The connected session of an emulated transport with this secret session id, or null: where an emulation
     * request for this node goes. Unidirectional sessions are never found (they must not take commands).
     */
    public ClientSession emulationSession(String sessionId) {
        return hub.emulatedMember(sessionId);
    }

    /**
     * Joins the cluster on {@code bus}: heartbeats every 3 s (this node's name, {@code version} and counts),
     * control operations sent to every node, revocations shared, emulation requests forwarded. Call once,
     * before clients connect; the node leaves the bus when it shuts down.
     */
    public synchronized void joinCluster(ControlBus bus, String version) {
        if (cluster != null) {
            throw new IllegalStateException("already in a cluster");
        }
        this.version = version == null ? "" : version;
        this.controlBus = bus;
        this.cluster = new Cluster(id, bus, new ClusterEvents(), timer, executor);
    }

    /**
     * Frames of {@code kind} to and from the other nodes of the cluster, beside the control messages
     * ({@link Cluster#attach}): how document rooms relay their updates. Null when the node is in no cluster.
     */
    public synchronized Cluster.FrameChannel attachToCluster(byte kind, Cluster.FrameListener listener) {
        return cluster == null ? null : cluster.attach(kind, listener);
    }

    /** Why the engine (broker) cannot serve now, without blocking; null while it can. */
    public String engineUnavailableReason() {
        return broker.unavailableReason();
    }

    /** The other live nodes of the cluster as their last heartbeats describe them; none for a node alone. */
    public List<NodeInfo> otherNodes() {
        Cluster c = cluster;
        return c == null ? List.of() : c.otherNodes();
    }

    private NodeInfo describe() {
        NodeStats stats = stats();
        return new NodeInfo(id, config.name(), version, stats.clients(), stats.users(), stats.channels(),
                stats.subscriptions(), (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }

    /**
     * Hands the commands of an emulation request to session {@code sessionId} of this node, or, when
     * {@code nodeId} is another node of the cluster, forwards them to it. Completes with the outcome's name
     * ({@code EmulationRouter.Outcome}); never blocks.
     */
    public CompletionStage<String> deliverEmulation(String nodeId, String sessionId, ProtocolType format,
                                                    byte[] data) {
        if (id.equals(nodeId)) {
            return CompletableFuture.completedStage(deliverEmulationHere(sessionId, format.name(), data));
        }
        Cluster c = cluster;
        if (c == null) {
            return CompletableFuture.completedStage("UNKNOWN_NODE");
        }
        return c.emulate(nodeId, ControlMessage.emulation(sessionId, format.name(), data));
    }

    private String deliverEmulationHere(String sessionId, String format, byte[] data) {
        ClientSession session = emulationSession(sessionId);
        if (session == null) {
            return "UNKNOWN_SESSION";
        }
        if (!session.transport().protocolType().name().equals(format)) {
            return "WRONG_FORMAT";
        }
        session.handleFrame(data);
        return "DELIVERED";
    }

    // ---- publications, history, presence -------------------------------------------------------------

    /**
     * Publishes from the server side (server API, outbox, …) with the channel's namespace options and
     * {@code how}. Blocks on the broker.
     *
     * @return the publication's position in the channel's stream
     * @throws CommandFailedException 102 for an unknown namespace, 107 for an empty channel name
     */
    public PublishOutcome publish(String channel, byte[] data, ServerPublish how) {
        PublishOptions options = services.publishOptions(rules.optionsFor(channel), null);
        if (how.skipHistory()) {
            options = new PublishOptions(0, Duration.ZERO, options.historyMetaTtl(), null, Map.of(), "", null,
                    options.delta());
        }
        return services.publish(channel, data, options.withTags(how.tags()).withIdempotencyKey(how.idempotencyKey())
                .withDelta(options.delta() || how.delta()));
    }

    /** As {@link #publish(String, byte[], ServerPublish)}, keeping history as the namespace says. */
    public PublishOutcome publish(String channel, byte[] data, String idempotencyKey, Map<String, String> tags) {
        return publish(channel, data, new ServerPublish(tags, idempotencyKey, false));
    }

    /**
     * Reads the channel's history: up to {@code limit} publications after {@code since} (null = from the
     * start, or from the newest backwards with {@code reverse}), as {@link HistoryFilter} reads them. Reading
     * extends the stream meta's life as a publish would (Centrifugo's {@code history_meta_ttl}). Blocks on the
     * broker. The caller checks that the namespace keeps history.
     *
     * @throws CommandFailedException 102 for an unknown namespace
     */
    public HistoryPage history(String channel, StreamPosition since, int limit, boolean reverse) {
        Duration metaTtl = services.publishOptions(rules.optionsFor(channel), null).historyMetaTtl();
        return broker.history(channel, new HistoryFilter(since, limit, reverse, metaTtl));
    }

    /** Drops the channel's history (its position stays). Blocks on the broker. */
    public void removeHistory(String channel) {
        broker.removeHistory(channel);
    }

    /** Who is present in the channel, by client id (every node's connections). Blocks on the presence manager. */
    public Map<String, ClientInfo> presence(String channel) {
        return presenceManager.presence(channel);
    }

    /** Connections and distinct users present in the channel. Blocks on the presence manager. */
    public PresenceStats presenceStats(String channel) {
        return presenceManager.presenceStats(channel);
    }

    /** Channels with at least one subscriber on this node, by name, with their subscriber counts. */
    public Map<String, Integer> channels() {
        Map<String, Integer> out = new TreeMap<>();
        for (String channel : hub.channels()) {
            int subscribers = hub.subscriberCount(channel);
            if (subscribers > 0) {
                out.put(channel, subscribers);
            }
        }
        return out;
    }

    /**
     * This node's connected sessions of {@code user} ("" = every connection, anonymous ones included), at most
     * {@code limit} of them, in no particular order. A snapshot: connections may come and go meanwhile.
     */
    public List<ConnectionSummary> connections(String user, int limit) {
        Collection<ClientSession> sessions = user.isEmpty() ? hub.members() : hub.userMembers(user);
        List<ConnectionSummary> out = new ArrayList<>();
        for (ClientSession s : sessions) {
            if (out.size() >= limit) {
                break;
            }
            if (s.isConnected()) {
                List<String> channels = new ArrayList<>(s.channels());
                Collections.sort(channels);
                out.add(new ConnectionSummary(s.clientId(), s.userId(), s.transport().name(),
                        s.transport().remoteAddress(), channels));
            }
        }
        return out;
    }

    /** Bytes queued for clients on every transport of this node and not yet written to their sockets. */
    public long pendingBytes() {
        long sum = 0;
        for (ClientSession session : hub.members()) {
            sum += session.transport().pendingBytes();
        }
        return sum;
    }

    /** What this node holds now. */
    public NodeStats stats() {
        Map<String, Integer> channels = channels();
        int subscriptions = channels.values().stream().mapToInt(Integer::intValue).sum();
        return new NodeStats(hub.memberCount(), hub.userCount(), channels.size(), subscriptions);
    }

    // ---- control of a user's connections ---------------------------------------------------------------

    /**
     * Subscribes the targeted connections to {@code channel} as {@code how} says; each is told with a
     * {@code subscribe} push, in its own command order (a refusal there is logged, not pushed).
     */
    public CompletionStage<ControlOutcome> subscribe(UserConnections who, String channel, ServerSubscribe how) {
        return control(operation(ControlMessage.OP_SUBSCRIBE, who)
                .withArguments(channel, how.options(), how.channelInfo(), how.data()));
    }

    /** Unsubscribes the targeted connections from {@code channel} (unsubscribe push). */
    public CompletionStage<ControlOutcome> unsubscribe(UserConnections who, String channel) {
        return control(operation(ControlMessage.OP_UNSUBSCRIBE, who).withArguments(channel, null, null, null));
    }

    /** Disconnects the targeted connections with {@code disconnect}. */
    public CompletionStage<ControlOutcome> disconnect(UserConnections who, Disconnect disconnect) {
        return control(operation(ControlMessage.OP_DISCONNECT, who).withDisconnect(disconnect));
    }

    /**
     * Gives the targeted connections a new expiry ({@code expireAt}, Unix seconds; 0 = none) and, when not null,
     * new connection info; {@code expired}, or an {@code expireAt} already past, disconnects them as expired.
     */
    public CompletionStage<ControlOutcome> refresh(UserConnections who, long expireAt, byte[] info,
                                                   boolean expired) {
        boolean expireNow = expired || (expireAt > 0 && expireAt <= clock.instant().getEpochSecond());
        return control(operation(ControlMessage.OP_REFRESH, who).withArguments("", null, info, null)
                .withExpiry(expireAt, expireNow));
    }

    /** Sends {@code data} to the targeted connections (message push). */
    public CompletionStage<ControlOutcome> sendMessage(UserConnections who, byte[] data) {
        return control(operation(ControlMessage.OP_MESSAGE, who).withArguments("", null, null, data));
    }

    /**
     * Revokes the token with ID {@code jti}; {@code expireAt} is its {@code exp} (Unix seconds; 0 = a default
     * lifetime). Connections whose connection token it is end at once (disconnect 3014: the SDK fetches a new
     * token and reconnects), subscriptions on it are unsubscribed (2502: the SDK resubscribes with a new token);
     * later connects, refreshes and subscribes with it are refused (113). In a cluster every node is told, and
     * the revocation is stored on the control bus for nodes that join later; when it cannot be, this throws
     * {@link dev.weft.core.broker.BrokerUnavailableException} and nothing was revoked.
     */
    public void revokeToken(String jti, long expireAt) {
        Cluster c = cluster;
        if (c != null) {
            c.shareRevocation(ControlMessage.revokeToken(jti, expireAt)); // fails first if it cannot be shared
        }
        tokenRevocations.revokeToken(jti, expireAt);
    }

    /**
     * Invalidates every token of {@code user} issued before {@code issuedBefore} (Unix seconds; 0 = now), with
     * the effects {@link #revokeToken} has for one token, on every node of the cluster.
     */
    public void invalidateUserTokens(String user, long issuedBefore) {
        long before = issuedBefore > 0 ? issuedBefore : clock.instant().getEpochSecond();
        Cluster c = cluster;
        if (c != null) {
            c.shareRevocation(ControlMessage.invalidateUser(user, before)); // fails first if it cannot be shared
        }
        tokenRevocations.invalidateUserTokens(user, before);
    }

    private static ControlMessage operation(String op, UserConnections who) {
        return ControlMessage.control(op, who.user(), who.client(), who.except());
    }

    /** Applies {@code operation} here and, in a cluster, on every node; adds up what each reached. */
    private CompletionStage<ControlOutcome> control(ControlMessage operation) {
        Cluster c = cluster;
        if (c == null) {
            return CompletableFuture.completedStage(new ControlOutcome(applyHere(operation)));
        }
        return c.control(operation).thenApply(ControlOutcome::new);
    }

    /** Hands the operation to each targeted session on this node; none of them runs it before this returns. */
    private int applyHere(ControlMessage m) {
        Consumer<ClientSession> apply = switch (m.op()) {
            case ControlMessage.OP_SUBSCRIBE -> {
                ServerSubscribe how = new ServerSubscribe(m.options(), m.info(), m.data());
                yield s -> s.serverSubscribe(m.channel(), how);
            }
            case ControlMessage.OP_UNSUBSCRIBE -> s -> s.serverUnsubscribe(m.channel());
            case ControlMessage.OP_DISCONNECT -> s -> s.disconnect(m.disconnect());
            case ControlMessage.OP_REFRESH -> m.expired()
                    ? s -> s.disconnect(DisconnectCode.EXPIRED.disconnect())
                    : s -> s.serverRefresh(m.expireAt(), m.info());
            case ControlMessage.OP_MESSAGE -> s -> s.sendMessage(m.data());
            default -> {
                log.info("ignoring control operation of unknown kind '{}'", m.op());
                yield null;
            }
        };
        if (apply == null) {
            return 0;
        }
        UserConnections who = new UserConnections(m.user(), m.client(), m.except());
        int reached = 0;
        for (ClientSession s : hub.userMembers(who.user())) {
            if (who.includes(s.clientId())) {
                apply.accept(s);
                reached++;
            }
        }
        return reached;
    }

    public void setSendHandler(SendHandler handler) {
        this.sendHandler = handler;
    }

    /** Where client sessions report commands, traffic and recoveries; sessions opened before keep the old one. */
    public void setMetrics(EngineMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
    }

    /**
     * Sends client events to the backend as {@code proxies} says (Centrifugo's event proxies): connect without
     * token, refresh, subscribe, publish, sub_refresh and rpc. Set before the node takes connections.
     */
    public void setProxies(ClientProxies proxies) {
        this.proxies = Objects.requireNonNull(proxies);
    }

    /** The event proxies sessions call; {@link ClientProxies#NONE} unless set. */
    public ClientProxies proxies() {
        return proxies;
    }

    public void setRpcHandler(RpcHandler handler) {
        this.rpcHandler = handler;
    }

    /** Number of open sessions on this node. */
    public int connectionCount() {
        return hub.memberCount();
    }

    /**
     * The parts behind the node, for tests that look at them directly (subscriber counts, stream positions).
     * Not for production code: {@code PackageRulesTest} keeps main code from calling it.
     */
    public Internals internalsForTests() {
        return new Internals(hub, broker, presenceManager, controlBus);
    }

    /** See {@link #internalsForTests()}; {@code controlBus} is null for a node alone. */
    public record Internals(Hub<ClientSession> hub, Broker broker, PresenceManager presenceManager,
                            ControlBus controlBus) {
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
        var sessions = hub.members();
        log.info("shutting down: disconnecting {} sessions", sessions.size());
        sessions.forEach(s -> s.disconnect(DisconnectCode.SHUTDOWN.disconnect()));
        long deadline = System.nanoTime() + grace.toNanos();
        while (hub.memberCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Cluster c = cluster;
        if (c != null) {
            c.close();
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

    /** What the other nodes of the cluster ask of this one; runs on the executor. */
    private final class ClusterEvents implements Cluster.Handler {
        @Override
        public NodeInfo describe() {
            return Node.this.describe();
        }

        @Override
        public int apply(ControlMessage control) {
            return applyHere(control);
        }

        @Override
        public void revoked(ControlMessage m) {
            if (m.type().equals(ControlMessage.REVOKE_TOKEN)) {
                tokenRevocations.revokeToken(m.jti(), m.expireAt());
            } else {
                tokenRevocations.invalidateUserTokens(m.user(), m.issuedBefore());
            }
        }

        @Override
        public String emulate(ControlMessage m) {
            return deliverEmulationHere(m.session(), m.format(), m.data());
        }

        /**
         * Drops the presence entries of a node that is gone and publishes their leaves. One survivor does it —
         * the one with the lowest id among those this node knows — so the leaves go out once; removal is
         * idempotent, so two survivors with different views of the cluster do no harm.
         */
        @Override
        public void nodeGone(String gone) {
            boolean lowest = otherNodes().stream().allMatch(n -> id.compareTo(n.id()) < 0);
            if (!lowest) {
                return;
            }
            Map<String, List<ClientInfo>> removed = presenceManager.removeNodePresence(gone);
            int entries = 0;
            for (Map.Entry<String, List<ClientInfo>> channel : removed.entrySet()) {
                boolean joinLeave;
                try {
                    joinLeave = rules.optionsFor(channel.getKey()).joinLeave();
                } catch (CommandFailedException e) { // namespace no longer configured
                    joinLeave = false;
                }
                for (ClientInfo info : channel.getValue()) {
                    entries++;
                    if (joinLeave) {
                        broker.publishLeave(channel.getKey(), info);
                    }
                }
            }
            if (entries > 0) {
                log.info("removed {} presence entries of gone node {} in {} channels", entries, gone, removed.size());
            }
        }
    }

    /** Ends what rests on a revoked token; runs on the revoking thread and only enqueues work per session. */
    private final class RevocationEvents implements TokenRevocations.Listener {
        @Override
        public void tokenRevoked(String jti) {
            hub.members().forEach(ClientSession::recheckTokens);
        }

        @Override
        public void userTokensInvalidated(String user, long issuedBefore) {
            hub.userMembers(user).forEach(ClientSession::recheckTokens);
        }
    }

    /** Fans out what the broker delivers; runs on the broker's delivery thread and never blocks. */
    private final class BrokerEvents implements BrokerEventHandler {
        @Override
        public void handlePublication(String channel, Publication publication, String epoch, boolean delta) {
            hub.broadcastPublication(channel, publication, epoch, delta);
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
