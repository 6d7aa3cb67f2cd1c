package dev.weft.server.config;

import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.auth.TokenOptions;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.proxy.ProxyConfig;
import dev.weft.postgres.changes.ChangeStreamConfig;

import java.time.Duration;
import java.util.List;

/**
 * The configuration being assembled, starting from {@link WeftConfig#DEFAULT}; {@link OptionCatalog}
 * setters write into it. One per load; not thread-safe.
 */
final class ConfigDraft {
    String nodeName;
    final ClientOptions.Builder clientBuilder;
    /** {@code client.token.*} and {@code client.subscription_token.*}, put into {@link #clientBuilder} at build. */
    final TokenOptions.Builder token;
    final TokenOptions.Builder subscriptionToken;
    Duration historyMetaTtl;
    final ChannelDraft withoutNamespace;
    List<Namespace> namespaces;
    int channelMaxLength;
    String namespaceBoundary;
    String userBoundary;
    String userSeparator;
    String privatePrefix;
    String address;
    int port;
    String apiKey;
    boolean apiInsecure;
    String apiErrorMode;
    int websocketMessageSizeLimit;
    List<String> allowedOrigins;
    String logLevel;
    String logFile;
    String logFormat;
    boolean httpStreamEnabled;
    int httpStreamMaxRequestBodySize;
    boolean sseEnabled;
    int sseMaxRequestBodySize;
    int emulationMaxRequestBodySize;
    boolean tlsEnabled;
    String tlsCertPem;
    String tlsKeyPem;
    boolean h2cExternal;
    Duration idleTimeout;
    int http2MaxConcurrentStreams;
    String internalAddress;
    int internalPort;
    UniConfig uni;
    PlainSseConfig plainSse;
    DocsConfig docs;
    EngineConfig engine;
    String dataDir;
    WebConfig web;
    ProxyConfig proxies;
    AiRelayConfig aiRelay;
    AiStreamsConfig aiStreams;
    List<ChangeStreamConfig> postgresChanges;
    List<dev.weft.postgres.outbox.OutboxConfig> consumers;

    ConfigDraft(WeftConfig from) {
        NodeConfig node = from.node();
        nodeName = node.name();
        clientBuilder = node.client().toBuilder();
        token = node.client().token().toBuilder();
        subscriptionToken = node.client().subscriptionToken().toBuilder();
        historyMetaTtl = node.historyMetaTtl();
        ChannelConfig channels = node.channels();
        withoutNamespace = new ChannelDraft(channels.withoutNamespace());
        namespaces = channels.namespaces();
        channelMaxLength = channels.maxLength();
        namespaceBoundary = channels.namespaceBoundary();
        userBoundary = channels.userBoundary();
        userSeparator = channels.userSeparator();
        privatePrefix = channels.privatePrefix();
        address = from.httpServer().address();
        port = from.httpServer().port();
        apiKey = from.httpApi().key();
        apiInsecure = from.httpApi().insecure();
        apiErrorMode = from.httpApi().errorMode();
        websocketMessageSizeLimit = from.websocket().messageSizeLimit();
        allowedOrigins = from.allowedOrigins();
        logLevel = from.log().level();
        logFile = from.log().file();
        logFormat = from.log().format();
        EmulationConfig emulation = from.emulation();
        httpStreamEnabled = emulation.httpStreamEnabled();
        httpStreamMaxRequestBodySize = emulation.httpStreamMaxRequestBodySize();
        sseEnabled = emulation.sseEnabled();
        sseMaxRequestBodySize = emulation.sseMaxRequestBodySize();
        emulationMaxRequestBodySize = emulation.emulationMaxRequestBodySize();
        tlsEnabled = from.httpServer().tls().enabled();
        tlsCertPem = from.httpServer().tls().certPem();
        tlsKeyPem = from.httpServer().tls().keyPem();
        h2cExternal = from.httpServer().h2cExternal();
        idleTimeout = from.httpServer().idleTimeout();
        http2MaxConcurrentStreams = from.httpServer().http2MaxConcurrentStreams();
        internalAddress = from.httpServer().internalAddress();
        internalPort = from.httpServer().internalPort();
        uni = from.uni();
        plainSse = from.plainSse();
        docs = from.docs();
        engine = from.engine();
        dataDir = from.dataDir();
        web = from.web();
        proxies = from.proxies();
        aiRelay = from.aiRelay();
        aiStreams = from.aiStreams();
        postgresChanges = from.postgresChanges();
        consumers = from.consumers();
    }

    /** Builds the tree; call only after validation passed (record constructors still check invariants). */
    WeftConfig build(ChannelOptions withoutNamespaceOptions) {
        ChannelConfig channels = new ChannelConfig(withoutNamespaceOptions, namespaces, channelMaxLength,
                namespaceBoundary, userBoundary, userSeparator, privatePrefix);
        clientBuilder.token(token.build()).subscriptionToken(subscriptionToken.build());
        NodeConfig node = new NodeConfig(nodeName, clientBuilder.build(), channels, historyMetaTtl);
        HttpServerConfig httpServer = new HttpServerConfig(address, port,
                new TlsConfig(tlsEnabled, tlsCertPem, tlsKeyPem), h2cExternal, idleTimeout,
                http2MaxConcurrentStreams, internalAddress, internalPort);
        return new WeftConfig(node, httpServer, new HttpApiConfig(apiKey, apiInsecure, apiErrorMode),
                new WebSocketConfig(websocketMessageSizeLimit), allowedOrigins, new LogConfig(logLevel, logFile, logFormat),
                new EmulationConfig(httpStreamEnabled, httpStreamMaxRequestBodySize, sseEnabled,
                        sseMaxRequestBodySize, emulationMaxRequestBodySize), uni, plainSse, docs, engine,
                dataDir, web, proxies, aiRelay, aiStreams, postgresChanges, consumers);
    }
}
