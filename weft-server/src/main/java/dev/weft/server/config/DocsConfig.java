package dev.weft.server.config;

import dev.weft.core.docs.DocumentLimits;

import java.time.Duration;
import java.util.List;

/**
 * {@code docs.*} (Weft additions): collaborative documents over the y-websocket ({@code /yjs/<room>}) and
 * Hocuspocus ({@code /hocuspocus}) dialects, and {@code /api/docs/<room>}.
 *
 * @param yjsEnabled        serve {@code /yjs/<room>}
 * @param hocuspocusEnabled serve {@code /hocuspocus}
 * @param namespace         channel namespace of every room ({@code <namespace>:<room>}); "" = the room name is
 *                          the channel name
 * @param limits            update, document, loaded and namespace size bounds, unload grace period, compaction
 *                          threshold
 * @param store             {@code sqlite} (a file under the top-level {@code data_dir}), {@code postgres} (a
 *                          database every node shares) or {@code memory} (lost on restart)
 * @param postgres          {@code docs.postgres.*}: the database of {@code docs.store: postgres}
 * @param hooks             {@code docs.hooks.*}: document webhooks
 */
public record DocsConfig(boolean yjsEnabled, boolean hocuspocusEnabled, String namespace, DocumentLimits limits,
                         String store, Postgres postgres, Hooks hooks) {
    public static final List<String> STORES = List.of("sqlite", "postgres", "memory");
    public static final DocsConfig DEFAULT =
            new DocsConfig(true, true, "", DocumentLimits.DEFAULT, "sqlite", Postgres.DEFAULT, Hooks.DEFAULT);

    /**
     * {@code docs.postgres.*}.
     *
     * @param dsn      {@code postgresql://user:password@host:port/database?…} (libpq's URI form) or a
     *                 {@code jdbc:postgresql://} URL
     * @param schema   the schema holding the tables (created when missing)
     * @param poolSize connections per node at most
     */
    public record Postgres(String dsn, String schema, int poolSize) {
        public static final Postgres DEFAULT = new Postgres("", "weft", 4);

        public Postgres {
            dsn = dsn == null ? "" : dsn;
        }
    }

    /**
     * {@code docs.hooks.*}: webhooks of document events, as {@code @hocuspocus/extension-webhook} sends them.
     *
     * @param url            where every event is POSTed; "" = no hooks
     * @param timeout        how long one call may take
     * @param secret         HMAC-SHA256 key of the {@code X-Hocuspocus-Signature-256} header; "" = unsigned
     * @param events         which events: {@code connect}, {@code create}, {@code change}, {@code store},
     *                       {@code disconnect}
     * @param httpHeaders    upgrade request headers sent in {@code requestHeaders} (lower-case)
     * @param staticHeaders  {@code Name: value} headers added to every call
     * @param changeDebounce quiet time before {@code change} is sent
     * @param changeMaxWait  longest a changing document goes without a {@code change}
     * @param namespaces     channel namespaces whose documents the hooks are for ({@code ""} = documents
     *                       without namespace); empty = every document
     */
    public record Hooks(String url, Duration timeout, String secret, List<String> events, List<String> httpHeaders,
                        List<String> staticHeaders, Duration changeDebounce, Duration changeMaxWait,
                        List<String> namespaces) {
        public static final List<String> EVENTS = List.of("connect", "create", "change", "store", "disconnect");
        public static final Hooks DEFAULT = new Hooks("", Duration.ofSeconds(5), "", List.of("change"), List.of(),
                List.of(), Duration.ofSeconds(2), Duration.ofSeconds(10), List.of());

        public Hooks {
            url = url == null ? "" : url;
            secret = secret == null ? "" : secret;
            events = List.copyOf(events);
            httpHeaders = httpHeaders.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
            staticHeaders = List.copyOf(staticHeaders);
            namespaces = List.copyOf(namespaces);
            if (changeMaxWait.compareTo(changeDebounce) < 0) {
                throw new IllegalArgumentException("docs.hooks.change_max_wait (" + GoDuration.format(changeMaxWait)
                        + ") must be at least docs.hooks.change_debounce (" + GoDuration.format(changeDebounce) + ")");
            }
        }

        /** Whether any hook is sent. */
        public boolean enabled() {
            return !url.isEmpty() && !events.isEmpty();
        }

        public Hooks withUrl(String v) {
            return new Hooks(v, timeout, secret, events, httpHeaders, staticHeaders, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withTimeout(Duration v) {
            return new Hooks(url, v, secret, events, httpHeaders, staticHeaders, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withSecret(String v) {
            return new Hooks(url, timeout, v, events, httpHeaders, staticHeaders, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withEvents(List<String> v) {
            return new Hooks(url, timeout, secret, v, httpHeaders, staticHeaders, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withHttpHeaders(List<String> v) {
            return new Hooks(url, timeout, secret, events, v, staticHeaders, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withStaticHeaders(List<String> v) {
            return new Hooks(url, timeout, secret, events, httpHeaders, v, changeDebounce,
                    changeMaxWait, namespaces);
        }

        public Hooks withChangeDebounce(Duration v) {
            return new Hooks(url, timeout, secret, events, httpHeaders, staticHeaders, v,
                    changeMaxWait, namespaces);
        }

        public Hooks withNamespaces(List<String> v) {
            return new Hooks(url, timeout, secret, events, httpHeaders, staticHeaders, changeDebounce,
                    changeMaxWait, v);
        }

        public Hooks withChangeMaxWait(Duration v) {
            return new Hooks(url, timeout, secret, events, httpHeaders, staticHeaders, changeDebounce, v, namespaces);
        }
    }

    public DocsConfig {
        namespace = namespace == null ? "" : namespace;
        postgres = postgres == null ? Postgres.DEFAULT : postgres;
        hooks = hooks == null ? Hooks.DEFAULT : hooks;
        if (!STORES.contains(store)) {
            throw new IllegalArgumentException("docs.store must be one of " + STORES + ", got " + store);
        }
    }

    /** Whether any document endpoint is served. */
    public boolean enabled() {
        return yjsEnabled || hocuspocusEnabled;
    }

    public DocsConfig withYjsEnabled(boolean v) {
        return new DocsConfig(v, hocuspocusEnabled, namespace, limits, store, postgres, hooks);
    }

    public DocsConfig withHocuspocusEnabled(boolean v) {
        return new DocsConfig(yjsEnabled, v, namespace, limits, store, postgres, hooks);
    }

    public DocsConfig withNamespace(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, v, limits, store, postgres, hooks);
    }

    public DocsConfig withLimits(DocumentLimits v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, v, store, postgres, hooks);
    }

    public DocsConfig withStore(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, v, postgres, hooks);
    }

    public DocsConfig withPostgresDsn(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(v, postgres.schema(), postgres.poolSize()), hooks);
    }

    public DocsConfig withPostgresSchema(String v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(postgres.dsn(), v, postgres.poolSize()), hooks);
    }

    public DocsConfig withPostgresPoolSize(int v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store,
                new Postgres(postgres.dsn(), postgres.schema(), v), hooks);
    }


    public DocsConfig withUnloadGrace(Duration v) {
        return withLimits(limits.withUnloadGrace(v));
    }

    public DocsConfig withMaxUpdateSize(int v) {
        return withLimits(limits.withMaxUpdateSize(v));
    }

    public DocsConfig withMaxDocumentSize(long v) {
        return withLimits(limits.withMaxDocumentSize(v));
    }

    public DocsConfig withCompactAfter(int v) {
        return withLimits(limits.withCompactAfter(v));
    }

    public DocsConfig withMaxLoadedSize(long v) {
        return withLimits(limits.withMaxLoadedSize(v));
    }

    public DocsConfig withMaxNamespaceSize(long v) {
        return withLimits(limits.withMaxNamespaceSize(v));
    }

    public DocsConfig withHooks(Hooks v) {
        return new DocsConfig(yjsEnabled, hocuspocusEnabled, namespace, limits, store, postgres, v);
    }
}
