package dev.weft.server.docs;

import dev.weft.core.Node;
import dev.weft.core.docs.DocumentAuthorizer;
import dev.weft.core.docs.DocumentRelay;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.core.docs.hooks.DocumentHooks;
import dev.weft.core.docs.hooks.DocumentWebhooks;
import dev.weft.core.docs.hooks.WebhookOptions;
import dev.weft.core.docs.store.DocumentStore;
import dev.weft.core.proxy.ProxyEndpoint;
import dev.weft.core.proxy.ProxyOptions;
import dev.weft.server.config.DocsConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The collaborative-document side of a server: the store chosen by {@code docs.store} (opened here, so a store
 * that cannot be used stops the start), the rooms
 * ({@link DocumentRooms}, on the node's virtual threads and timer) and who may open what
 * ({@link DocumentAuthorizer}), and the document webhooks of {@code docs.hooks} ({@link DocumentWebhooks}, through
 * the server's outbound HTTP client). {@link #close} closes every peer and compacts every loaded document, gives
 * the webhooks up to {@link #HOOKS_GRACE} to be delivered, then closes the store.
 *
 * <p>Thread-safe.
 */
public final class DocumentService implements AutoCloseable {
    private final DocumentStore store;
    private final DocumentRooms rooms;
    private final DocumentAuthorizer authorizer;
    private final DocumentTraffic traffic = new DocumentTraffic();
    /** Null without {@code docs.hooks}. */
    private final DocumentWebhooks hooks;
    /** How long closing waits for webhooks still being delivered. */
    static final Duration HOOKS_GRACE = Duration.ofSeconds(5);

    /** With the store {@code docs.store} names, a {@code sqlite} one under {@code dataDirectory}. */
    public DocumentService(DocsConfig config, Path dataDirectory, Node node) {
        this(config, node, DocumentStores.open(config, dataDirectory), null);
    }

    /**
     * With a store of the caller's; {@link #close} closes it.
     *
     * @param outbound makes the HTTP endpoint the webhooks are sent through; null when {@code docs.hooks} is off
     */
    public DocumentService(DocsConfig config, Node node, DocumentStore store,
                           Function<ProxyOptions, ProxyEndpoint> outbound) {
        this.store = store;
        if (config.hooks().enabled()) {
            if (outbound == null) {
                store.close();
                throw new IllegalStateException("docs.hooks is set but no outbound HTTP client was given");
            }
            WebhookOptions options = webhookOptions(config.hooks());
            List<String> namespaces = config.hooks().namespaces();
            this.hooks = new DocumentWebhooks(options, outbound.apply(options.endpoint()),
                    room -> namespaces.isEmpty() || namespaces.contains(namespaceOf(room)), node.executor());
        } else {
            this.hooks = null;
        }
        DocumentHooks used = hooks == null ? DocumentHooks.NONE : hooks;
        this.authorizer = new DocumentAuthorizer(node, config.namespace(), used);
        try {
            this.rooms = new DocumentRooms(store, config.limits(), node.executor(), node.timer(),
                    authorizer::namespaceOf);
            rooms.useHooks(used);
            // In a cluster, the other nodes serving a room see its updates and awareness live.
            DocumentRelay.start(rooms, listener -> node.attachToCluster(DocumentRelay.KIND, listener));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public DocumentRooms rooms() {
        return rooms;
    }

    public DocumentAuthorizer authorizer() {
        return authorizer;
    }

    public DocumentStore store() {
        return store;
    }

    /** The channel namespace of {@code room} (asked only once the service is built). */
    private String namespaceOf(String room) {
        return authorizer.namespaceOf(room);
    }

    /** The hooks peers' connections report to ({@link DocumentHooks#NONE} without {@code docs.hooks}). */
    public DocumentHooks hooks() {
        return hooks == null ? DocumentHooks.NONE : hooks;
    }

    /** {@code docs.hooks.*} as the engine takes it: the URL and headers as an event proxy's. */
    static WebhookOptions webhookOptions(DocsConfig.Hooks config) {
        Map<String, String> staticHeaders = new LinkedHashMap<>();
        for (String header : config.staticHeaders()) {
            int colon = header.indexOf(':');
            staticHeaders.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
        }
        ProxyOptions endpoint = new ProxyOptions("docs.hooks", URI.create(config.url()), config.timeout(),
                config.httpHeaders(), null, staticHeaders, false, false);
        return new WebhookOptions(endpoint, config.secret(), config.events().stream().map(WebhookOptions.Event::of)
                .collect(Collectors.toSet()), config.changeDebounce(), config.changeMaxWait());
    }

    /** Updates and awareness relayed to peers of every room. */
    public DocumentTraffic traffic() {
        return traffic;
    }

    /** Null while documents can be served; else why not (the store failing), for readiness. */
    public String unreadyReason() {
        String problem = rooms.health().problem();
        return problem == null ? null : "document store: " + problem;
    }

    @Override
    public void close() {
        try {
            rooms.close();
            if (hooks != null) {
                hooks.close(HOOKS_GRACE); // the store hooks of the documents just unloaded
            }
        } finally {
            store.close();
        }
    }
}
