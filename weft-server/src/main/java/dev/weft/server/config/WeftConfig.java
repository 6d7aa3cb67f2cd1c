package dev.weft.server.config;

import dev.weft.core.NodeConfig;
import dev.weft.core.proxy.ProxyConfig;
import dev.weft.postgres.changes.ChangeStreamConfig;
import dev.weft.postgres.outbox.OutboxConfig;

import java.util.List;

/**
 * The whole server configuration, one immutable tree: engine options plus what only the network edge needs.
 * Built by {@link ConfigLoader} from defaults ← file ← environment ← flags.
 *
 * @param node           engine configuration
 * @param httpServer     where to listen, TLS, h2c
 * @param httpApi        server HTTP API ({@code /api/*}) access
 * @param websocket      WebSocket transport limits
 * @param allowedOrigins {@code client.allowed_origins}: Origin patterns accepted at upgrade ({@code *}
 *                       wildcards); empty = only same-origin or no Origin header
 * @param log            {@code log.*}: level and optional log file, applied by the CLI at startup
 * @param emulation      {@code http_stream.*}, {@code sse.*}, {@code emulation.*}: bidirectional emulation
 * @param uni            the one-way transports ({@code uni_sse}, {@code uni_http_stream}, {@code uni_websocket})
 * @param plainSse       {@code plain_sse.*}: the {@code /sse/<channel>} endpoint for plain EventSource clients
 * @param docs           {@code docs.*}: collaborative documents ({@code /yjs/<room>}, {@code /hocuspocus},
 *                       {@code /api/docs/<room>})
 * @param engine         {@code engine.*}: the embedded durable engine (default), the in-memory one or a shared one
 * @param dataDir        {@code data_dir}: the directory of the embedded store's files (channel history,
 *                       documents), created when first needed
 * @param web            {@code admin.*} and {@code demo.*}: the admin UI and the demos
 * @param proxies        {@code client.proxy}, {@code channel.proxy}, {@code rpc}, {@code proxies}: which client
 *                       events go to which backend
 * @param aiRelay        {@code ai.relay.*}, {@code ai.upstreams}: the model APIs AI token streams relay
 * @param aiStreams      {@code ai.streams.*}: AI token streams (limits, chat channels, readers' coalescing)
 * @param postgresChanges {@code postgres_changes}: Postgres change streams published into channels
 * @param consumers      {@code consumers}: the enabled transactional outbox consumers (type {@code postgresql})
 */
public record WeftConfig(NodeConfig node, HttpServerConfig httpServer, HttpApiConfig httpApi,
                         WebSocketConfig websocket, List<String> allowedOrigins, LogConfig log,
                         EmulationConfig emulation, UniConfig uni, PlainSseConfig plainSse,
                         DocsConfig docs, EngineConfig engine, String dataDir, WebConfig web,
                         ProxyConfig proxies, AiRelayConfig aiRelay, AiStreamsConfig aiStreams,
                         List<ChangeStreamConfig> postgresChanges, List<OutboxConfig> consumers) {

    /** Default {@code data_dir}: relative to the working directory. */
    public static final String DEFAULT_DATA_DIR = "weft-data";

    public static final WeftConfig DEFAULT = new WeftConfig(NodeConfig.DEFAULT, HttpServerConfig.DEFAULT,
            HttpApiConfig.DEFAULT, WebSocketConfig.DEFAULT, List.of(), LogConfig.DEFAULT, EmulationConfig.DEFAULT,
            UniConfig.DEFAULT, PlainSseConfig.DEFAULT, DocsConfig.DEFAULT, EngineConfig.DEFAULT,
                DEFAULT_DATA_DIR, WebConfig.DEFAULT, ProxyConfig.NONE, AiRelayConfig.DEFAULT, AiStreamsConfig.DEFAULT, List.of(), List.of());

    public WeftConfig {
        node = node == null ? NodeConfig.DEFAULT : node;
        httpServer = httpServer == null ? HttpServerConfig.DEFAULT : httpServer;
        httpApi = httpApi == null ? HttpApiConfig.DEFAULT : httpApi;
        websocket = websocket == null ? WebSocketConfig.DEFAULT : websocket;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        log = log == null ? LogConfig.DEFAULT : log;
        emulation = emulation == null ? EmulationConfig.DEFAULT : emulation;
        uni = uni == null ? UniConfig.DEFAULT : uni;
        plainSse = plainSse == null ? PlainSseConfig.DEFAULT : plainSse;
        docs = docs == null ? DocsConfig.DEFAULT : docs;
        engine = engine == null ? EngineConfig.DEFAULT : engine;
        dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
        web = web == null ? WebConfig.DEFAULT : web;
        proxies = proxies == null ? ProxyConfig.NONE : proxies;
        aiRelay = aiRelay == null ? AiRelayConfig.DEFAULT : aiRelay;
        aiStreams = aiStreams == null ? AiStreamsConfig.DEFAULT : aiStreams;
        postgresChanges = postgresChanges == null ? List.of() : List.copyOf(postgresChanges);
        consumers = consumers == null ? List.of() : List.copyOf(consumers);
        if (dataDir.isBlank()) {
            throw new IllegalArgumentException("data_dir must not be empty");
        }
    }

    /** The tree with default one-way transport settings (all off). */
    public WeftConfig(NodeConfig node, HttpServerConfig httpServer, HttpApiConfig httpApi,
                      WebSocketConfig websocket, List<String> allowedOrigins, LogConfig log,
                      EmulationConfig emulation) {
        this(node, httpServer, httpApi, websocket, allowedOrigins, log, emulation, UniConfig.DEFAULT,
                PlainSseConfig.DEFAULT, DocsConfig.DEFAULT, EngineConfig.DEFAULT,
                DEFAULT_DATA_DIR, WebConfig.DEFAULT, ProxyConfig.NONE, AiRelayConfig.DEFAULT, AiStreamsConfig.DEFAULT, List.of(), List.of());
    }

    /** The tree without {@code log.*} (default log settings); kept for callers written before it existed. */
    public WeftConfig(NodeConfig node, HttpServerConfig httpServer, HttpApiConfig httpApi,
                      WebSocketConfig websocket, List<String> allowedOrigins) {
        this(node, httpServer, httpApi, websocket, allowedOrigins, LogConfig.DEFAULT, EmulationConfig.DEFAULT,
                UniConfig.DEFAULT, PlainSseConfig.DEFAULT, DocsConfig.DEFAULT, EngineConfig.DEFAULT,
                DEFAULT_DATA_DIR, WebConfig.DEFAULT, ProxyConfig.NONE, AiRelayConfig.DEFAULT, AiStreamsConfig.DEFAULT, List.of(), List.of());
    }

    public WeftConfig withNode(NodeConfig v) {
        return new WeftConfig(v, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withHttpServer(HttpServerConfig v) {
        return new WeftConfig(node, v, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withHttpApi(HttpApiConfig v) {
        return new WeftConfig(node, httpServer, v, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withWebsocket(WebSocketConfig v) {
        return new WeftConfig(node, httpServer, httpApi, v, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withAllowedOrigins(List<String> v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, v, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withLog(LogConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, v,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withEmulation(EmulationConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                v, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withUni(UniConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, v, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withPlainSse(PlainSseConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, v, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withDocs(DocsConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, v, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withEngine(EngineConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, v, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withDataDir(String v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, v, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withWeb(WebConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, v, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withProxies(ProxyConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, v, aiRelay, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withAiRelay(AiRelayConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, v, aiStreams, postgresChanges, consumers);
    }

    public WeftConfig withAiStreams(AiStreamsConfig v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, v, postgresChanges, consumers);
    }

    public WeftConfig withPostgresChanges(List<ChangeStreamConfig> v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, v, consumers);
    }

    public WeftConfig withConsumers(List<OutboxConfig> v) {
        return new WeftConfig(node, httpServer, httpApi, websocket, allowedOrigins, log,
                emulation, uni, plainSse, docs, engine, dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, v);
    }
}
