package dev.weft.core.client;

import dev.weft.core.CommandFailedException;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.auth.SubscriptionToken;
import dev.weft.core.auth.TokenSubscription;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.client.SessionAuthorizer.SubscribeGrant;
import dev.weft.core.broker.BrokerUnavailableException;
import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.HistoryPage;
import dev.weft.core.filter.TagsFilter;
import dev.weft.core.hub.EncodedPush;
import dev.weft.core.hub.HubMember;
import dev.weft.core.internal.SerialExecutor;
import dev.weft.core.limits.CommandRateLimiter;
import dev.weft.core.limits.LogThrottle;
import dev.weft.core.metrics.TransportMetrics;
import dev.weft.core.proxy.ProxyCaller;
import dev.weft.core.transport.PushFormat;
import dev.weft.core.transport.Transport;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.codec.ProtocolCodec;
import dev.weft.protocol.codec.ProtocolCodecs;
import dev.weft.protocol.codec.ProtocolDecodeException;
import dev.weft.protocol.delta.DeltaPublications;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.FilterNode;
import dev.weft.protocol.model.HistoryRequest;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.PingRequest;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceRequest;
import dev.weft.protocol.model.PresenceStatsRequest;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishRequest;
import dev.weft.protocol.model.RefreshRequest;
import dev.weft.protocol.model.RefreshResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.Request;
import dev.weft.protocol.model.Result;
import dev.weft.protocol.model.RpcRequest;
import dev.weft.protocol.model.SendRequest;
import dev.weft.protocol.model.SubRefreshRequest;
import dev.weft.protocol.model.SubRefreshResult;
import dev.weft.protocol.model.SubscribeRequest;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribeRequest;
import dev.weft.protocol.model.UnsubscribeResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.SubscribePush;
import dev.weft.protocol.model.UnsubscribePush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One client connection's protocol state machine: CONNECTING → CONNECTED → CLOSED.
 *
 * <p>Threads: {@link #handleFrame} may be called from any thread (a network event loop); frames are
 * processed one at a time, in arrival order, on the node's virtual threads, so the caller never blocks. With
 * {@code client.concurrency} above 1, the commands that change no session state ({@code rpc},
 * {@code publish}, {@code history}, {@code presence}, {@code presence_stats}) may run beside that order on
 * their own virtual threads, so a slow proxy call does not hold up the replies after it; at most
 * {@code concurrency} commands of a connection run at once (one in order, the rest beside it: when every
 * slot is taken the command runs in order), and each reply carries its command's id.
 * Deliveries from the broker arrive on broker threads, through the hub straight to the
 * {@link ChannelSubscription} (no lookup by channel). {@code state},
 * {@code subscriptions} and everything reachable from them are guarded by {@code lock}; the lock is held
 * across transport writes (which never block) so a subscribe reply and the live publications after it
 * reach the client in order.
 *
 * <p>Lifecycle: every registration of the session — in the hub, its subscriptions (hub, presence, broker
 * interest), its timers — is made in the command order, and a subscription or the hub entry only while the
 * state allows it (checked under {@code lock}). Closing ({@link #disconnect}, {@link #handleTransportClosed},
 * any thread) marks the session CLOSED at once and queues its release as the <em>last</em> task of the command
 * order ({@link SerialExecutor#closeWith}): the release runs after the command under way, whatever that
 * command registered meanwhile, and undoes all of it. {@link #released()} completes after it.
 */
public final class ClientSession implements HubMember {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** A broker outage fails every command until it ends: one line a second says so. */
    private static final LogThrottle BROKER_OUTAGE_LOG = new LogThrottle(Duration.ofSeconds(1));
    /** Frames a connection may have waiting for processing before it is cut off. */
    private static final int MAX_QUEUED_FRAMES = 16_384;
    /**
     * Bytes of received frames a connection may have waiting for processing. Bounding bytes as well as
     * frames lets a legitimate burst of small commands through while a flood of large frames is cut off.
     */
    private static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
    private static final String VERSION = "weft 0.1.0";
    /** Unsubscribe push code for server-initiated unsubscribes (Centrifuge's 2000: SDK does not resubscribe). */
    private static final int SERVER_UNSUBSCRIBE_CODE = 2000;
    /** The only delta compression there is (Centrifuge's {@code DeltaTypeFossil}). */
    private static final String FOSSIL = "fossil";

    private enum State { CONNECTING, CONNECTED, CLOSED }

    private final SessionServices services;
    private final Transport transport;
    private final ProtocolCodec codec;
    private final PushFormat pushFormat;
    private final TransportMetrics traffic;
    private final String clientId = UUID.randomUUID().toString();
    /** Secret id an emulated client addresses its commands with; "" for other transports. */
    private final String sessionId;
    private final SerialExecutor commands;
    /** Slots for commands run beside the command order ({@code client.concurrency} - 1); null when serial. */
    private final Semaphore besideOrder;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final SessionAuthorizer authorizer;
    private final ChannelCommands channelCommands;
    /** The node's event proxies, as this connection calls them. */
    private final SessionProxy proxy;
    /** Token expiry and revocation; confined to the command order. */
    private final TokenLifetimes lifetimes;
    /** Null when {@code client.command_rate_limit} is 0. Used only in command order. */
    private final CommandRateLimiter rateLimiter;
    /** Whether this connection's first rate refusal was logged (later ones go to debug). Command order only. */
    private boolean rateRefusalLogged;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ChannelSubscription> subscriptions = new LinkedHashMap<>();
    private State state = State.CONNECTING;
    private String user = "";
    private byte[] connInfo;
    /** The connection's {@code meta} (token or connect proxy), for proxies with {@code include_connection_meta}. */
    private volatile byte[] connMeta;
    /** Headers the client sent in its connect command (headers emulation), for the proxies' allow-lists. */
    private volatile Map<String, String> emulatedHeaders = Map.of();
    private volatile long lastSeenNanos = System.nanoTime();
    /** Timers; set and cancelled only in the command order (or the constructor). */
    private ScheduledFuture<?> staleTimer;
    private ScheduledFuture<?> tickTimer;
    private ScheduledFuture<?> presenceTimer;
    private ScheduledFuture<?> pongTimer;
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    /** A session of the node whose {@code services} it uses; nodes make them ({@code Node.connect}). */
    public ClientSession(SessionServices services, Transport transport) {
        this.services = services;
        this.transport = transport;
        this.codec = ProtocolCodecs.of(transport.protocolType());
        this.pushFormat = transport.pushFormat();
        this.traffic = services.metrics().transport(transport.name());
        traffic.opened();
        // Separate from the client id, which other clients see (presence, publication info): knowing the
        // session id lets one send commands on the connection's behalf, so it only goes to the client.
        this.sessionId = transport.emulation() || transport.unidirectional() ? UUID.randomUUID().toString() : "";
        this.commands = new SerialExecutor(services.executor(), MAX_QUEUED_FRAMES);
        int concurrency = services.config().client().concurrency();
        this.besideOrder = concurrency > 1 ? new Semaphore(concurrency - 1) : null;
        this.authorizer = new SessionAuthorizer(services);
        this.proxy = new SessionProxy(services, this::proxyCaller);
        this.channelCommands = new ChannelCommands(services, authorizer, proxy);
        this.lifetimes = new TokenLifetimes(services, authorizer, proxy, new LifetimeHooks());
        var client = services.config().client();
        this.rateLimiter = CommandRateLimiter.create(client.commandRateLimit(), client.commandRateBurst(),
                client.commandRefusalLimit());
        long staleMillis = services.config().client().staleCloseDelay().toMillis();
        this.staleTimer = schedule(this::closeIfStale, staleMillis);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /**
     * The session id reported in the connect result of emulated and unidirectional transports (as Centrifuge
     * does); emulated clients send it with every {@code /emulation} request. "" for other transports.
     */
    @Override
    public String sessionId() {
        return sessionId;
    }

    /** User id; "" until connected, and for anonymous connections. */
    @Override
    public String userId() {
        return user;
    }

    public Transport transport() {
        return transport;
    }

    /** Emulated transports send their commands as emulation requests, addressed by {@link #sessionId()}. */
    @Override
    public boolean emulated() {
        return transport.emulation();
    }

    public boolean isConnected() {
        lock.lock();
        try {
            return state == State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /** Channels this session is subscribed to (including ones still subscribing). */
    public List<String> channels() {
        lock.lock();
        try {
            return List.copyOf(subscriptions.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes once the session is closed and released: nothing of it is left in the hub, in presence, in the
     * broker's interest or on the node's timer, and its {@code client.user_connection_limit} slot is free.
     */
    public CompletionStage<Void> released() {
        return released.minimalCompletionStage();
    }

    /** Hands in one frame the client sent (one or more commands). */
    public void handleFrame(byte[] frame) {
        lastSeenNanos = System.nanoTime();
        traffic.received(frame.length);
        int size = frame.length;
        boolean queued = queuedBytes.addAndGet(size) <= MAX_QUEUED_BYTES
                && commands.execute(() -> {
                    try {
                        processFrame(frame);
                    } finally {
                        queuedBytes.addAndGet(-size);
                    }
                });
        if (!queued) {
            queuedBytes.addAndGet(-size);
            if (closed()) {
                return; // a frame that was still in flight when the session closed
            }
            log.warn("client {} ({}) sent frames faster than they can be processed; disconnecting",
                    clientId, transport.remoteAddress());
            disconnect(DisconnectCode.TOO_MANY_REQUESTS.disconnect());
        }
    }

    /** The transport is gone (peer closed, network error): clean up subscriptions and presence. */
    public void handleTransportClosed() {
        closeWith(null);
    }

    /** Closes the session, sending the disconnect to the client. Idempotent; never blocks. */
    public void disconnect(Disconnect disconnect) {
        closeWith(disconnect);
    }

    // ---- inbound -------------------------------------------------------------------------------------

    private void processFrame(byte[] frame) {
        if (closed()) {
            return;
        }
        List<Command> decoded;
        try {
            decoded = codec.decodeCommands(frame);
        } catch (ProtocolDecodeException e) {
            log.info("client {} ({}) sent a malformed frame: {}; disconnecting", clientId,
                    transport.remoteAddress(), e.getMessage());
            disconnect(DisconnectCode.BAD_REQUEST.disconnect());
            return;
        } catch (RuntimeException e) {
            // A decoder bug, not the client's fault alone; still end the connection in a documented state.
            log.error("client {} ({}): decoding a frame failed; disconnecting", clientId, transport.remoteAddress(), e);
            disconnect(DisconnectCode.BAD_REQUEST.disconnect());
            return;
        }
        for (Command command : decoded) {
            if (closed()) {
                return;
            }
            if (command.isPong() || !withinRate(command)) {
                continue;
            }
            if (besideOrder != null && changesNoSessionState(command) && besideOrder.tryAcquire()) {
                runBesideOrder(command);
            } else {
                handleTimed(command);
            }
        }
    }

    /** Commands that may run beside the command order: they read the session's state but never change it. */
    private static boolean changesNoSessionState(Command command) {
        return command.request() instanceof RpcRequest || command.request() instanceof PublishRequest
                || command.request() instanceof HistoryRequest || command.request() instanceof PresenceRequest
                || command.request() instanceof PresenceStatsRequest;
    }

    /** Runs {@code command} on a virtual thread of its own, holding one of {@link #besideOrder}'s slots. */
    private void runBesideOrder(Command command) {
        try {
            services.executor().execute(() -> {
                try {
                    handleTimed(command);
                } finally {
                    besideOrder.release();
                }
            });
        } catch (RejectedExecutionException e) { // the node is shutting down: answer in order instead
            besideOrder.release();
            handleTimed(command);
        }
    }

    private void handleTimed(Command command) {
        long started = System.nanoTime();
        handleCommand(command);
        services.metrics().command(methodName(command), System.nanoTime() - started);
    }

    /** Carries out a command that passed the rate check and answers it. */
    private void handleCommand(Command command) {
        boolean connecting;
        lock.lock();
        try {
            connecting = state == State.CONNECTING;
        } finally {
            lock.unlock();
        }
        boolean isConnect = command.request() instanceof ConnectRequest;
        if (connecting != isConnect) {
            log.info("client {} ({}) sent {} {}; disconnecting", clientId, transport.remoteAddress(),
                    command.request() == null ? "an unknown command" : command.request().getClass().getSimpleName(),
                    connecting ? "before connect" : "after connect");
            disconnect(DisconnectCode.BAD_REQUEST.disconnect());
            return;
        }
        try {
            Result result = switch (command.request()) {
                case null -> throw new CommandFailedException(ErrorCode.METHOD_NOT_FOUND);
                case ConnectRequest r -> connect(command.id(), r, List.of());
                case SubscribeRequest r -> subscribe(command.id(), r);
                case UnsubscribeRequest r -> unsubscribe(r);
                case PublishRequest r -> channelCommands.publish(r, caller(), this::subscribed);
                case PresenceRequest r -> channelCommands.presence(r, caller(), this::subscribed);
                case PresenceStatsRequest r -> channelCommands.presenceStats(r, caller(), this::subscribed);
                case HistoryRequest r -> channelCommands.history(r, caller(), this::subscribed);
                case PingRequest r -> new PingResult();
                case SendRequest r -> channelCommands.send(r, caller());
                case RpcRequest r -> channelCommands.rpc(r, caller());
                case RefreshRequest r -> refresh(r);
                case SubRefreshRequest r -> subRefresh(r);
            };
            if (result != null && command.id() > 0) {
                write(codec.encodeReply(Reply.of(command.id(), result)));
            }
        } catch (CommandFailedException e) {
            services.refusals().commandRefused(e.error());
            services.metrics().commandError(methodName(command), e.error().code());
            log.debug("client {} command {} refused: {} ({})", clientId, command.id(), e.error().message(),
                    e.getMessage());
            if (command.id() > 0) {
                write(codec.encodeReply(Reply.error(command.id(), e.error())));
            }
        } catch (DisconnectException e) {
            log.info("client {} ({}) disconnected: {} ({})", clientId, transport.remoteAddress(),
                    e.disconnect.reason(), e.getMessage());
            disconnect(e.disconnect);
        } catch (BrokerUnavailableException e) {
            long left = BROKER_OUTAGE_LOG.admit();
            if (left >= 0) {
                log.warn("client {} command {} failed, temporary error sent ({} more such failures not logged): {}",
                        clientId, command.id(), left, e.getMessage());
            }
            services.metrics().commandError(methodName(command), ErrorCode.INTERNAL.code());
            if (command.id() > 0) {
                write(codec.encodeReply(Reply.error(command.id(), ErrorCode.INTERNAL.error())));
            }
        } catch (RuntimeException e) {
            log.error("client {} command {} failed", clientId, command.id(), e);
            services.metrics().commandError(methodName(command), ErrorCode.INTERNAL.code());
            if (command.id() > 0) {
                write(codec.encodeReply(Reply.error(command.id(), ErrorCode.INTERNAL.error())));
            }
        }
    }

    /**
     * The command rate check ({@code client.command_rate_limit}), before the command does any work. False
     * when the command is refused: answered with 111 (commands without id just dropped), or the connection
     * closed with 3013 when the client keeps sending regardless.
     */
    private boolean withinRate(Command command) {
        CommandRateLimiter.Verdict verdict = rateLimiter == null ? null : rateLimiter.acquire();
        if (verdict == null || verdict == CommandRateLimiter.Verdict.ALLOW) {
            return true;
        }
        var options = services.config().client();
        if (verdict == CommandRateLimiter.Verdict.DISCONNECT) {
            log.info("client {} ({}) kept sending after more than {} refused commands (client.command_refusal_limit); "
                    + "disconnecting", clientId, transport.remoteAddress(), options.commandRefusalLimit());
            disconnect(DisconnectCode.TOO_MANY_REQUESTS.disconnect());
            return false;
        }
        services.refusals().commandRefused(ErrorCode.TOO_MANY_REQUESTS.error());
        log.atLevel(rateRefusalLogged ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
                "client {} ({}) sends more than {} commands/s (client.command_rate_limit); command {} refused with 111",
                clientId, transport.remoteAddress(), options.commandRateLimit(), command.id());
        rateRefusalLogged = true; // one line per connection at INFO; the rest at DEBUG
        if (command.id() > 0) {
            write(codec.encodeReply(Reply.error(command.id(), ErrorCode.TOO_MANY_REQUESTS.error())));
        }
        return false;
    }

    // ---- connect / refresh ---------------------------------------------------------------------------

    /**
     * Connect for unidirectional transports, which read the connect request from the URL or body. Also
     * subscribes to {@code channels} the transport asked for, with the client's subscribe permissions
     * (positions for recovery come from {@code request.subs()}). The client gets a {@code connect} push —
     * or, before anything else, a disconnect: 3500 invalid or expired token, 3507 a channel it may not
     * read, 3501 a channel that does not exist. Never blocks; runs in the session's command order.
     */
    public void connectUnidirectional(ConnectRequest request, List<String> channels) {
        ConnectRequest asked = recoverableSubs(request);
        boolean queued = commands.execute(() -> {
            try {
                connect(0, asked, channels);
            } catch (CommandFailedException e) {
                log.info("client {} ({}) refused: {}", clientId, transport.remoteAddress(), e.getMessage());
                disconnect(SessionAuthorizer.disconnectFor(e).disconnect());
            } catch (DisconnectException e) {
                log.info("client {} ({}) disconnected: {} ({})", clientId, transport.remoteAddress(),
                        e.disconnect.reason(), e.getMessage());
                disconnect(e.disconnect);
            } catch (RuntimeException e) {
                log.error("client {} connect failed", clientId, e);
                disconnect(DisconnectCode.SERVER_ERROR.disconnect());
            }
        });
        if (!queued) {
            disconnect(DisconnectCode.TOO_MANY_REQUESTS.disconnect());
        }
    }

    /**
     * One-way clients have no subscribe command to ask for recovery with: naming a channel in {@code subs}
     * asks for a recoverable subscription, so the connect push carries the epoch and offset the client
     * recovers from after a reconnect (Centrifugo's unidirectional {@code SubscribeRequest} has no
     * {@code recoverable} field either).
     */
    private static ConnectRequest recoverableSubs(ConnectRequest request) {
        if (request.subs().isEmpty()) {
            return request;
        }
        Map<String, SubscribeRequest> subs = new LinkedHashMap<>();
        request.subs().forEach((channel, s) -> subs.put(channel, new SubscribeRequest(channel, s.token(),
                s.recover(), s.epoch(), s.offset(), s.data(), s.positioned(), true, s.joinLeave(), s.delta(),
                s.tagsFilter(), s.flag(), s.type())));
        return new ConnectRequest(request.token(), request.data(), subs, request.name(), request.version(),
                request.headers());
    }

    /**
     * Replies itself (or pushes, on unidirectional transports), because subscriptions made during connect
     * go live only after the connect result is out.
     */
    private Result connect(int id, ConnectRequest request, List<String> requestedChannels) {
        emulatedHeaders = request.headers();
        var proxied = proxy.connect(request, requestedChannels);
        ConnectToken token = proxied != null ? proxied.token() : authorizer.authenticate(request.token());
        connMeta = token.meta();
        var options = services.config().client();
        lock.lock();
        try {
            if (state != State.CONNECTING) {
                return null;
            }
            user = token.user();
            connInfo = token.info();
            // Added under the lock together with the state change: a close comes either before (nothing added)
            // or after (its release removes the session). The hub checks the limit and adds atomically, so
            // connections racing in for one user cannot pass it together.
            if (!services.hub().addMember(this, options.userConnectionLimit())) {
                throw new DisconnectException(DisconnectCode.CONNECTION_LIMIT.disconnect(), "user " + user
                        + " already holds " + options.userConnectionLimit()
                        + " connections (client.user_connection_limit)");
            }
            state = State.CONNECTED;
        } finally {
            lock.unlock();
        }
        if (staleTimer != null) {
            staleTimer.cancel(false);
            staleTimer = null; // a cancelled task would otherwise stay reachable for the connection's life
        }
        scheduleTicks();
        schedulePresenceRefresh();
        lifetimes.accept(token);

        Map<String, SubscribeResult> subs = new LinkedHashMap<>();
        Map<String, TokenSubscription> serverSide = new LinkedHashMap<>(token.subs());
        String personal = personalChannel(token.user());
        if (personal != null) {
            serverSide.putIfAbsent(personal, TokenSubscription.NONE);
        }
        for (var entry : serverSide.entrySet()) {
            String channel = entry.getKey();
            TokenSubscription granted = entry.getValue();
            try {
                ChannelOptions channelOptions = granted.override().applyTo(services.rules().optionsFor(channel));
                SubscribeRequest position = request.subs().getOrDefault(channel, SubscribeRequest.of(channel));
                var grant = new SubscribeGrant(channelOptions, granted.info(), granted.data(), 0, "", 0, false);
                SubscribeResult started = startSubscription(channel, grant, position, true,
                        channelOptions.joinLeave() || channelOptions.forcePushJoinLeave());
                if (started == null) {
                    return null; // closed meanwhile; the release undoes what was registered
                }
                subs.put(channel, started);
            } catch (CommandFailedException e) {
                log.warn("client {}: server-side subscription to '{}' refused: {}", clientId, channel,
                        e.getMessage());
            }
        }
        for (String channel : requestedChannels) {
            if (subs.containsKey(channel)) {
                continue;
            }
            try {
                var channelOptions = services.rules().optionsFor(channel);
                SubscribeGrant grant = authorizer.authorizeSubscribe(channel, channelOptions, "", user, clientId);
                SubscribeRequest position = request.subs().getOrDefault(channel, SubscribeRequest.of(channel));
                SubscribeResult started = startSubscription(channel, grant, position, false,
                        channelOptions.joinLeave() || channelOptions.forcePushJoinLeave());
                if (started == null) {
                    return null;
                }
                subs.put(channel, started);
            } catch (CommandFailedException e) {
                throw new DisconnectException(SessionAuthorizer.disconnectFor(e).disconnect(),
                        "channel '" + channel + "' refused: " + e.getMessage());
            }
        }
        long expireAt = lifetimes.expireAt();
        // Emulated clients address commands to the node by its unique id; others just see the name.
        String nodeField = transport.emulation() ? services.nodeId() : services.config().name();
        boolean clientRefreshes = expireAt > 0 && !proxy.refreshesConnection();
        ConnectResult result = new ConnectResult(clientId, VERSION, clientRefreshes,
                clientRefreshes ? lifetimes.ttlSeconds(expireAt) : 0, proxied == null ? null : proxied.data(), subs,
                (int) options.pingInterval().toSeconds(),
                !transport.unidirectional(), // pong: only bidirectional clients can answer pings
                sessionId, nodeField, 0);
        lock.lock();
        try {
            if (state != State.CONNECTED) {
                return null;
            }
            if (transport.unidirectional()) {
                writePush(new Push("", result));
            } else {
                write(codec.encodeReply(Reply.of(id, result)));
            }
            subs.keySet().forEach(this::goLive);
        } finally {
            lock.unlock();
        }
        log.debug("client {} connected as user '{}' over {}", clientId, user, transport.name());
        return null;
    }

    /**
     * The user's personal channel when {@code client.subscribe_to_user_personal_channel} is on and the user is
     * known: {@code #42}, or {@code personal:#42} with a personal channel namespace — as Centrifugo names it.
     */
    private String personalChannel(String userId) {
        var options = services.config().client();
        if (!options.subscribeToUserPersonalChannel() || userId.isEmpty()) {
            return null;
        }
        var channels = services.config().channels();
        String namespace = options.personalChannelNamespace();
        return (namespace.isEmpty() ? "" : namespace + channels.namespaceBoundary()) + channels.userBoundary()
                + userId;
    }

    private Result refresh(RefreshRequest request) {
        ConnectToken token = authorizer.refresh(request.token(), user);
        if (token.info() != null) {
            lock.lock();
            try {
                connInfo = token.info();
            } finally {
                lock.unlock();
            }
        }
        lifetimes.accept(token);
        return new RefreshResult(clientId, VERSION, token.expireAt() > 0, lifetimes.ttlSeconds(token.expireAt()));
    }

    // ---- subscriptions -------------------------------------------------------------------------------

    /** Replies itself: the reply must reach the client before the live publications buffered meanwhile. */
    private Result subscribe(int id, SubscribeRequest request) {
        if (request.type() != SubscribeRequest.TYPE_STREAM) {
            // map and shared-poll subscriptions are not built; as Centrifugo answers when they are not enabled
            throw new CommandFailedException(ErrorCode.NOT_AVAILABLE, "subscription type " + request.type());
        }
        if (!request.delta().isEmpty() && !request.delta().equals(FOSSIL)) {
            throw new DisconnectException(DisconnectCode.BAD_REQUEST.disconnect(),
                    "unknown delta type in subscribe: " + request.delta());
        }
        String channel = request.channel();
        var options = services.rules().optionsFor(channel);
        SubscribeGrant proxied = proxy.subscribe(request, options);
        SubscribeGrant grant = proxied != null ? proxied
                : authorizer.authorizeSubscribe(channel, options, request.token(), user, clientId);
        SubscribeResult result = startSubscription(channel, grant, request, false,
                request.joinLeave() || grant.options().forcePushJoinLeave());
        lock.lock();
        try {
            if (result == null || state != State.CONNECTED) {
                return null;
            }
            write(codec.encodeReply(Reply.of(id, result)));
            goLive(channel);
        } finally {
            lock.unlock();
        }
        return null;
    }

    /**
     * Registers the subscription (buffering live publications), then reads the stream position or
     * recovers. The caller writes the reply and then calls {@link #goLive}. Null, registering nothing, when
     * the session is no longer connected; a close after the registration leaves it to the release.
     */
    private SubscribeResult startSubscription(String channel, SubscribeGrant grant, SubscribeRequest request,
                                              boolean serverSide, boolean pushJoinLeave) {
        ChannelOptions options = grant.options();
        ClientInfo info = new ClientInfo(user, clientId, connInfo, grant.info());
        ChannelSubscription sub = new ChannelSubscription(this, channel, options, info, pushJoinLeave,
                serverSide);
        sub.expireAt = grant.expireAt();
        sub.tokenBound = grant.viaToken();
        sub.tokenJti = grant.tokenJti();
        sub.tokenIssuedAt = grant.tokenIssuedAt();
        // as in Centrifuge: asked for and allowed by the namespace, else the subscriber gets whole data
        sub.delta = !serverSide && FOSSIL.equals(request.delta()) && options.allowFossilDelta();
        sub.tagsFilter = checkedTagsFilter(request.tagsFilter(), options);
        lock.lock();
        try {
            if (state != State.CONNECTED) {
                return null;
            }
            if (subscriptions.containsKey(channel)) {
                throw new CommandFailedException(ErrorCode.ALREADY_SUBSCRIBED);
            }
            int limit = services.config().client().channelLimit();
            if (limit > 0 && subscriptions.size() >= limit) {
                throw new CommandFailedException(ErrorCode.LIMIT_EXCEEDED, "channel limit " + limit + " reached");
            }
            subscriptions.put(channel, sub);
        } finally {
            lock.unlock();
        }
        try {
            services.hub().addSubscriber(channel, sub);
            SubscribeResult result = position(sub, request);
            if (options.presence()) {
                services.presenceManager().addPresence(channel, clientId, info, services.config().client().presenceTtl(),
                        services.nodeId());
            }
            if (options.joinLeave()) {
                services.broker().publishJoin(channel, info);
            }
            lock.lock();
            try {
                lifetimes.watch(sub);
            } finally {
                lock.unlock();
            }
            // A subscription the backend granted in a namespace with a sub_refresh proxy is refreshed by the server.
            boolean expires = sub.expireAt > 0 && (sub.tokenBound || !proxy.refreshesSubscription(channel));
            List<Publication> recovered = sub.tagsFilter == null ? result.publications()
                    : result.publications().stream().filter(p -> TagsFilter.matches(sub.tagsFilter, p.tags())).toList();
            return new SubscribeResult(expires, lifetimes.ttlSeconds(sub.expireAt), result.recoverable(),
                    result.epoch(), sub.delta ? deltaChain(sub, recovered) : recovered,
                    result.recovered(), result.offset(), result.positioned(), grant.data(), result.wasRecovering(),
                    sub.delta);
        } catch (RuntimeException e) {
            lock.lock();
            try {
                subscriptions.remove(channel, sub);
                sub.removed = true;
            } finally {
                lock.unlock();
            }
            try { // undo whatever got registered before the failure; both calls are idempotent
                services.hub().removeSubscriber(channel, sub);
                if (options.presence()) {
                    services.presenceManager().removePresence(channel, clientId);
                }
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    private SubscribeResult position(ChannelSubscription sub, SubscribeRequest request) {
        var options = sub.options;
        if (!options.historyEnabled()) {
            return new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null, false);
        }
        boolean recoverable = options.forceRecovery() || request.recoverable();
        boolean positioned = recoverable || options.forcePositioning() || request.positioned();
        boolean recovering = recoverable && request.recover();
        int maxRecovered = services.config().client().recoveryMaxPublicationLimit();
        HistoryPage page;
        Recovery.Outcome outcome = Recovery.Outcome.FAILED;
        if (recovering) {
            var since = new dev.weft.protocol.model.StreamPosition(request.offset(), request.epoch());
            page = services.broker().history(sub.channel, HistoryFilter.since(since, maxRecovered + 1));
            outcome = Recovery.recover(since, page.position(), page.publications(), maxRecovered);
        } else {
            page = services.broker().history(sub.channel, HistoryFilter.POSITION_ONLY);
        }
        var top = page.position();
        lock.lock();
        try {
            sub.positioned = positioned;
            sub.epoch = top.epoch();
            sub.lastOffset = top.offset();
        } finally {
            lock.unlock();
        }
        if (recovering) {
            services.metrics().recovery(outcome.recovered(), outcome.publications().size());
        }
        if (recovering && !outcome.recovered()) {
            log.debug("client {} could not recover '{}' from {}:{} (stream at {}:{})", clientId, sub.channel,
                    request.epoch(), request.offset(), top.epoch(), top.offset());
            if (request.rejectsUnrecovered()) {
                // the SDK (getState) reloads the state itself instead of subscribing with a gap
                throw new CommandFailedException(ErrorCode.UNRECOVERABLE_POSITION);
            }
        }
        return new SubscribeResult(false, 0, recoverable, top.epoch(), outcome.publications(),
                outcome.recovered(), top.offset(), positioned, null, recovering);
    }

    /** The subscribe's tags filter if the namespace allows one and it is well formed; else 107, as Centrifuge. */
    private FilterNode checkedTagsFilter(FilterNode filter, ChannelOptions options) {
        if (filter == null) {
            return null;
        }
        if (!options.allowTagsFilter()) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, "tags filter not allowed in the namespace");
        }
        try {
            TagsFilter.validate(filter);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, "invalid tags filter: " + e.getMessage());
        }
        return filter;
    }

    /**
     * Recovered publications for a delta subscriber: the first whole, each next one against the one before,
     * and the last one's data the base for live delivery. Only recovered publications ever reach a result, so
     * the chain is unbroken; none recovered leaves no base, and the first live publication goes whole.
     */
    private List<Publication> deltaChain(ChannelSubscription sub, List<Publication> recovered) {
        boolean json = codec.type() == ProtocolType.JSON;
        List<Publication> chain = new ArrayList<>(recovered.size());
        byte[] base = null;
        for (Publication p : recovered) {
            chain.add(DeltaPublications.relativeTo(base, p, json));
            base = p.data();
        }
        lock.lock();
        try {
            sub.deltaBase = base;
        } finally {
            lock.unlock();
        }
        return chain;
    }

    /** Flushes what arrived while subscribing and switches to live delivery. Caller holds {@code lock}. */
    private void goLive(String channel) {
        ChannelSubscription sub = subscriptions.get(channel);
        if (sub == null || !sub.subscribing) {
            return;
        }
        sub.subscribing = false;
        List<EncodedPush> buffered = sub.buffer;
        sub.buffer = null;
        for (EncodedPush p : buffered) {
            deliverLocked(sub, (Publication) p.push().body(), sub.epoch, p);
        }
    }

    private Result unsubscribe(UnsubscribeRequest request) {
        ChannelSubscription sub;
        lock.lock();
        try {
            sub = removeSubscription(request.channel());
        } finally {
            lock.unlock();
        }
        if (sub != null) {
            leave(sub);
        }
        return new UnsubscribeResult();
    }

    /** Drops the channel's subscription and marks it, so deliveries already under way skip it. Holds lock. */
    private ChannelSubscription removeSubscription(String channel) {
        ChannelSubscription sub = subscriptions.remove(channel);
        if (sub != null) {
            sub.removed = true;
        }
        return sub;
    }

    private void leave(ChannelSubscription sub) {
        ScheduledFuture<?> timer = sub.expiryTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        services.hub().removeSubscriber(sub.channel, sub);
        if (sub.options.presence()) {
            services.presenceManager().removePresence(sub.channel, clientId);
        }
        if (sub.options.joinLeave()) {
            services.broker().publishLeave(sub.channel, sub.info);
        }
    }

    private Result subRefresh(SubRefreshRequest request) {
        SubscriptionToken token = authorizer.authorizeSubRefresh(request.channel(), request.token(), user, clientId);
        lock.lock();
        try {
            ChannelSubscription sub = subscriptions.get(request.channel());
            if (sub == null) {
                throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "not subscribed");
            }
            sub.expireAt = token.expireAt();
            sub.tokenBound = true;
            sub.tokenJti = token.jti();
            sub.tokenIssuedAt = token.issuedAt();
            lifetimes.watch(sub);
        } finally {
            lock.unlock();
        }
        return new SubRefreshResult(token.expireAt() > 0, lifetimes.ttlSeconds(token.expireAt()));
    }

    // ---- server-initiated changes (server API) --------------------------------------------------------

    /**
     * Subscribes the connection to a channel on the server's behalf as {@code how} says (options with
     * overrides, channel info, push data) and tells it with a {@code subscribe} push. Runs in the session's
     * command order; a refusal (already subscribed, channel limit) is logged, not pushed. Never blocks.
     */
    public void serverSubscribe(String channel, ServerSubscribe how) {
        commands.execute(() -> {
            try {
                subscribeOnServersBehalf(channel, how);
            } catch (CommandFailedException e) {
                log.info("client {}: server-side subscribe to '{}' refused: {}", clientId, channel, e.getMessage());
            }
        });
    }

    private void subscribeOnServersBehalf(String channel, ServerSubscribe how) {
        if (!isConnected()) {
            return;
        }
        var options = how.options();
        var grant = new SubscribeGrant(options, how.channelInfo(), null, 0, "", 0, false);
        SubscribeResult r = startSubscription(channel, grant, SubscribeRequest.of(channel), true,
                options.forcePushJoinLeave());
        lock.lock();
        try {
            if (r == null || state != State.CONNECTED) {
                return;
            }
            writePush(new Push(channel,
                    new SubscribePush(r.recoverable(), r.epoch(), r.offset(), r.positioned(), how.data())));
            goLive(channel);
        } finally {
            lock.unlock();
        }
    }

    /** Unsubscribes the connection on the server's behalf and tells it with an {@code unsubscribe} push. */
    public void serverUnsubscribe(String channel) {
        commands.execute(() -> {
            ChannelSubscription sub;
            lock.lock();
            try {
                sub = removeSubscription(channel);
                if (sub != null && state == State.CONNECTED) {
                    writePush(new Push(channel,
                            new UnsubscribePush(SERVER_UNSUBSCRIBE_CODE, "server unsubscribe")));
                }
            } finally {
                lock.unlock();
            }
            if (sub != null) {
                leave(sub);
            }
        });
    }

    /** Sets a new expiry for the connection (Unix seconds, 0 = never) and tells it with a {@code refresh} push. */
    public void serverRefresh(long newExpireAt) {
        serverRefresh(newExpireAt, null);
    }

    /**
     * Sets a new expiry for the connection (Unix seconds, 0 = never) and, when {@code newInfo} is not null, new
     * connection info (used by later subscriptions, presence and publications); tells the client with a
     * {@code refresh} push. Never blocks.
     */
    public void serverRefresh(long newExpireAt, byte[] newInfo) {
        commands.execute(() -> {
            lock.lock();
            try {
                if (state != State.CONNECTED) {
                    return;
                }
                if (newInfo != null) {
                    connInfo = newInfo;
                }
                writePush(new Push("", new RefreshPush(newExpireAt > 0, lifetimes.ttlSeconds(newExpireAt))));
            } finally {
                lock.unlock();
            }
            lifetimes.extendTo(newExpireAt);
        });
    }

    /**
     * Ends what rests on a token revoked since it was checked: the connection (disconnect 3014, the SDK gets a
     * new token and reconnects) or single subscriptions (unsubscribe 2502, the SDK resubscribes with a new
     * token). Called by the node when a revocation is recorded; runs in the session's command order.
     */
    public void recheckTokens() {
        commands.execute(() -> {
            if (isConnected()) {
                lifetimes.recheck();
            }
        });
    }

    /** This connection as proxy requests name it. */
    private ProxyCaller proxyCaller() {
        return new ProxyCaller(clientId, transport.name(), transport.protocolType(), user, connMeta,
                transport.headers(), emulatedHeaders);
    }

    /** Who is asking, for handlers and publication info. */
    private ClientInfo caller() {
        lock.lock();
        try {
            return new ClientInfo(user, clientId, connInfo, null);
        } finally {
            lock.unlock();
        }
    }

    private boolean subscribed(String channel) {
        lock.lock();
        try {
            ChannelSubscription sub = subscriptions.get(channel);
            return sub != null && !sub.subscribing;
        } finally {
            lock.unlock();
        }
    }

    // ---- delivery (broker threads) -------------------------------------------------------------------

    /** A publication for one of this session's subscriptions (the hub holds {@code sub}); never blocks. */
    void deliverPublication(ChannelSubscription sub, Publication publication, String epoch, EncodedPush encoded) {
        lock.lock();
        try {
            if (sub.removed || state == State.CLOSED) {
                return;
            }
            if (sub.subscribing) {
                if (sub.buffer.size() >= ChannelSubscription.MAX_BUFFERED) {
                    closeWith(DisconnectCode.INSUFFICIENT_STATE.disconnect());
                    return;
                }
                sub.buffer.add(encoded);
                return;
            }
            deliverLocked(sub, publication, epoch, encoded);
        } finally {
            lock.unlock();
        }
    }

    /** A join or leave push; sent only to subscribers that asked for them (or when forced). */
    void deliverJoinLeave(ChannelSubscription sub, EncodedPush encoded) {
        lock.lock();
        try {
            if (!sub.removed && !sub.subscribing && sub.pushJoinLeave && state == State.CONNECTED) {
                write(encoded.bytes(pushFormat));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends an asynchronous message push to this connection. */
    public void sendMessage(byte[] data) {
        lock.lock();
        try {
            if (state == State.CONNECTED) {
                writePush(new Push("", new Message(data)));
            }
        } finally {
            lock.unlock();
        }
    }

    private void deliverLocked(ChannelSubscription sub, Publication publication, String epoch, EncodedPush encoded) {
        if (sub.positioned && publication.offset() != 0) {
            if (!epoch.equals(sub.epoch)) {
                log.info("client {}: stream of '{}' changed epoch; disconnecting to recover", clientId, sub.channel);
                closeWith(DisconnectCode.INSUFFICIENT_STATE.disconnect());
                return;
            }
            if (Long.compareUnsigned(publication.offset(), sub.lastOffset) <= 0) {
                return;
            }
            if (publication.offset() != sub.lastOffset + 1) {
                log.info("client {}: gap in '{}' ({} after {}); disconnecting to recover", clientId, sub.channel,
                        publication.offset(), sub.lastOffset);
                closeWith(DisconnectCode.INSUFFICIENT_STATE.disconnect());
                return;
            }
            sub.lastOffset = publication.offset();
        }
        if (sub.tagsFilter != null && !TagsFilter.matches(sub.tagsFilter, publication.tags())) {
            return; // its offset still counts: the stream has no gap for this subscriber
        }
        if (sub.delta) {
            byte[] base = sub.deltaBase;
            sub.deltaBase = publication.data();
            write(encoded.deltaBytes(pushFormat, base, codec.type() == ProtocolType.JSON));
        } else {
            write(encoded.bytes(pushFormat));
        }
    }

    /** Encodes and writes a push made for this session alone. Caller holds {@code lock}. */
    private void writePush(Push push) {
        write(pushFormat.encode(push, ""));
    }

    private void write(byte[] frame) {
        traffic.sent(frame.length);
        if (!transport.write(frame)) {
            log.info("client {} ({}) cannot keep up: write queue full; disconnecting", clientId,
                    transport.remoteAddress());
            closeWith(DisconnectCode.SLOW.disconnect());
        }
    }

    /** The command's method for metrics; {@code "pong"} and {@code "unknown"} for the two without a request. */
    private static String methodName(Command command) {
        if (command.request() != null) {
            return Request.methodName(command.request());
        }
        return command.isPong() ? "pong" : "unknown";
    }

    // ---- timers --------------------------------------------------------------------------------------

    private void closeIfStale() {
        lock.lock();
        try {
            if (state != State.CONNECTING) {
                return;
            }
        } finally {
            lock.unlock();
        }
        log.info("client {} ({}) sent no connect within {}; closing", clientId, transport.remoteAddress(),
                services.config().client().staleCloseDelay());
        disconnect(DisconnectCode.STALE.disconnect());
    }

    private void scheduleTicks() {
        long pingMillis = services.config().client().pingInterval().toMillis();
        if (pingMillis <= 0) {
            return;
        }
        try {
            tickTimer = services.timer().scheduleAtFixedRate(() -> commands.execute(this::tick),
                    pingMillis, pingMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the node is shutting down; the session is about to be disconnected
        }
    }

    /** Refreshes presence entries every {@code client.presence_update_interval} so they outlive their TTL. */
    private void schedulePresenceRefresh() {
        long everyMillis = services.config().client().presenceUpdateInterval().toMillis();
        if (everyMillis <= 0) {
            return;
        }
        try {
            presenceTimer = services.timer().scheduleAtFixedRate(() -> commands.execute(this::refreshPresence),
                    everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the node is shutting down; the session is about to be disconnected
        }
    }

    private void refreshPresence() {
        if (closed()) {
            return;
        }
        var ttl = services.config().client().presenceTtl();
        for (ChannelSubscription sub : subscriptionsSnapshot()) {
            if (sub.options.presence()) {
                services.presenceManager().addPresence(sub.channel, clientId, sub.info, ttl, services.nodeId());
            }
        }
    }

    /** Ping, answer checked {@code pong_timeout} later, every ping interval. */
    private void tick() {
        if (closed()) {
            return;
        }
        var options = services.config().client();
        long sentAt = System.nanoTime();
        lock.lock();
        try {
            byte[] ping = pushFormat.ping();
            if (state == State.CONNECTED && ping != null) {
                write(ping);
            }
        } finally {
            lock.unlock();
        }
        if (!transport.unidirectional()) {
            pongTimer = schedule(() -> checkPong(sentAt), options.pongTimeout().toMillis());
        }
    }

    /** Any frame received since the ping counts as the answer (the SDKs send {@code {}}). */
    private void checkPong(long pingSentAt) {
        if (!closed() && lastSeenNanos - pingSentAt < 0) {
            log.info("client {} ({}) did not answer ping within {}; disconnecting", clientId,
                    transport.remoteAddress(), services.config().client().pongTimeout());
            disconnect(DisconnectCode.NO_PONG.disconnect());
        }
    }

    /** Runs {@code task} in this session's command order after a delay; null once the node is stopping. */
    private ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return services.timer().schedule(() -> commands.execute(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    // ---- closing -------------------------------------------------------------------------------------

    private boolean closed() {
        lock.lock();
        try {
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    private List<ChannelSubscription> subscriptionsSnapshot() {
        lock.lock();
        try {
            return List.copyOf(subscriptions.values());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the session closed, closes the transport (if {@code disconnect} given) and queues the release
     * behind the command under way. Never blocks; callable from any thread, also with {@code lock} held.
     */
    private void closeWith(Disconnect disconnect) {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            subscriptions.values().forEach(sub -> sub.removed = true); // deliveries under way skip them now
        } finally {
            lock.unlock();
        }
        traffic.closed(disconnect == null ? DisconnectCode.CONNECTION_CLOSED.code() : disconnect.code());
        if (disconnect != null) {
            services.refusals().disconnected(disconnect);
            transport.close(disconnect);
        }
        commands.closeWith(this::release);
    }

    /**
     * Undoes every registration of the session: its subscriptions (hub, presence, leave), its hub entry and
     * its timers. The last task of the command order, so nothing can register after it.
     */
    private void release() {
        try {
            List<ChannelSubscription> subs;
            lock.lock();
            try {
                subs = List.copyOf(subscriptions.values());
                subscriptions.clear();
            } finally {
                lock.unlock();
            }
            for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {staleTimer, tickTimer, presenceTimer, pongTimer}) {
                if (t != null) {
                    t.cancel(false);
                }
            }
            staleTimer = tickTimer = presenceTimer = pongTimer = null;
            lifetimes.cancel();
            for (ChannelSubscription sub : subs) {
                try {
                    leave(sub);
                } catch (RuntimeException e) {
                    log.warn("client {}: cleanup of '{}' failed", clientId, sub.channel, e);
                }
            }
            services.hub().removeMember(this);
        } finally {
            released.complete(null);
        }
    }

    /** What {@link TokenLifetimes} may do to this session; every call runs in the command order. */
    private final class LifetimeHooks implements TokenLifetimes.Session {
        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
            return ClientSession.this.schedule(task, delayMillis);
        }

        @Override
        public void end(DisconnectCode code, String why) {
            log.info("client {} ({}) of user '{}': {}; disconnecting", clientId, transport.remoteAddress(), user, why);
            disconnect(code.disconnect());
        }

        @Override
        public void endSubscription(ChannelSubscription sub, int code, String reason, BooleanSupplier stillDue) {
            lock.lock();
            try {
                if (subscriptions.get(sub.channel) != sub || !stillDue.getAsBoolean()) {
                    return;
                }
                removeSubscription(sub.channel);
                if (state == State.CONNECTED) {
                    writePush(new Push(sub.channel, new UnsubscribePush(code, reason)));
                }
            } finally {
                lock.unlock();
            }
            log.info("client {} ({}): {} for '{}'; unsubscribed", clientId, transport.remoteAddress(), reason,
                    sub.channel);
            leave(sub);
        }

        @Override
        public List<ChannelSubscription> tokenBoundSubscriptions() {
            return subscriptionsSnapshot().stream().filter(s -> s.tokenBound).toList();
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public void subscriptionRenewed(ChannelSubscription sub, long expireAt) {
            lock.lock();
            try {
                if (subscriptions.get(sub.channel) == sub) {
                    sub.expireAt = expireAt;
                    lifetimes.watch(sub);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void renewed(byte[] info, byte[] meta) {
            lock.lock();
            try {
                if (info != null) {
                    connInfo = info;
                }
            } finally {
                lock.unlock();
            }
            if (meta != null) {
                connMeta = meta;
            }
        }
    }
}
