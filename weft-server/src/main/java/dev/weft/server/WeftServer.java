package dev.weft.server;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.proxy.ClientProxies;
import dev.weft.postgres.outbox.OutboxConsumer;
import dev.weft.server.outbound.HttpProxyEndpoint;
import dev.weft.server.outbound.OutboundHttp;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.emulation.EmulationRouter;
import dev.weft.core.emulation.NodeEmulationRouter;
import dev.weft.core.limits.RefusalCounters;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.nats.NatsEngineConfig;
import dev.weft.nats.NatsEngine;
import dev.weft.redis.RedisEngine;
import dev.weft.postgres.changes.ChangeStreamConfig;
import dev.weft.postgres.changes.ChangeStreams;
import dev.weft.server.admin.AdminEndpoints;
import dev.weft.server.api.ApiEndpoint;
import dev.weft.server.api.ApiKeyCheck;
import dev.weft.server.api.ApiKeyGuard;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.ApiMethods;
import dev.weft.server.api.OutboxApiCommands;
import dev.weft.server.api.ServerApi;
import dev.weft.server.api.StreamRoutes;
import dev.weft.server.ai.AiStreamRpc;
import dev.weft.server.ai.AiStreams;
import dev.weft.server.ai.reader.AiStreamEndpoint;
import dev.weft.server.ai.relay.HttpUpstreamRelays;
import dev.weft.server.ai.relay.UpstreamRelays;
import dev.weft.server.api.methods.NodeIdentity;
import dev.weft.server.api.openapi.OpenApiDocument;
import dev.weft.server.api.openapi.OpenApiEndpoint;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.WeftConfig;
import dev.weft.server.docs.DocsApiEndpoint;
import dev.weft.server.docs.DocumentService;
import dev.weft.server.docs.DocumentStores;
import dev.weft.server.docs.DocumentUpgrade;
import dev.weft.server.emulation.EmulationEndpoint;
import dev.weft.server.emulation.EmulationEndpoints;
import dev.weft.server.http.AcceptFailures;
import dev.weft.server.http.ConnectionAdmission;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.DisabledEndpoint;
import dev.weft.server.http.HealthEndpoint;
import dev.weft.server.http.ReadyEndpoint;
import dev.weft.server.http.HttpChannelInitializer;
import dev.weft.server.http.HttpConnectionLimits;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.OpenFileBudget;
import dev.weft.server.http.OriginPolicy;
import dev.weft.server.http.TokenExtractor;
import dev.weft.server.metrics.MetricsEndpoint;
import dev.weft.server.metrics.ServerMetrics;
import dev.weft.server.hocuspocus.HocuspocusEndpoint;
import dev.weft.server.sse.SseEndpoint;
import dev.weft.server.tls.ServerTls;
import dev.weft.server.uni.UniStreamEndpoint;
import dev.weft.server.uni.UniWebSocketEndpoint;
import dev.weft.server.web.DemoAiChat;
import dev.weft.server.web.DemoChannels;
import dev.weft.server.web.DemoDashboard;
import dev.weft.server.web.FakeLlm;
import dev.weft.server.web.StaticPages;
import dev.weft.server.websocket.SessionFactory;
import dev.weft.server.websocket.WebSocketEndpoint;
import dev.weft.server.yjs.YWebsocketEndpoint;
import dev.weft.store.sqlite.SqliteBroker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The network server: binds the HTTP port and serves {@code /connection/websocket}, bidirectional emulation
 * ({@code /connection/http_stream}, {@code /connection/sse}, {@code /emulation}), the enabled one-way
 * transports ({@code /connection/uni_sse}, {@code /connection/uni_http_stream},
 * {@code /connection/uni_websocket}), plain SSE ({@code /sse/<channel>}), the server API ({@code /api/<method>},
 * {@code /api/openapi.json}) and
 * {@code /health} (liveness) and {@code /ready} (readiness) in front of a {@link Node}, and collaborative documents
 * ({@code /yjs/<room>},
 * {@code /hocuspocus}, {@code /api/docs/<room>}) in front of a {@link DocumentService}. Uses epoll where available,
 * NIO otherwise.
 *
 * <p>{@link #close()} drains gracefully: stop accepting, let the engine disconnect every client with 3001
 * "shutdown" (SDKs reconnect, to another node if there is one), wait for that to flush, close what is left
 * and stop the event loops.
 *
 * <p>Thread-safe.
 */
public final class WeftServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WeftServer.class);

    /** How long {@link #close()} lets clients receive their disconnect. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final String HEALTH_PATH = "/health";

    private final WeftConfig config;
    private final Node node;
    private final Backend backend;
    private final RefusalCounters refusals;
    private final ServerMetrics metrics = new ServerMetrics();
    /** The Postgres change streams ({@code postgres_changes}, the dashboard demo's); null when none. */
    private final ChangeStreams changeStreams;
    private final ConnectionAdmission admission;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;
    /** Null for servers around a test fake, or with both document dialects off. */
    private final DocumentService docs;
    /** AI token streams; null for servers around a test fake. */
    private final AiStreams aiStreams;
    /** The configured relays when this server made them (closed with it), else null. */
    private final HttpUpstreamRelays ownRelays;
    /** Calls to event proxies; null when nothing is proxied. */
    private final OutboundHttp outbound;
    private final ChannelGroup connections;
    private final Map<String, HttpEndpoint> endpoints;
    /** Server API key check, shared by {@code /api/<method>} and {@code /api/docs/<room>}; null without an engine. */
    private final ApiKeyGuard apiKeys;
    private final Channel listener;
    /** The listener for internal endpoints when {@link HttpServerConfig#separateInternal()}, else null. */
    private final Channel internalListener;
    /** The {@code consumers} of type {@code postgresql}: outbox rows run as server API commands. */
    private final List<OutboxConsumer> consumers;
    private final int port;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * What the server needs from the engine: a {@link Node} in production ({@link Backend#of}); tests use
     * fakes to exercise the network edge alone.
     */
    record Backend(SessionFactory sessions, EmulationRouter emulation, long queueMaxSize,
                   Consumer<Duration> shutdown) {
        static Backend of(Node node) {
            return new Backend(SessionFactory.of(node), new NodeEmulationRouter(node),
                    node.config().client().queueMaxSize(), node::shutdown);
        }
    }

    /**
     * Starts a server with a new engine on the broker and presence manager {@code engine.type} names, with
     * what {@code demo.enabled} adds ({@link DemoChannels}).
     */
    public static WeftServer start(WeftConfig config) {
        return start(config, (UpstreamRelays) null);
    }

    /**
     * As {@link #start(WeftConfig)}, its AI streams relaying upstream model APIs through {@code relays} (null: the
     * configured ones, {@code ai.relay.*} and {@code ai.upstreams}).
     */
    public static WeftServer start(WeftConfig config, UpstreamRelays relays) {
        WeftConfig withDemo = DemoChannels.apply(config);
        Node node = newNode(withDemo);
        try {
            return new WeftServer(withDemo, node, Backend.of(node), relays);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * A node on the configured engine — the one switch point for engine types: SQLite under {@code data_dir}
     * (opened and checked before the server listens: a store that cannot be used fails the start with its path
     * and cause), in memory, or on NATS or Redis (connected before the server listens, and in the cluster of
     * the nodes on the same prefix).
     */
    private static Node newNode(WeftConfig config) {
        if (config.engine().type().equals("redis")) {
            RedisEngine redis = RedisEngine.open(config.engine().redis()); // the node closes both halves
            Node node = new Node(config.node(), redis.broker(), redis.presenceManager());
            node.joinCluster(RedisEngine.controlBus(config.engine().redis()), Version.current());
            return node;
        }
        NatsEngineConfig nats = config.engine().natsEngine();
        if (nats != null) {
            NatsEngine engine = NatsEngine.open(nats); // closing the node's broker closes the connection
            Node node = new Node(config.node(), engine.broker(), engine.presenceManager());
            node.joinCluster(engine.controlBus(), Version.current());
            return node;
        }
        return switch (config.engine().type()) {
            case "sqlite" -> new Node(config.node(), SqliteBroker.open(Path.of(config.dataDir())),
                    new MemoryPresenceManager()); // presence is not kept across restarts
            case "memory" -> new Node(config.node(), new MemoryBroker(), new MemoryPresenceManager());
            default -> throw new IllegalArgumentException("unknown engine.type " + config.engine().type());
        };
    }

    /** Starts a server in front of {@code node}; {@link #close()} shuts the node down too. */
    public static WeftServer start(WeftConfig config, Node node) {
        return start(config, node, null);
    }

    /**
     * Starts a server in front of {@code node} whose AI streams relay upstream model APIs through {@code relays}
     * (null: the configured ones); {@link #close()} shuts the node down too.
     */
    public static WeftServer start(WeftConfig config, Node node, UpstreamRelays relays) {
        return new WeftServer(config, node, Backend.of(node), relays);
    }

    /** For tests of the network edge: a server in front of a fake engine. */
    static WeftServer start(WeftConfig config, Backend backend) {
        return new WeftServer(config, null, backend, null);
    }

    private WeftServer(WeftConfig config, Node node, Backend backend, UpstreamRelays relays) {
        this.config = config;
        this.node = node;
        this.backend = backend;
        this.refusals = node != null ? node.refusals() : new RefusalCounters();
        SslContext tls = tls(config); // before any thread starts: a bad certificate fails here, plainly
        boolean hooks = config.docs().enabled() && config.docs().hooks().enabled();
        boolean relaying = node != null && relays == null; // the configured relays, over the outbound client
        this.outbound = node != null && (config.proxies().any() || hooks || relaying) ? new OutboundHttp() : null;
        this.ownRelays = relaying ? new HttpUpstreamRelays(config.aiRelay(), outbound, System.getenv()) : null;
        if (outbound != null && config.proxies().any()) { // before the endpoints: they forward the headers the proxies ask for
            node.setProxies(new ClientProxies(config.proxies(), options -> new HttpProxyEndpoint(outbound, options)));
        }
        // Likewise a document store that cannot be used: the start fails with its path and cause.
        this.docs = node != null && config.docs().enabled() ? new DocumentService(config.docs(), node,
                metrics.meter(DocumentStores.open(config.docs(), Path.of(config.dataDir()))),
                // As @hocuspocus/extension-webhook: any 2xx answers (a backend may say 204).
                options -> new HttpProxyEndpoint(outbound, options, status -> status / 100 == 2)) : null;
        this.aiStreams = node != null ? new AiStreams(node, config.aiStreams(), relaying ? ownRelays : relays) : null;
        if (aiStreams != null) {
            node.setRpcHandler(new AiStreamRpc(node, aiStreams, node.rpcHandler()));
        }
        if (node != null) {
            node.setMetrics(metrics.engine()); // before the listener: every session reports
            metrics.watch(node);
        }
        if (docs != null) {
            metrics.watch(docs);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverChannel =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weft-accept"), io);
        this.workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("weft-io"), io);
        this.blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("weft-api-", 0).factory());
        this.connections = new DefaultChannelGroup("weft-connections", GlobalEventExecutor.INSTANCE);
        // After the event loops and the document store: their descriptors are counted as open already.
        this.admission = new ConnectionAdmission(withConnectionLimit(config.node().client()), refusals);
        this.apiKeys = node != null
                ? new ApiKeyGuard(new ApiKeyCheck(config.httpApi().key(), config.httpApi().insecure()), refusals)
                : null;
        HttpServerConfig http = config.httpServer();
        Channel bound = null;
        try {
            ApiMethods methods = node == null ? null : ServerApi.methods(node,
                    NodeIdentity.startingNow(node.id(), node.config().name(), Version.current()), blocking, aiStreams);
            this.endpoints = endpoints(methods);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(serverChannel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Netty's own buffer only smooths syscalls; the bound that matters is the transport's
                    // queue_max_size, so keep this small.
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
            String protocols = tls != null ? "TLS: h2, http/1.1" : http.h2cExternal() ? "http/1.1, h2c" : "http/1.1";
            if (http.separateInternal()) {
                // As Centrifugo: the internal endpoints are served on their own listener only, so a firewall
                // rule on one port keeps them from the clients' network.
                Map<String, HttpEndpoint> internal = new LinkedHashMap<>();
                Map<String, HttpEndpoint> external = new LinkedHashMap<>();
                endpoints.forEach((path, endpoint) -> (isInternal(path) ? internal : external).put(path, endpoint));
                bound = bind(bootstrap, external, tls, http.address(), http.port());
                this.internalListener = bind(bootstrap, internal, tls, http.internalAddressOrMain(),
                        http.internalPortOrMain());
                log.debug("internal endpoints (server API, health) on {} only ({})",
                        internalListener.localAddress(), protocols);
            } else {
                bound = bind(bootstrap, endpoints, tls, http.address(), http.port());
                this.internalListener = null;
            }
            this.listener = bound;
            this.port = ((InetSocketAddress) listener.localAddress()).getPort();
            log.debug("listening on {} ({}, {})", listener.localAddress(), epoll ? "epoll" : "nio", protocols);
            // Last: rows run only once everything a command needs is in place.
            this.consumers = methods == null ? List.of() : config.consumers().stream()
                    .map(c -> new OutboxConsumer(c, new OutboxApiCommands(methods)).start()).toList();
            consumers.forEach(metrics::watch);
        } catch (RuntimeException e) {
            if (bound != null) {
                bound.close().syncUninterruptibly();
            }
            stopExecutors(Duration.ZERO);
            if (docs != null) {
                docs.close();
            }
            throw new IllegalStateException("cannot listen on " + e.getMessage(), e);
        }
        // Last: each stream connects on its own thread and retries until Postgres is there.
        List<ChangeStreamConfig> changes = node != null ? DemoDashboard.changeStreams(config) : List.of();
        this.changeStreams = changes.isEmpty() ? null : ChangeStreams.start(changes, node);
        if (changeStreams != null) {
            metrics.watch(changeStreams);
        }
    }

    /** Binds one listener serving {@code endpoints} on {@code address:port} ("" = every interface). */
    private Channel bind(ServerBootstrap bootstrap, Map<String, HttpEndpoint> endpoints, SslContext tls,
                         String address, int port) {
        InetSocketAddress bindTo = address.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        try {
            Channel channel = bootstrap.clone()
                    .childHandler(new HttpChannelInitializer(endpoints, connections::add, tls,
                            config.httpServer().h2cExternal(), connectionLimits(config), refusals))
                    .bind(bindTo).syncUninterruptibly().channel();
            // After Netty's acceptor (in place once bound), which pauses accepting for a second on a failure.
            channel.pipeline().addLast("accept-failures", new AcceptFailures(refusals, admission.connectionLimit()));
            return channel;
        } catch (RuntimeException e) {
            throw new IllegalStateException((address.isEmpty() ? "*" : address) + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Paths that are Centrifugo's internal endpoints: the server API (with {@code /api/docs/<room>} and the
     * OpenAPI document), the admin UI, {@code /health}, {@code /ready} and {@code /metrics}. With
     * {@code http_server.internal_port}/{@code internal_address} they move to the internal listener.
     */
    static boolean isInternal(String path) {
        return path.equals(HEALTH_PATH) || path.equals(ReadyEndpoint.PATH) || path.equals(MetricsEndpoint.PATH)
                || path.startsWith("/api/") || path.startsWith(AdminEndpoints.PREFIX);
    }

    private Map<String, HttpEndpoint> endpoints(ApiMethods methods) {
        Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(HEALTH_PATH, new HealthEndpoint());
        endpoints.put(ReadyEndpoint.PATH, new ReadyEndpoint(() -> {
            String engine = node.engineUnavailableReason();
            return engine != null || docs == null ? engine : docs.unreadyReason();
        }));
        endpoints.put(MetricsEndpoint.PATH, new MetricsEndpoint(metrics, blocking));
        OriginPolicy origins = new OriginPolicy(config.allowedOrigins(), refusals);
        endpoints.put(WebSocketEndpoint.PATH, admission.guard(new WebSocketEndpoint(backend.sessions(),
                origins, config.websocket().messageSizeLimit(), backend.queueMaxSize())));
        EmulationEndpoints.create(config.emulation(), backend.sessions(), backend.emulation(),
                new CorsPolicy(origins), backend.queueMaxSize()).forEach((path, endpoint) -> endpoints.put(path,
                EmulationEndpoint.PATH.equals(path) ? endpoint : admission.guard(endpoint)));
        uniEndpoints(endpoints);
        endpoints.putAll(apiEndpoints(methods));
        HttpEndpoint ai = aiStreams != null
                ? admission.guard(new AiStreamEndpoint(node, aiStreams, new CorsPolicy(origins), tokens(origins), blocking))
                : new DisabledEndpoint("AI streams need an engine");
        endpoints.put(AiStreamEndpoint.STREAMS, ai);
        endpoints.put(AiStreamEndpoint.CHATS, ai);
        HttpEndpoint sse = node != null && config.plainSse().enabled()
                ? admission.guard(new SseEndpoint(node, new CorsPolicy(origins), tokens(origins), config.plainSse()))
                : new DisabledEndpoint("plain SSE disabled: plain_sse.enabled is false");
        endpoints.put(SseEndpoint.PATH, sse);
        endpoints.put(SseEndpoint.PREFIX, sse);
        docEndpoints(endpoints, origins);
        pageEndpoints(endpoints, methods);
        return endpoints;
    }

    /**
     * The start page ({@code /}), the demos ({@code /demo/}, with {@code demo.enabled}) and the admin UI
     * ({@code /admin}, with {@code admin.enabled}), from the bundled pages.
     */
    private void pageEndpoints(Map<String, HttpEndpoint> endpoints, ApiMethods methods) {
        StaticPages pages = StaticPages.load();
        endpoints.put("/", pages.endpoint("/", "")); // exact: the router mounts "/" on itself only
        endpoints.put("/assets/", pages.endpoint("/assets/", "assets/"));
        endpoints.put("/demo/", config.web().demoEnabled() ? pages.endpoint("/demo/", "demo/")
                : new DisabledEndpoint("demos disabled: demo.enabled is false"));
        if (config.web().demoEnabled() && aiStreams != null) {
            endpoints.put(FakeLlm.PATH, new FakeLlm());
            endpoints.put(DemoAiChat.PATH, new DemoAiChat(aiStreams, config.aiRelay(), this::fakeLlmUrl, blocking));
        }
        if (node != null) {
            endpoints.putAll(AdminEndpoints.create(config.web(), config.httpServer().tls().enabled(), pages, node,
                    methods, Version.current(), docs, metrics, blocking, refusals));
        }
    }

    /** Where this server's {@link FakeLlm} answers: its own listener, over loopback when it listens everywhere. */
    private String fakeLlmUrl() {
        String address = config.httpServer().address();
        String host = address.isEmpty() || address.equals("0.0.0.0") ? "127.0.0.1"
                : address.equals("::") ? "[::1]" : address.contains(":") ? "[" + address + "]" : address;
        return (config.httpServer().tls().enabled() ? "https" : "http") + "://" + host + ":" + port + FakeLlm.PATH;
    }

    /** {@code /yjs/<room>}, {@code /hocuspocus} and {@code /api/docs/<room>}, each as far as enabled. */
    private void docEndpoints(Map<String, HttpEndpoint> endpoints, OriginPolicy origins) {
        var docsConfig = config.docs();
        int maxUpdateSize = docsConfig.limits().maxUpdateSize();
        endpoints.put(YWebsocketEndpoint.PREFIX, docs != null && docsConfig.yjsEnabled()
                ? admission.guard(new YWebsocketEndpoint(docs.rooms(), docs.authorizer(),
                tokens(origins), new DocumentUpgrade("y-websocket",
                YWebsocketEndpoint.PREFIX, origins, node.executor(), maxUpdateSize, backend.queueMaxSize(),
                pingInterval(), refusals, docs.traffic())))
                : new DisabledEndpoint("y-websocket disabled: docs.yjs.enabled is false"));
        endpoints.put(HocuspocusEndpoint.PATH, docs != null && docsConfig.hocuspocusEnabled()
                ? admission.guard(new HocuspocusEndpoint(docs.rooms(), docs.authorizer(), new DocumentUpgrade(
                "hocuspocus", HocuspocusEndpoint.PATH, origins, node.executor(), maxUpdateSize,
                backend.queueMaxSize(), pingInterval(), refusals, docs.traffic()), config.node().client().channelLimit()))
                : new DisabledEndpoint("Hocuspocus disabled: docs.hocuspocus.enabled is false"));
        var httpApi = config.httpApi();
        endpoints.put(DocsApiEndpoint.PREFIX, docs != null && httpApi.enabled()
                ? apiKeys.guard(new DocsApiEndpoint(docs.rooms(), blocking))
                : new DisabledEndpoint("document API disabled: needs http_api.key (or http_api.insecure) and a "
                + "document dialect enabled"));
    }

    /** The document rooms; null when no document dialect is enabled (or around a test fake). */
    public DocumentService docs() {
        return docs;
    }

    /** How the HTTP transports find a token: the cookie only for pages of {@code origins}. */
    private TokenExtractor tokens(OriginPolicy origins) {
        return new TokenExtractor(config.node().client().tokenCookieName(), origins);
    }

    /** The one-way transports that are enabled ({@code uni_sse}, {@code uni_http_stream}, {@code uni_websocket}). */
    private void uniEndpoints(Map<String, HttpEndpoint> endpoints) {
        var uni = config.uni();
        OriginPolicy origins = new OriginPolicy(config.allowedOrigins(), refusals);
        CorsPolicy cors = new CorsPolicy(origins);
        TokenExtractor tokens = tokens(origins);
        if (uni.sse().enabled()) {
            endpoints.put(uni.sse().handlerPrefix(), admission.guard(UniStreamEndpoint.sse(backend.sessions(), cors,
                    tokens, uni.sse().maxRequestBodySize(), backend.queueMaxSize())));
        }
        if (uni.httpStream().enabled()) {
            endpoints.put(uni.httpStream().handlerPrefix(), admission.guard(UniStreamEndpoint.httpStream(
                    backend.sessions(), cors, tokens, uni.httpStream().maxRequestBodySize(), backend.queueMaxSize())));
        }
        if (uni.websocket().enabled()) {
            endpoints.put(uni.websocket().handlerPrefix(), admission.guard(new UniWebSocketEndpoint(
                    uni.websocket().handlerPrefix(), backend.sessions(), origins, tokens,
                    uni.websocket().messageSizeLimit(), backend.queueMaxSize(),
                    !uni.websocket().disableDisconnectPush(), pingInterval())));
        }
    }

    /**
     * {@code /api/<method>} for every method of the registry and {@code /api/openapi.json}; all 404 while the
     * API is off (no key and not insecure), and absent for servers around a test fake (no engine to call).
     */
    private Map<String, HttpEndpoint> apiEndpoints(ApiMethods methods) {
        if (methods == null) {
            return Map.of();
        }
        Map<String, HttpEndpoint> api = new LinkedHashMap<>();
        var httpApi = config.httpApi();
        HttpEndpoint disabled = new DisabledEndpoint("server API disabled: set http_api.key (or http_api.insecure)");
        for (ApiMethod<?, ?> method : methods.all()) {
            api.put("/api/" + method.name(), httpApi.enabled()
                    ? apiKeys.guard(new ApiEndpoint(method, blocking, httpApi.transportErrorMode(), metrics.api())) : disabled);
        }
        StreamRoutes.create(methods, blocking, httpApi.transportErrorMode(), metrics.api()).forEach((path, endpoint) ->
                api.put(path, httpApi.enabled() ? apiKeys.guard(endpoint) : disabled));
        api.put(OpenApiDocument.PATH, httpApi.enabled() ? new OpenApiEndpoint(methods, Version.current()) : disabled);
        return api;
    }

    /** Paths this server answers (for tests that compare them with the OpenAPI document). */
    java.util.Set<String> paths() {
        return endpoints.keySet();
    }

    /** The engine's ping interval, for transport-level pings ({@code client.ping_interval}). */
    private Duration pingInterval() {
        return node != null ? node.config().client().pingInterval() : config.node().client().pingInterval();
    }

    /**
     * {@code client.connection_limit} as configured or, when it is 0 (unset), derived from the open-file limit
     * ({@link OpenFileBudget}): without a limit, the client after the last free descriptor hangs at accept
     * instead of being refused, and {@code /health} with it.
     */
    private static ClientOptions withConnectionLimit(ClientOptions client) {
        var budget = OpenFileBudget.current();
        OptionalInt derived = budget.map(OpenFileBudget::connectionLimit).orElse(OptionalInt.empty());
        if (derived.isEmpty()) {
            return client;
        }
        OpenFileBudget files = budget.get();
        if (client.connectionLimit() > 0) {
            if (client.connectionLimit() > derived.getAsInt()) {
                log.warn("client.connection_limit {} is more than the open-file limit allows ({}: {} open now, {} "
                                + "kept for the API, health checks and handshakes): connections beyond that hang at "
                                + "accept; raise the limit (ulimit -n, LimitNOFILE) or lower client.connection_limit",
                        client.connectionLimit(), files.max(), files.open(), files.reserve());
            }
            return client;
        }
        log.info("client.connection_limit {} (from the open-file limit {}: {} open now, {} kept for the API, "
                + "health checks and handshakes)", derived.getAsInt(), files.max(), files.open(), files.reserve());
        return client.toBuilder().connectionLimit(derived.getAsInt()).build();
    }

    /** Request deadline ({@code client.stale_close_delay}), idle timeout and HTTP/2 streams, for every listener. */
    private static HttpConnectionLimits connectionLimits(WeftConfig config) {
        return new HttpConnectionLimits(config.node().client().staleCloseDelay(), config.httpServer().idleTimeout(),
                config.httpServer().http2MaxConcurrentStreams());
    }

    /** The TLS context when {@code http_server.tls.enabled}, else null. */
    private static SslContext tls(WeftConfig config) {
        if (!config.httpServer().tls().enabled()) {
            return null;
        }
        return ServerTls.context(config.httpServer().tls());
    }

    /** The port actually bound (the configured one, or the ephemeral one chosen for port 0). */
    public int port() {
        return port;
    }

    /**
     * The port serving the internal endpoints (server API, health): the internal listener's when
     * {@code http_server.internal_port}/{@code internal_address} separate it, else {@link #port()}.
     */
    public int internalPort() {
        return internalListener != null ? ((InetSocketAddress) internalListener.localAddress()).getPort() : port;
    }

    /** The engine behind this server; null only for servers built around a test fake. */
    public Node node() {
        return node;
    }

    public WeftConfig config() {
        return config;
    }

    /** What was refused, by reason: the engine's counters, shared with the network edge. */
    public RefusalCounters refusals() {
        return refusals;
    }

    /**
     * Every meter of this server ({@code /metrics}); readers inside the server sample
     * {@link ServerMetrics#throughput()} or look meters up in {@link ServerMetrics#registry()}.
     */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Client connections open now, over every transport. */
    public int openConnections() {
        return admission.openConnections();
    }

    /** Graceful shutdown with {@link #DEFAULT_SHUTDOWN_GRACE}. */
    @Override
    public void close() {
        close(DEFAULT_SHUTDOWN_GRACE);
    }

    /**
     * Stops accepting, has the engine disconnect every client with 3001 "shutdown" and waits up to
     * {@code grace} for that to flush, then closes remaining connections and stops the event loops. Blocks
     * until done; idempotent (a second caller waits for the first).
     */
    public void close(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        long started = System.nanoTime();
        try {
            listener.close().syncUninterruptibly();
            if (internalListener != null) {
                internalListener.close().syncUninterruptibly();
            }
            log.info("shutting down ({} open connection(s))", connections.size());
            if (aiStreams != null) {
                aiStreams.close(); // relays of this node cancelled; streams stay open for another producer
            }
            if (changeStreams != null) {
                changeStreams.close(); // before the engine: nothing is published into a closing node
            }
            consumers.forEach(OutboxConsumer::close); // a batch under way finishes while the engine still runs
            if (docs != null) {
                try {
                    docs.close(); // peers get 1001, loaded documents are compacted, the store closes
                } catch (RuntimeException e) {
                    log.error("document shutdown failed", e);
                }
            }
            try {
                backend.shutdown().accept(grace); // after the documents: it stops the executor they run on
            } catch (RuntimeException e) {
                log.error("engine shutdown failed", e);
            }
            connections.close().awaitUninterruptibly(remaining(grace, started).toMillis());
        } finally {
            stopExecutors(Duration.ofMillis(Math.max(100, remaining(grace, started).toMillis())));
            metrics.close();
            log.info("stopped after {} ms", (System.nanoTime() - started) / 1_000_000);
            closed.countDown();
        }
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopExecutors(Duration timeout) {
        if (ownRelays != null) {
            ownRelays.close();
        }
        if (outbound != null) {
            outbound.close();
        }
        blocking.shutdown();
        var a = acceptor.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        var w = workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        a.awaitUninterruptibly();
        w.awaitUninterruptibly();
        try {
            if (!blocking.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                blocking.shutdownNow();
            }
        } catch (InterruptedException e) {
            blocking.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Duration remaining(Duration grace, long startedNanos) {
        Duration left = grace.minusNanos(System.nanoTime() - startedNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
