package dev.weft.server.config;

import dev.weft.core.auth.TokenOptions;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.nats.NatsEngineConfig;
import dev.weft.redis.RedisEngineConfig;

import dev.weft.server.http.HttpChannelInitializer;
import dev.weft.server.http.OriginPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import static dev.weft.server.config.Values.bool;
import static dev.weft.server.config.Values.bytes;
import static dev.weft.server.config.Values.duration;
import static dev.weft.server.config.Values.integer;
import static dev.weft.server.config.Values.nonEmptyString;
import static dev.weft.server.config.Values.oneOf;
import static dev.weft.server.config.Values.path;
import static dev.weft.server.config.Values.regex;
import static dev.weft.server.config.Values.string;
import static dev.weft.server.config.Values.stringList;

/**
 * Every option Weft reads, with the Centrifugo v6 key it is read from, its type, default and meaning: the
 * single source of truth for {@link ConfigLoader} (which key goes where, which environment variable names
 * exist) and for the tables in {@code docs/configuration.md} (a test fails when the document drifts).
 *
 * <p>Key names follow Centrifugo v6 ({@code internal/configtypes/types.go} and {@code namespace.go} in
 * centrifugal/centrifugo, and the v6 "Configure Centrifugo" documentation). Defaults are read from the
 * record defaults ({@link WeftConfig#DEFAULT}, {@link ChannelOptions#DEFAULT}).
 *
 * <p>Immutable; any thread.
 */
public final class OptionCatalog {

    /** Prefix of Weft's environment variables; {@link #CENTRIFUGO_ENV_PREFIX} is accepted the same way. */
    public static final String ENV_PREFIX = "WEFT_";
    /** Centrifugo's prefix, accepted so that a drop-in deployment keeps its environment. */
    public static final String CENTRIFUGO_ENV_PREFIX = "CENTRIFUGO_";

    /** {@code channel.namespaces}: the one option not read through {@link Option} (a list of named option sets). */
    public static final String NAMESPACES_KEY = "channel.namespaces";
    /** {@code channel.without_namespace}: the section holding channel options for channels without namespace. */
    public static final String WITHOUT_NAMESPACE_KEY = "channel.without_namespace";

    private static final List<Option<ChannelOptions, ChannelDraft, ?>> CHANNEL = channelOptionList();
    private static final List<Option<WeftConfig, ConfigDraft, ?>> TOP_LEVEL = topLevelList();

    private OptionCatalog() {
    }

    /** A documented option. {@code key} is dotted and absolute; {@code envVar} uses the {@code WEFT_} prefix. */
    public record OptionDescriptor(String key, String envVar, OptionType type, String defaultValue,
                                   String description) {
    }

    /** Every supported option, in documentation order (channel options appear under {@code without_namespace}). */
    public static List<OptionDescriptor> supported() {
        List<OptionDescriptor> out = new ArrayList<>();
        for (Option<WeftConfig, ConfigDraft, ?> o : TOP_LEVEL) {
            out.add(new OptionDescriptor(o.key(), envVar(o.key()), o.type(), o.defaultText(WeftConfig.DEFAULT),
                    o.description()));
            if (o.key().equals("channel.user_separator")) {
                out.add(new OptionDescriptor(NAMESPACES_KEY, envVar(NAMESPACES_KEY), OptionType.NAMESPACE_LIST,
                        "[]", "Channel namespaces: objects with a unique `name` (2+ characters of "
                        + "`A-Z a-z 0-9 - _ .`) plus any of the `channel.without_namespace.*` options (without "
                        + "the prefix; unset options take their defaults, not the `without_namespace` values). "
                        + "Channel `name:rest` uses namespace `name`. Over the environment: a JSON list, and "
                        + "`WEFT_CHANNEL_NAMESPACES_<NAME>_<OPTION>` for one option of one namespace."));
            }
            if (o.key().equals("client.user_connection_limit")) {
                ProxyConfigDecoder.SECTIONS.forEach((key, meaning) -> out.add(new OptionDescriptor(key, envVar(key),
                        ProxyConfigDecoder.TEXT_KEYS.contains(key) ? OptionType.STRING : OptionType.PROXY_SECTION,
                        ProxyConfigDecoder.TEXT_KEYS.contains(key) ? "\"\"" : "unset", meaning)));
            }
        }
        out.add(new OptionDescriptor(PostgresChangesDecoder.KEY, envVar(PostgresChangesDecoder.KEY),
                OptionType.OBJECT_LIST, "[]", PostgresChangesDecoder.DESCRIPTION));
        out.add(new OptionDescriptor(ConsumersConfigDecoder.KEY, envVar(ConsumersConfigDecoder.KEY),
                OptionType.OBJECT_LIST, "[]", ConsumersConfigDecoder.DESCRIPTION));
        return List.copyOf(out);
    }

    /** The channel options valid in {@code channel.without_namespace} and in each namespace; relative keys. */
    public static List<OptionDescriptor> channelOptions() {
        List<OptionDescriptor> out = new ArrayList<>();
        for (Option<ChannelOptions, ChannelDraft, ?> o : CHANNEL) {
            out.add(new OptionDescriptor(o.key(), envVar(WITHOUT_NAMESPACE_KEY + "." + o.key()), o.type(),
                    o.defaultText(ChannelOptions.DEFAULT), o.description()));
        }
        return List.copyOf(out);
    }

    /** Centrifugo keys Weft recognises but does not implement yet (loading warns and ignores them). */
    public static List<UnsupportedOption> unsupported() {
        return UnsupportedOption.ALL;
    }

    /** The environment variable for a dotted key: {@code WEFT_} + upper snake case, dots become underscores. */
    public static String envVar(String key) {
        return ENV_PREFIX + envSuffix(key);
    }

    static String envSuffix(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static List<Option<WeftConfig, ConfigDraft, ?>> topLevel() {
        return TOP_LEVEL;
    }

    static List<Option<ChannelOptions, ChannelDraft, ?>> channel() {
        return CHANNEL;
    }

    /** Every dotted key the loader knows: supported and unsupported leaves and the sections holding them. */
    static Set<String> knownSections() {
        Set<String> sections = new LinkedHashSet<>();
        List<String> keys = new ArrayList<>();
        TOP_LEVEL.forEach(o -> keys.add(o.key()));
        keys.add(NAMESPACES_KEY);
        keys.addAll(ProxyConfigDecoder.SECTIONS.keySet());
        keys.add(PostgresChangesDecoder.KEY);
        keys.add(ConsumersConfigDecoder.KEY);
        UnsupportedOption.ALL.forEach(u -> keys.add(u.key()));
        for (String key : keys) {
            int dot = key.indexOf('.');
            while (dot > 0) {
                sections.add(key.substring(0, dot));
                dot = key.indexOf('.', dot + 1);
            }
        }
        return sections;
    }

    /** The supported options table of {@code docs/configuration.md}, Markdown. */
    public static String markdownSupportedTable() {
        StringBuilder out = new StringBuilder();
        out.append("| Key | Environment variable | Type | Default | Meaning |\n");
        out.append("|---|---|---|---|---|\n");
        for (OptionDescriptor d : supported()) {
            out.append("| `").append(d.key()).append("` | `").append(d.envVar()).append("` | ")
                    .append(d.type().docName()).append(" | `").append(d.defaultValue()).append("` | ")
                    .append(cell(d.description())).append(" |\n");
        }
        return out.toString();
    }

    /** The recognised-but-unsupported table of {@code docs/configuration.md}, Markdown. */
    public static String markdownUnsupportedTable() {
        StringBuilder out = new StringBuilder();
        out.append("| Centrifugo key | Warned when | Note |\n");
        out.append("|---|---|---|\n");
        for (UnsupportedOption u : UnsupportedOption.ALL) {
            out.append("| `").append(u.key()).append("` | ").append(cell(u.whenWarned())).append(" | ")
                    .append(cell(u.note())).append(" |\n");
        }
        return out.toString();
    }

    /** Keys Weft has renamed: still read, with a warning, as their new key. */
    public static List<RenamedOption> renamed() {
        return RenamedOption.ALL;
    }

    /** The renamed options table of {@code docs/configuration.md}, Markdown. */
    public static String markdownRenamedTable() {
        StringBuilder out = new StringBuilder();
        out.append("| Old key | Old environment variable | Now |\n");
        out.append("|---|---|---|\n");
        for (RenamedOption r : RenamedOption.ALL) {
            out.append("| `").append(r.oldKey()).append("` | `").append(r.oldEnvVar()).append("` | `")
                    .append(r.newKey()).append("` |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static List<Option<ChannelOptions, ChannelDraft, ?>> channelOptionList() {
        List<Option<ChannelOptions, ChannelDraft, ?>> l = new ArrayList<>();
        l.add(new Option<>("presence", OptionType.BOOLEAN,
                "Keep presence (who is subscribed) for channels.",
                bool(), ChannelOptions::presence, (d, v) -> d.builder.presence(v)));
        l.add(new Option<>("join_leave", OptionType.BOOLEAN,
                "Publish join/leave events when clients subscribe and unsubscribe (sent to subscribers that ask).",
                bool(), ChannelOptions::joinLeave, (d, v) -> d.builder.joinLeave(v)));
        l.add(new Option<>("force_push_join_leave", OptionType.BOOLEAN,
                "Send join/leave events to every subscriber, asked or not.",
                bool(), ChannelOptions::forcePushJoinLeave, (d, v) -> d.builder.forcePushJoinLeave(v)));
        l.add(new Option<>("history_size", OptionType.INTEGER,
                "Publications kept per channel (0 = no history). Requires `history_ttl`.",
                integer(0, Integer.MAX_VALUE), ChannelOptions::historySize, (d, v) -> {
                    d.historySize = v;
                    d.builder.historySize(v);
                }));
        l.add(new Option<>("history_ttl", OptionType.DURATION,
                "How long a publication stays in history; whole seconds. Requires `history_size`.",
                duration(Duration.ZERO), ChannelOptions::historyTtl, (d, v) -> {
                    d.historyTtl = v;
                    d.builder.historyTtl(v);
                }));
        l.add(new Option<>("history_meta_ttl", OptionType.DURATION,
                "How long a stream's epoch and offset survive without publications; whole seconds; "
                        + "`0s` = `channel.history_meta_ttl`.",
                duration(Duration.ZERO), ChannelOptions::historyMetaTtl, (d, v) -> {
                    d.historyMetaTtl = v;
                    d.builder.historyMetaTtl(v);
                }));
        l.add(new Option<>("force_recovery", OptionType.BOOLEAN,
                "Recover missed publications for every subscriber on resubscribe. Requires history.",
                bool(), ChannelOptions::forceRecovery, (d, v) -> {
                    d.forceRecovery = v;
                    d.builder.forceRecovery(v);
                }));
        l.add(new Option<>("force_positioning", OptionType.BOOLEAN,
                "Track every subscriber's stream position and make it resubscribe when publications were lost.",
                bool(), ChannelOptions::forcePositioning, (d, v) -> d.builder.forcePositioning(v)));
        l.add(new Option<>("allow_subscribe_for_client", OptionType.BOOLEAN,
                "Authenticated clients may subscribe without a subscription token.",
                bool(), ChannelOptions::allowSubscribeForClient, (d, v) -> d.builder.allowSubscribeForClient(v)));
        l.add(new Option<>("allow_subscribe_for_anonymous", OptionType.BOOLEAN,
                "Anonymous clients (empty user ID) may subscribe without a subscription token.",
                bool(), ChannelOptions::allowSubscribeForAnonymous,
                (d, v) -> d.builder.allowSubscribeForAnonymous(v)));
        l.add(new Option<>("allow_publish_for_subscriber", OptionType.BOOLEAN,
                "Subscribers may publish into the channel from the client side.",
                bool(), ChannelOptions::allowPublishForSubscriber, (d, v) -> d.builder.allowPublishForSubscriber(v)));
        l.add(new Option<>("allow_publish_for_client", OptionType.BOOLEAN,
                "Authenticated clients may publish without being subscribed.",
                bool(), ChannelOptions::allowPublishForClient, (d, v) -> d.builder.allowPublishForClient(v)));
        l.add(new Option<>("allow_publish_for_anonymous", OptionType.BOOLEAN,
                "Anonymous clients may publish.",
                bool(), ChannelOptions::allowPublishForAnonymous, (d, v) -> d.builder.allowPublishForAnonymous(v)));
        l.add(new Option<>("allow_history_for_subscriber", OptionType.BOOLEAN,
                "Subscribers may call history.",
                bool(), ChannelOptions::allowHistoryForSubscriber, (d, v) -> d.builder.allowHistoryForSubscriber(v)));
        l.add(new Option<>("allow_history_for_client", OptionType.BOOLEAN,
                "Authenticated clients may call history without being subscribed.",
                bool(), ChannelOptions::allowHistoryForClient, (d, v) -> d.builder.allowHistoryForClient(v)));
        l.add(new Option<>("allow_history_for_anonymous", OptionType.BOOLEAN,
                "Anonymous clients may call history.",
                bool(), ChannelOptions::allowHistoryForAnonymous, (d, v) -> d.builder.allowHistoryForAnonymous(v)));
        l.add(new Option<>("allow_presence_for_subscriber", OptionType.BOOLEAN,
                "Subscribers may call presence and presence stats.",
                bool(), ChannelOptions::allowPresenceForSubscriber,
                (d, v) -> d.builder.allowPresenceForSubscriber(v)));
        l.add(new Option<>("allow_presence_for_client", OptionType.BOOLEAN,
                "Authenticated clients may call presence without being subscribed.",
                bool(), ChannelOptions::allowPresenceForClient, (d, v) -> d.builder.allowPresenceForClient(v)));
        l.add(new Option<>("allow_presence_for_anonymous", OptionType.BOOLEAN,
                "Anonymous clients may call presence.",
                bool(), ChannelOptions::allowPresenceForAnonymous, (d, v) -> d.builder.allowPresenceForAnonymous(v)));
        l.add(new Option<>("allow_user_limited_channels", OptionType.BOOLEAN,
                "Channels such as `dialog#42,43` may be subscribed only by the users listed after `#`.",
                bool(), ChannelOptions::allowUserLimitedChannels, (d, v) -> d.builder.allowUserLimitedChannels(v)));
        l.add(new Option<>("channel_regex", OptionType.REGEX,
                "Channel names (the part after the namespace) must match this regular expression; \"\" = any.",
                regex(), ChannelOptions::channelRegex, (d, v) -> d.builder.channelRegex(v)));
        l.add(new Option<>("allowed_delta_types", OptionType.STRING_LIST,
                "Delta compression subscribers may ask for: `[\"fossil\"]` or none.",
                deltaTypes(), o -> o.allowFossilDelta() ? List.of("fossil") : List.of(),
                (d, v) -> d.builder.allowFossilDelta(!v.isEmpty())));
        l.add(new Option<>("delta_publish", OptionType.BOOLEAN,
                "Every publication is published for delta compression, as the server API's `delta` flag asks for "
                        + "one: delta subscribers get it as a delta (else whole).",
                bool(), ChannelOptions::deltaPublish, (d, v) -> d.builder.deltaPublish(v)));
        l.add(new Option<>("allow_tags_filter", OptionType.BOOLEAN,
                "Subscribers may ask for only the publications whose tags match a filter (`tf`).",
                bool(), ChannelOptions::allowTagsFilter, (d, v) -> d.builder.allowTagsFilter(v)));
        return List.copyOf(l);
    }

    /** {@code allowed_delta_types}: only {@code fossil} exists, in Centrifugo as here. */
    private static Values.Decoder<List<String>> deltaTypes() {
        Values.Decoder<List<String>> list = stringList();
        return node -> {
            List<String> types = list.decode(node);
            for (String type : types) {
                if (!type.equals("fossil")) {
                    throw new Values.BadValue("unknown delta type \"" + type + "\" (only \"fossil\")");
                }
            }
            return types;
        };
    }

    /** The key and claim options shared by {@code client.token} and {@code client.subscription_token}. */
    private static void tokenOptions(List<Option<WeftConfig, ConfigDraft, ?>> l, String prefix, String what,
                                     Function<WeftConfig, TokenOptions> current,
                                     Function<ConfigDraft, TokenOptions.Builder> draft) {
        l.add(new Option<>(prefix + ".hmac_secret_key", OptionType.STRING,
                "HMAC secret checking HS256/384/512 signatures of " + what + ".",
                string(), c -> current.apply(c).hmacSecretKey(), (d, v) -> draft.apply(d).hmacSecretKey(v)));
        l.add(new Option<>(prefix + ".rsa_public_key", OptionType.STRING,
                "RSA public key (PEM, base64 of PEM, or a PEM file path) checking RS256/384/512 signatures of "
                        + what + ".",
                string(), c -> current.apply(c).rsaPublicKey(), (d, v) -> draft.apply(d).rsaPublicKey(v)));
        l.add(new Option<>(prefix + ".ecdsa_public_key", OptionType.STRING,
                "ECDSA public key (PEM, base64 of PEM, or a PEM file path) checking ES256/384/512 signatures of "
                        + what + "; the curve must fit the algorithm.",
                string(), c -> current.apply(c).ecdsaPublicKey(), (d, v) -> draft.apply(d).ecdsaPublicKey(v)));
        l.add(new Option<>(prefix + ".jwks_public_endpoint", OptionType.STRING,
                "JSON Web Key Set URL whose RSA, EC and Ed25519 keys (chosen by `kid`) check " + what
                        + "; cached for an hour, fetched again when a token names an unknown `kid` (at most every 5 s). A "
                        + "fetch is 3 attempts of at most 1 s each (headers and body), 3.3 s in all; meanwhile known "
                        + "keys keep working. While it is unreachable or too slow, clients needing it get a "
                        + "temporary error within that time and retry.",
                string(), c -> current.apply(c).jwksPublicEndpoint(),
                (d, v) -> draft.apply(d).jwksPublicEndpoint(v)));
        l.add(new Option<>(prefix + ".audience", OptionType.STRING,
                "When set, the `aud` claim of " + what + " must contain it.",
                string(), c -> current.apply(c).audience(), (d, v) -> draft.apply(d).audience(v)));
        l.add(new Option<>(prefix + ".audience_regex", OptionType.REGEX,
                "When set, an `aud` entry of " + what + " must contain a match (unanchored, as in Centrifugo: "
                        + "write `^…$`). Not together with `audience`.",
                regex(), c -> current.apply(c).audienceRegex(), (d, v) -> draft.apply(d).audienceRegex(v)));
        l.add(new Option<>(prefix + ".issuer", OptionType.STRING,
                "When set, the `iss` claim of " + what + " must equal it.",
                string(), c -> current.apply(c).issuer(), (d, v) -> draft.apply(d).issuer(v)));
        l.add(new Option<>(prefix + ".issuer_regex", OptionType.REGEX,
                "When set, the `iss` claim of " + what + " must contain a match (unanchored). Not together "
                        + "with `issuer`.",
                regex(), c -> current.apply(c).issuerRegex(), (d, v) -> draft.apply(d).issuerRegex(v)));
        l.add(new Option<>(prefix + ".user_id_claim", OptionType.STRING,
                "Claim holding the user ID in " + what + " instead of `sub` (dotted path for nested claims).",
                string(), c -> current.apply(c).userIdClaim(), (d, v) -> draft.apply(d).userIdClaim(v)));
    }

    /** A list of origin globs; a malformed one (an unterminated {@code [} or {@code {}) is refused, as Centrifugo does. */
    private static Values.Decoder<List<String>> originPatterns() {
        Values.Decoder<List<String>> list = stringList();
        return node -> {
            List<String> patterns = list.decode(node);
            try {
                OriginPolicy.validate(patterns);
            } catch (IllegalArgumentException e) {
                throw new Values.BadValue(e.getMessage());
            }
            return patterns;
        };
    }

    /** A port 0..65535 as a number or text, or "" for none. */
    private static Values.Decoder<String> portOrEmpty() {
        Values.Decoder<String> text = string();
        return node -> {
            String v = text.decode(node).trim();
            if (v.isEmpty()) {
                return v;
            }
            try {
                int port = Integer.parseInt(v);
                if (port >= 0 && port <= 65535) {
                    return String.valueOf(port);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new Values.BadValue("expected a port 0..65535 or \"\", got \"" + v + "\"");
        };
    }

    private static List<Option<WeftConfig, ConfigDraft, ?>> topLevelList() {
        List<Option<WeftConfig, ConfigDraft, ?>> l = new ArrayList<>();
        l.add(new Option<>("http_server.address", OptionType.STRING,
                "Interface address to listen on; \"\" = all interfaces.",
                string(), c -> c.httpServer().address(), (d, v) -> d.address = v));
        l.add(new Option<>("http_server.port", OptionType.INTEGER,
                "Port to listen on (0 = any free port). Text such as `\"8000\"` is accepted, as in Centrifugo.",
                integer(0, 65535), c -> c.httpServer().port(), (d, v) -> d.port = v));
        l.add(new Option<>("http_server.tls.enabled", OptionType.BOOLEAN,
                "Serve TLS on the HTTP port (and only TLS), offering HTTP/2 (`h2`) and HTTP/1.1 by ALPN. Needs "
                        + "`http_server.tls.cert_pem` and `http_server.tls.key_pem`.",
                bool(), c -> c.httpServer().tls().enabled(), (d, v) -> d.tlsEnabled = v));
        l.add(new Option<>("http_server.tls.cert_pem", OptionType.STRING,
                "Server certificate chain: PEM text, base64-encoded PEM, or the path of a PEM file.",
                string(), c -> c.httpServer().tls().certPem(), (d, v) -> d.tlsCertPem = v));
        l.add(new Option<>("http_server.tls.key_pem", OptionType.STRING,
                "Private key of the certificate (PKCS#8, PKCS#1 RSA or SEC 1 EC), in the same forms as "
                        + "`cert_pem`.",
                string(), c -> c.httpServer().tls().keyPem(), (d, v) -> d.tlsKeyPem = v));
        l.add(new Option<>("http_server.h2c_external", OptionType.BOOLEAN,
                "Let cleartext connections speak HTTP/2 (h2c), by prior knowledge or `Upgrade: h2c`, so one "
                        + "connection can carry many SSE and HTTP-streaming responses.",
                bool(), c -> c.httpServer().h2cExternal(), (d, v) -> d.h2cExternal = v));
        l.add(new Option<>("http_server.idle_timeout", OptionType.DURATION,
                "How long a connection may wait for its next request: an HTTP/1.1 keep-alive connection after "
                        + "a response, an HTTP/2 connection without open streams (then closed with GOAWAY).",
                duration(Duration.ofMillis(1)), c -> c.httpServer().idleTimeout(), (d, v) -> d.idleTimeout = v));
        l.add(new Option<>("http_server.http2.max_concurrent_streams", OptionType.INTEGER,
                "Streams one HTTP/2 connection may have open at once, advertised in SETTINGS; more are refused "
                        + "(`REFUSED_STREAM`). Each stream's request must be complete within "
                        + "`client.stale_close_delay`, as on HTTP/1.1.",
                integer(1, Integer.MAX_VALUE), c -> c.httpServer().http2MaxConcurrentStreams(),
                (d, v) -> d.http2MaxConcurrentStreams = v));
        l.add(new Option<>("http_server.internal_address", OptionType.STRING,
                "Interface for the internal endpoints (server API, `/api/docs`, `/health`, `/ready`); \"\" = "
                        + "`http_server.address`. When it or `internal_port` names another address or port, those "
                        + "endpoints are served only there, not on the public port.",
                string(), c -> c.httpServer().internalAddress(), (d, v) -> d.internalAddress = v));
        l.add(new Option<>("http_server.internal_port", OptionType.STRING,
                "Port for the internal endpoints (server API, `/api/docs`, `/health`, `/ready`); \"\" = `http_server.port`. "
                        + "A number or text such as `\"9000\"`, as in Centrifugo.",
                portOrEmpty(), c -> c.httpServer().internalPort() == HttpServerConfig.NO_PORT ? ""
                : String.valueOf(c.httpServer().internalPort()),
                (d, v) -> d.internalPort = v.isEmpty() ? HttpServerConfig.NO_PORT : Integer.parseInt(v)));
        l.add(new Option<>("http_api.key", OptionType.STRING,
                "Server API key, checked against the `X-API-Key` header (or `Authorization: apikey <key>`, or the "
                        + "`api_key` query parameter). The API at `/api/<method>` is served only when a key is set "
                        + "or `http_api.insecure` is on.",
                string(), c -> c.httpApi().key(), (d, v) -> d.apiKey = v));
        l.add(new Option<>("http_api.insecure", OptionType.BOOLEAN,
                "Serve the server API without checking a key (development, or behind a firewall).",
                bool(), c -> c.httpApi().insecure(), (d, v) -> d.apiInsecure = v));
        l.add(new Option<>("http_api.error_mode", OptionType.ERROR_MODE,
                "`transport`: answer server API errors with an HTTP status (404, 400, 416, 500…) and the bare "
                        + "error object instead of 200 + `error`; \"\" = Centrifugo's default. Per request: "
                        + "header `X-Centrifugo-Error-Mode: transport`.",
                oneOf(HttpApiConfig.ERROR_MODES), c -> c.httpApi().errorMode(), (d, v) -> d.apiErrorMode = v));
        l.add(new Option<>("websocket.message_size_limit", OptionType.BYTES,
                "Largest WebSocket message a client may send; a bigger one closes the connection (1009).",
                integer(1, Integer.MAX_VALUE), c -> c.websocket().messageSizeLimit(),
                (d, v) -> d.websocketMessageSizeLimit = v));
        l.add(new Option<>("http_stream.enabled", OptionType.BOOLEAN,
                "Serve `/connection/http_stream`, the HTTP-streaming half of bidirectional emulation "
                        + "(centrifuge-js `http_stream` transport), and `/emulation` for the client's commands.",
                bool(), c -> c.emulation().httpStreamEnabled(), (d, v) -> d.httpStreamEnabled = v));
        l.add(new Option<>("http_stream.max_request_body_size", OptionType.BYTES,
                "Largest connect request body on `/connection/http_stream` (at most 1 MiB, the server-wide "
                        + "request limit); a bigger one gets 413.",
                integer(1, HttpChannelInitializer.MAX_REQUEST_BODY), c -> c.emulation().httpStreamMaxRequestBodySize(),
                (d, v) -> d.httpStreamMaxRequestBodySize = v));
        l.add(new Option<>("sse.enabled", OptionType.BOOLEAN,
                "Serve `/connection/sse`, the Server-Sent Events half of bidirectional emulation "
                        + "(centrifuge-js `sse` transport), and `/emulation` for the client's commands.",
                bool(), c -> c.emulation().sseEnabled(), (d, v) -> d.sseEnabled = v));
        l.add(new Option<>("sse.max_request_body_size", OptionType.BYTES,
                "Largest connect command on `/connection/sse`, as POST body or `cf_connect` query parameter "
                        + "(at most 1 MiB); a bigger one gets 413.",
                integer(1, HttpChannelInitializer.MAX_REQUEST_BODY), c -> c.emulation().sseMaxRequestBodySize(),
                (d, v) -> d.sseMaxRequestBodySize = v));
        l.add(new Option<>("emulation.max_request_body_size", OptionType.BYTES,
                "Largest `/emulation` request body (commands of HTTP-streaming and SSE clients; at most 1 MiB); "
                        + "a bigger one gets 413.",
                integer(1, HttpChannelInitializer.MAX_REQUEST_BODY), c -> c.emulation().emulationMaxRequestBodySize(),
                (d, v) -> d.emulationMaxRequestBodySize = v));
        l.add(new Option<>("uni_sse.enabled", OptionType.BOOLEAN,
                "Serve the one-way SSE transport: Centrifugo's unidirectional protocol, the connect request in "
                        + "the `cf_connect` query parameter (GET) or the body (POST), one push per event.",
                bool(), c -> c.uni().sse().enabled(),
                (d, v) -> d.uni = d.uni.withSse(d.uni.sse().withEnabled(v))));
        l.add(new Option<>("uni_sse.handler_prefix", OptionType.PATH,
                "Path of the one-way SSE endpoint.",
                path(), c -> c.uni().sse().handlerPrefix(), (d, v) -> d.uni = d.uni.withSse(
                        new UniConfig.Stream(d.uni.sse().enabled(), v, d.uni.sse().maxRequestBodySize()))));
        l.add(new Option<>("uni_sse.max_request_body_size", OptionType.BYTES,
                "Largest POST body (connect request) the one-way SSE endpoint reads (at most 1 MiB); bigger gets "
                        + "413.",
                integer(1, HttpChannelInitializer.MAX_REQUEST_BODY), c -> c.uni().sse().maxRequestBodySize(), (d, v) -> d.uni = d.uni
                        .withSse(new UniConfig.Stream(d.uni.sse().enabled(), d.uni.sse().handlerPrefix(), v))));
        l.add(new Option<>("uni_http_stream.enabled", OptionType.BOOLEAN,
                "Serve the one-way HTTP-streaming transport: POST the connect request, read newline-delimited "
                        + "JSON pushes from the chunked response.",
                bool(), c -> c.uni().httpStream().enabled(),
                (d, v) -> d.uni = d.uni.withHttpStream(d.uni.httpStream().withEnabled(v))));
        l.add(new Option<>("uni_http_stream.handler_prefix", OptionType.PATH,
                "Path of the one-way HTTP-streaming endpoint.",
                path(), c -> c.uni().httpStream().handlerPrefix(), (d, v) -> d.uni = d.uni.withHttpStream(
                        new UniConfig.Stream(d.uni.httpStream().enabled(), v,
                                d.uni.httpStream().maxRequestBodySize()))));
        l.add(new Option<>("uni_http_stream.max_request_body_size", OptionType.BYTES,
                "Largest POST body (connect request) the one-way HTTP-streaming endpoint reads (at most 1 MiB); "
                        + "bigger gets 413.",
                integer(1, HttpChannelInitializer.MAX_REQUEST_BODY), c -> c.uni().httpStream().maxRequestBodySize(),
                (d, v) -> d.uni = d.uni.withHttpStream(new UniConfig.Stream(d.uni.httpStream().enabled(),
                        d.uni.httpStream().handlerPrefix(), v))));
        l.add(new Option<>("uni_websocket.enabled", OptionType.BOOLEAN,
                "Serve the one-way WebSocket transport: the connect request in `cf_connect` or as the first "
                        + "message, then one JSON push per text message.",
                bool(), c -> c.uni().websocket().enabled(),
                (d, v) -> d.uni = d.uni.withWebsocket(d.uni.websocket().withEnabled(v))));
        l.add(new Option<>("uni_websocket.handler_prefix", OptionType.PATH,
                "Path of the one-way WebSocket endpoint.",
                path(), c -> c.uni().websocket().handlerPrefix(), (d, v) -> {
                    UniConfig.WebSocket w = d.uni.websocket();
                    d.uni = d.uni.withWebsocket(new UniConfig.WebSocket(w.enabled(), v, w.messageSizeLimit(),
                            w.disableDisconnectPush()));
                }));
        l.add(new Option<>("uni_websocket.message_size_limit", OptionType.BYTES,
                "Largest message (the connect request) a one-way WebSocket client may send; bigger closes with "
                        + "1009.",
                integer(1, Integer.MAX_VALUE), c -> c.uni().websocket().messageSizeLimit(), (d, v) -> {
                    UniConfig.WebSocket w = d.uni.websocket();
                    d.uni = d.uni.withWebsocket(new UniConfig.WebSocket(w.enabled(), w.handlerPrefix(), v,
                            w.disableDisconnectPush()));
                }));
        l.add(new Option<>("uni_websocket.disable_disconnect_push", OptionType.BOOLEAN,
                "Close one-way WebSocket connections with the close frame only, without the `disconnect` push "
                        + "before it.",
                bool(), c -> c.uni().websocket().disableDisconnectPush(), (d, v) -> {
                    UniConfig.WebSocket w = d.uni.websocket();
                    d.uni = d.uni.withWebsocket(new UniConfig.WebSocket(w.enabled(), w.handlerPrefix(),
                            w.messageSizeLimit(), v));
                }));
        l.add(new Option<>("plain_sse.enabled", OptionType.BOOLEAN,
                "Weft addition: serve `GET /sse/<channel>` and `/sse?channel=…` to plain EventSource clients "
                        + "(same tokens and channel permissions as WebSocket subscribers).",
                bool(), c -> c.plainSse().enabled(), (d, v) -> d.plainSse = d.plainSse.withEnabled(v)));
        l.add(new Option<>("plain_sse.heartbeat_interval", OptionType.DURATION,
                "Weft addition: an idle `/sse` stream gets a comment line this often, so proxies do not close "
                        + "it; `0s` = never.",
                duration(Duration.ZERO), c -> c.plainSse().heartbeatInterval(),
                (d, v) -> d.plainSse = d.plainSse.withHeartbeatInterval(v)));
        l.add(new Option<>("plain_sse.retry", OptionType.DURATION,
                "Weft addition: the `retry:` hint of `/sse` streams, how long a browser waits before it "
                        + "reconnects (and resumes with `Last-Event-ID`).",
                duration(Duration.ZERO), c -> c.plainSse().retry(), (d, v) -> d.plainSse = d.plainSse.withRetry(v)));
        webOptions(l);
        aiStreamOptions(l);
        docsOptions(l);
        engineOptions(l);
        aiRelayOptions(l);
        l.add(new Option<>("client.allowed_origins", OptionType.STRING_LIST,
                "Browser origins that may connect; others are refused with 403 at the upgrade. Globs as in "
                        + "Centrifugo: `*` any run of characters, `?` one, `[a-z]`, `{app,admin}` "
                        + "(`https://*.example.com`; `*` alone allows every site, logged as a warning, and never "
                        + "grants credentialed CORS). Requests without an Origin header (not browsers) always "
                        + "pass. Empty: only pages from the same host as the `Host` header (Centrifugo refuses "
                        + "every browser then). Over the environment: space- or comma-separated.",
                originPatterns(), WeftConfig::allowedOrigins, (d, v) -> d.allowedOrigins = v));
        tokenOptions(l, "client.token", "connection JWTs (and subscription JWTs unless "
                + "`client.subscription_token.enabled`)", c -> c.node().client().token(), d -> d.token);
        l.add(new Option<>("client.subscription_token.enabled", OptionType.BOOLEAN,
                "Check subscription JWTs with the `client.subscription_token.*` keys below instead of "
                        + "`client.token.*`.",
                bool(), c -> c.node().client().subscriptionTokenEnabled(),
                (d, v) -> d.clientBuilder.subscriptionTokenEnabled(v)));
        tokenOptions(l, "client.subscription_token", "subscription JWTs (when `client.subscription_token.enabled`)",
                c -> c.node().client().subscriptionToken(), d -> d.subscriptionToken);
        l.add(new Option<>("client.disallow_anonymous_connection_tokens", OptionType.BOOLEAN,
                "Refuse connection tokens whose user ID is empty (disconnect 3507).",
                bool(), c -> c.node().client().disallowAnonymousConnectionTokens(),
                (d, v) -> d.clientBuilder.disallowAnonymousConnectionTokens(v)));
        l.add(new Option<>("client.token_cookie_name", OptionType.STRING,
                "Weft addition: name of a cookie the HTTP transports (SSE, HTTP-streaming, uni-directional) read "
                        + "the connection token from when the request has no `Authorization: Bearer` header; "
                        + "\"\" = cookies are never read. Browsers send cookies with requests other sites start, "
                        + "so a cookie request is served only from an allowed Origin or, without Origin, with "
                        + "`Sec-Fetch-Site` `same-origin`, `same-site` or `none`; others get 403. Refused at "
                        + "start together with `client.allowed_origins` that let in any site (`*`).",
                string(), c -> c.node().client().tokenCookieName(), (d, v) -> d.clientBuilder.tokenCookieName(v)));
        l.add(new Option<>("client.insecure", OptionType.BOOLEAN,
                "Accept every connection without a token and skip channel permission checks. Development only.",
                bool(), c -> c.node().client().insecure(), (d, v) -> d.clientBuilder.insecure(v)));
        l.add(new Option<>("client.allow_anonymous_connect_without_token", OptionType.BOOLEAN,
                "Accept connections without a token as anonymous (empty user ID).",
                bool(), c -> c.node().client().allowAnonymousConnectWithoutToken(),
                (d, v) -> d.clientBuilder.allowAnonymousConnectWithoutToken(v)));
        l.add(new Option<>("client.ping_interval", OptionType.DURATION,
                "How often the server pings each connection.",
                duration(Duration.ofNanos(1)), c -> c.node().client().pingInterval(),
                (d, v) -> d.clientBuilder.pingInterval(v)));
        l.add(new Option<>("client.pong_timeout", OptionType.DURATION,
                "How long after a ping the client's pong must arrive; must be less than `client.ping_interval`.",
                duration(Duration.ZERO), c -> c.node().client().pongTimeout(),
                (d, v) -> d.clientBuilder.pongTimeout(v)));
        l.add(new Option<>("client.stale_close_delay", OptionType.DURATION,
                "A connection that has not sent its connect command by then is closed.",
                duration(Duration.ZERO), c -> c.node().client().staleCloseDelay(),
                (d, v) -> d.clientBuilder.staleCloseDelay(v)));
        l.add(new Option<>("client.expired_close_delay", OptionType.DURATION,
                "Grace after a connection token expires for the client to refresh it.",
                duration(Duration.ZERO), c -> c.node().client().expiredCloseDelay(),
                (d, v) -> d.clientBuilder.expiredCloseDelay(v)));
        l.add(new Option<>("client.expired_sub_close_delay", OptionType.DURATION,
                "Grace after a subscription token expires for the client to refresh it (`sub_refresh`); then "
                        + "the subscription ends with an unsubscribe push (code 2501) and the SDK resubscribes.",
                duration(Duration.ZERO), c -> c.node().client().expiredSubCloseDelay(),
                (d, v) -> d.clientBuilder.expiredSubCloseDelay(v)));
        l.add(new Option<>("client.channel_limit", OptionType.INTEGER,
                "Channels one connection may subscribe to (0 = no limit); also the documents one `/hocuspocus` "
                        + "connection may hold open (a document is a channel; more get PermissionDenied).",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().channelLimit(),
                (d, v) -> d.clientBuilder.channelLimit(v)));
        l.add(new Option<>("client.user_connection_limit", OptionType.INTEGER,
                "Connections one user may hold on this node (0 = no limit).",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().userConnectionLimit(),
                (d, v) -> d.clientBuilder.userConnectionLimit(v)));
        l.add(new Option<>("client.connection_limit", OptionType.INTEGER,
                "Client connections this node holds at most, over every transport; further connection attempts "
                        + "get HTTP 503 (code 106) before the upgrade. 0 = derived from the open-file limit "
                        + "(`ulimit -n`): the limit minus the descriptors open at start minus a tenth of the limit "
                        + "(64 to 4096) kept for the API, health checks and handshakes; logged at start.",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().connectionLimit(),
                (d, v) -> d.clientBuilder.connectionLimit(v)));
        l.add(new Option<>("client.connection_rate_limit", OptionType.INTEGER,
                "New client connections per second this node accepts (0 = no limit); more get HTTP 503 before "
                        + "the upgrade. Weft refills this many per second (Centrifugo allows this many at once, "
                        + "then one per second).",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().connectionRateLimit(),
                (d, v) -> d.clientBuilder.connectionRateLimit(v)));
        l.add(new Option<>("client.ip_connection_rate_limit", OptionType.INTEGER,
                "Weft addition: connection attempts per second one client address (an IPv6 /64) may make; more "
                        + "get HTTP 429 with `Retry-After` before the upgrade (0 = no limit). The address is the "
                        + "socket's peer: behind a reverse proxy every client shares the proxy's, so limit there.",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().ipConnectionRateLimit(),
                (d, v) -> d.clientBuilder.ipConnectionRateLimit(v)));
        l.add(new Option<>("client.ip_connection_rate_burst", OptionType.INTEGER,
                "Weft addition: connection attempts one address may make at once before "
                        + "`client.ip_connection_rate_limit` applies.",
                integer(1, Integer.MAX_VALUE), c -> c.node().client().ipConnectionRateBurst(),
                (d, v) -> d.clientBuilder.ipConnectionRateBurst(v)));
        l.add(new Option<>("client.command_rate_limit", OptionType.INTEGER,
                "Weft addition: commands per second one connection may send, sustained (0 = no limit); a command "
                        + "over it is answered with error 111 (temporary) before it does any work. Every "
                        + "command counts, connect included; pongs do not. Off by default, as in Centrifugo "
                        + "(clients may pipeline thousands of publishes); 100 is a sensible start.",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().commandRateLimit(),
                (d, v) -> d.clientBuilder.commandRateLimit(v)));
        l.add(new Option<>("client.command_rate_burst", OptionType.INTEGER,
                "Weft addition: commands one connection may send at once before `client.command_rate_limit` "
                        + "applies (at least that rate is used). Leave room for a reconnect that resubscribes "
                        + "to `client.channel_limit` channels in one go.",
                integer(1, Integer.MAX_VALUE), c -> c.node().client().commandRateBurst(),
                (d, v) -> d.clientBuilder.commandRateBurst(v)));
        l.add(new Option<>("client.command_refusal_limit", OptionType.INTEGER,
                "Weft addition: commands refused for the rate that a connection may send within about a second; a "
                        + "client that keeps sending past them is disconnected with 3013 (0 = never).",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().commandRefusalLimit(),
                (d, v) -> d.clientBuilder.commandRefusalLimit(v)));
        l.add(new Option<>("client.concurrency", OptionType.INTEGER,
                "Commands of one connection processed at once; 0 or 1 = one after another. Above 1, `rpc`, "
                        + "`publish`, `history`, `presence` and `presence_stats` may run beside the others (so a "
                        + "slow proxy call does not hold up later replies); connect, subscribe, unsubscribe and "
                        + "refresh keep their order.",
                integer(0, 1024), c -> c.node().client().concurrency(),
                (d, v) -> d.clientBuilder.concurrency(v)));
        l.add(new Option<>("client.queue_max_size", OptionType.BYTES,
                "Bytes a connection may have waiting to be written; a slower client is disconnected. Document "
                        + "connections (`/yjs`, `/hocuspocus`) admit one message of any size while less than this "
                        + "waits (a large document's sync reply), and are closed (1013) when a message is refused.",
                bytes(1), c -> c.node().client().queueMaxSize(), (d, v) -> d.clientBuilder.queueMaxSize(v)));
        l.add(new Option<>("client.presence_update_interval", OptionType.DURATION,
                "How often a connection refreshes its presence entries.",
                duration(Duration.ofNanos(1)), c -> c.node().client().presenceUpdateInterval(),
                (d, v) -> d.clientBuilder.presenceUpdateInterval(v)));
        l.add(new Option<>("client.history_max_publication_limit", OptionType.INTEGER,
                "At most this many publications per client history call.",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().historyMaxPublicationLimit(),
                (d, v) -> d.clientBuilder.historyMaxPublicationLimit(v)));
        l.add(new Option<>("client.recovery_max_publication_limit", OptionType.INTEGER,
                "A recovery needing more publications than this is not attempted (the client resubscribes "
                        + "without `recovered`).",
                integer(0, Integer.MAX_VALUE), c -> c.node().client().recoveryMaxPublicationLimit(),
                (d, v) -> d.clientBuilder.recoveryMaxPublicationLimit(v)));
        l.add(new Option<>("client.subscribe_to_user_personal_channel.enabled", OptionType.BOOLEAN,
                "Subscribe every connection with a user ID to its personal channel server-side: `#<user>`, or "
                        + "`<namespace>:#<user>` with `personal_channel_namespace`.",
                bool(), c -> c.node().client().subscribeToUserPersonalChannel(),
                (d, v) -> d.clientBuilder.subscribeToUserPersonalChannel(v)));
        l.add(new Option<>("client.subscribe_to_user_personal_channel.personal_channel_namespace", OptionType.STRING,
                "Namespace of the personal channel (must be configured); \"\" = channels without namespace.",
                string(), c -> c.node().client().personalChannelNamespace(),
                (d, v) -> d.clientBuilder.personalChannelNamespace(v)));
        l.add(new Option<>("channel.history_meta_ttl", OptionType.DURATION,
                "Default for how long a stream's epoch and offset survive without publications; must be at "
                        + "least every `history_ttl`.",
                duration(Duration.ofSeconds(1)), c -> c.node().historyMetaTtl(), (d, v) -> d.historyMetaTtl = v));
        l.add(new Option<>("channel.max_length", OptionType.INTEGER,
                "Longest channel name accepted.",
                integer(1, Integer.MAX_VALUE), c -> c.node().channels().maxLength(),
                (d, v) -> d.channelMaxLength = v));
        l.add(new Option<>("channel.private_prefix", OptionType.STRING,
                "Channels starting with this need a subscription token.",
                nonEmptyString(), c -> c.node().channels().privatePrefix(), (d, v) -> d.privatePrefix = v));
        l.add(new Option<>("channel.namespace_boundary", OptionType.STRING,
                "Separates the namespace from the rest of a channel name.",
                nonEmptyString(), c -> c.node().channels().namespaceBoundary(), (d, v) -> d.namespaceBoundary = v));
        l.add(new Option<>("channel.user_boundary", OptionType.STRING,
                "Starts the user list of a user-limited channel.",
                nonEmptyString(), c -> c.node().channels().userBoundary(), (d, v) -> d.userBoundary = v));
        l.add(new Option<>("channel.user_separator", OptionType.STRING,
                "Separates user IDs in a user-limited channel.",
                nonEmptyString(), c -> c.node().channels().userSeparator(), (d, v) -> d.userSeparator = v));
        for (Option<ChannelOptions, ChannelDraft, ?> o : CHANNEL) {
            l.add(o.nested(WITHOUT_NAMESPACE_KEY, (WeftConfig c) -> c.node().channels().withoutNamespace(),
                    (ConfigDraft d) -> d.withoutNamespace));
        }
        l.add(new Option<>("node.name", OptionType.STRING,
                "Node name reported to clients and in logs.",
                string(), c -> c.node().name(), (d, v) -> d.nodeName = v));
        l.add(new Option<>("log.level", OptionType.LOG_LEVEL,
                "One of `none`, `trace`, `debug`, `info`, `warn`, `error`.",
                oneOf(LogConfig.LEVELS), c -> c.log().level(), (d, v) -> d.logLevel = v));
        l.add(new Option<>("log.file", OptionType.STRING,
                "Write logs to this file instead of standard output; \"\" = standard output.",
                string(), c -> c.log().file(), (d, v) -> d.logFile = v));
        l.add(new Option<>("log.format", OptionType.LOG_FORMAT,
                "`text` (one readable line per event) or `json` (one JSON object per line: `time`, `level`, "
                        + "`logger`, `thread`, `msg`, `error`). Weft addition.",
                oneOf(LogConfig.FORMATS), c -> c.log().format(), (d, v) -> d.logFormat = v));
        return List.copyOf(l);
    }

    /** {@code ai.relay.*} and {@code ai.upstreams}: the model APIs AI token streams relay (Weft additions). */
    private static void aiRelayOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("ai.upstreams", OptionType.UPSTREAMS,
                "Weft addition: model APIs an AI token stream may relay, by name: `{\"openai\": {\"url\": "
                        + "\"https://api.openai.com/v1/chat/completions\", \"headers\": {\"Authorization\": "
                        + "\"Bearer ${OPENAI_API_KEY}\"}, \"format\": \"openai-chat\"}}`. Keys: `url` (http or "
                        + "https), `headers` (sent on every request, winning over the caller's; `${NAME}` is "
                        + "replaced with environment variable `NAME` at startup, so secrets stay out of the file), "
                        + "`format` (`openai-chat`, `openai-responses`, `anthropic`, `sse`, `ndjson`), and "
                        + "`first_byte_timeout`, `idle_timeout`, `total_timeout` overriding `ai.relay.*`. An API "
                        + "caller names one with `\"upstream\": {\"name\": \"openai\", \"body\": {…}}`. Over the "
                        + "environment: one JSON object. See docs/protocol.md#ai-relay.",
                new AiUpstreamsDecoder(), c -> c.aiRelay().upstreams(),
                (d, v) -> d.aiRelay = d.aiRelay.withUpstreams(v)));
        l.add(new Option<>("ai.relay.allow_urls", OptionType.BOOLEAN,
                "Weft addition: an API caller may give an upstream `url` (and headers) of its own instead of the "
                        + "name of an `ai.upstreams` entry. Off: only configured upstreams are called.",
                bool(), c -> c.aiRelay().allowUrls(), (d, v) -> d.aiRelay = d.aiRelay.withAllowUrls(v)));
        l.add(new Option<>("ai.relay.max_concurrent", OptionType.INTEGER,
                "Weft addition: relays running at once on this node; one more is refused.",
                integer(1, 1_000_000), c -> c.aiRelay().maxConcurrent(),
                (d, v) -> d.aiRelay = d.aiRelay.withMaxConcurrent(v)));
        l.add(new Option<>("ai.relay.first_byte_timeout", OptionType.DURATION,
                "Weft addition: longest wait from sending a relay's request to the first byte of the answer "
                        + "(connecting, the model thinking before it streams); then the stream fails.",
                duration(Duration.ofMillis(1)), c -> c.aiRelay().firstByteTimeout(),
                (d, v) -> d.aiRelay = d.aiRelay.withFirstByteTimeout(v)));
        l.add(new Option<>("ai.relay.idle_timeout", OptionType.DURATION,
                "Weft addition: longest silence of an upstream between two reads once its answer flows.",
                duration(Duration.ofMillis(1)), c -> c.aiRelay().idleTimeout(),
                (d, v) -> d.aiRelay = d.aiRelay.withIdleTimeout(v)));
        l.add(new Option<>("ai.relay.total_timeout", OptionType.DURATION,
                "Weft addition: longest relay, from the request to the end of the answer.",
                duration(Duration.ofMillis(1)), c -> c.aiRelay().totalTimeout(),
                (d, v) -> d.aiRelay = d.aiRelay.withTotalTimeout(v)));
        l.add(new Option<>("ai.relay.max_event_size", OptionType.BYTES,
                "Weft addition: longest line and longest event of an upstream answer; a longer one fails the "
                        + "stream instead of being buffered.",
                bytes(1024), c -> (long) c.aiRelay().maxEventSize(),
                (d, v) -> d.aiRelay = d.aiRelay.withMaxEventSize((int) Math.min(v, Integer.MAX_VALUE))));
    }

    /** {@code docs.*}: collaborative documents (Weft additions). */
    private static void docsOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("docs.yjs.enabled", OptionType.BOOLEAN,
                "Weft addition: serve the y-websocket dialect at `/yjs/<room>` (y-websocket's `WebsocketProvider` "
                        + "with `serverUrl` `ws://host:8000/yjs`).",
                bool(), c -> c.docs().yjsEnabled(), (d, v) -> d.docs = d.docs.withYjsEnabled(v)));
        l.add(new Option<>("docs.hocuspocus.enabled", OptionType.BOOLEAN,
                "Weft addition: serve the Hocuspocus dialect at `/hocuspocus` (`@hocuspocus/provider`).",
                bool(), c -> c.docs().hocuspocusEnabled(), (d, v) -> d.docs = d.docs.withHocuspocusEnabled(v)));
        l.add(new Option<>("docs.namespace", OptionType.STRING,
                "Weft addition: channel namespace whose options and permissions govern every document: room `r` "
                        + "is channel `<namespace>:r`. Empty: the room name is the channel name (room `notes:r` "
                        + "uses namespace `notes`).",
                string(), c -> c.docs().namespace(), (d, v) -> d.docs = d.docs.withNamespace(v)));
        l.add(new Option<>("docs.max_update_size", OptionType.BYTES,
                "Weft addition: largest Yjs update (or awareness update) a peer or `POST /api/docs` may send "
                        + "(a `POST /api/docs` body is also held to the HTTP layer's fixed 1 MiB request limit); "
                        + "a client's offline state arrives as one such update (SyncStep2). A WebSocket message "
                        + "over it plus 4 KiB closes the connection with 1009 (the API answers 413). The default "
                        + "is what `@y/websocket-server` and `@hocuspocus/server` accept (`ws`'s `maxPayload`).",
                integer(16, Integer.MAX_VALUE - 4096), c -> c.docs().limits().maxUpdateSize(),
                (d, v) -> d.docs = d.docs.withMaxUpdateSize(v)));
        l.add(new Option<>("docs.max_document_size", OptionType.BYTES,
                "Weft addition: largest document (bytes of its merged update); an update that would pass it is "
                        + "refused: the peer is closed with 4413 (Hocuspocus: the document gets a Close message).",
                bytes(16), c -> c.docs().limits().maxDocumentSize(), (d, v) -> d.docs = d.docs.withMaxDocumentSize(v)));
        l.add(new Option<>("docs.max_loaded_size", OptionType.BYTES,
                "Weft addition: bytes of documents (their merged updates) the node keeps in memory; loading another "
                        + "one past it first unloads idle documents (no peer), least recently used first, and when "
                        + "only documents in use are left refuses it as `node busy` (y-websocket: permission message "
                        + "and close 1013; Hocuspocus: PermissionDenied). 0 = no cap.",
                bytes(0), c -> c.docs().limits().maxLoadedSize(), (d, v) -> d.docs = d.docs.withMaxLoadedSize(v)));
        l.add(new Option<>("docs.max_namespace_size", OptionType.BYTES,
                "Weft addition: bytes the store may hold for the documents of one channel namespace (the sum of "
                        + "their stored updates, after compaction; with `docs.namespace` set every document is in "
                        + "that one namespace); an update that would pass it is refused: close 4413 (Hocuspocus: a "
                        + "Close message), `POST /api/docs` 507. 0 = no quota.",
                bytes(0), c -> c.docs().limits().maxNamespaceSize(),
                (d, v) -> d.docs = d.docs.withMaxNamespaceSize(v)));
        l.add(new Option<>("docs.unload_grace", OptionType.DURATION,
                "Weft addition: how long a document stays in memory after its last peer left (it is compacted, "
                        + "then unloaded).",
                duration(Duration.ZERO), c -> c.docs().limits().unloadGrace(),
                (d, v) -> d.docs = d.docs.withUnloadGrace(v)));
        l.add(new Option<>("docs.compact_after", OptionType.INTEGER,
                "Weft addition: stored updates of a document after which they are merged into one (in memory and "
                        + "in the store), in the background.",
                integer(1, Integer.MAX_VALUE), c -> c.docs().limits().compactAfter(),
                (d, v) -> d.docs = d.docs.withCompactAfter(v)));
        l.add(new Option<>("docs.store", OptionType.DOCUMENT_STORE,
                "Weft addition: where documents are kept: `sqlite` (one file, `documents.db`, under "
                        + "`data_dir`, this node's own), `postgres` (the database `docs.postgres.dsn` names, shared "
                        + "by every node: what documents edited on several nodes need) or `memory` (lost on "
                        + "restart). Opened and written once at start: a store that cannot be used stops the start "
                        + "with its path or address and cause.",
                oneOf(DocsConfig.STORES), c -> c.docs().store(), (d, v) -> d.docs = d.docs.withStore(v)));
        l.add(new Option<>("docs.postgres.dsn", OptionType.STRING,
                "Weft addition: the database of `docs.store` `postgres`: `postgresql://user:password@host:port/db` "
                        + "(libpq's URI form, parameters such as `?sslmode=require` passed on; `postgres://` too) or "
                        + "a `jdbc:postgresql://` URL. The password never appears in logs.",
                string(), c -> c.docs().postgres().dsn(), (d, v) -> d.docs = d.docs.withPostgresDsn(v)));
        l.add(new Option<>("docs.postgres.schema", OptionType.STRING,
                "Weft addition: schema holding the document tables (`document_updates`, `document_heads`), "
                        + "created when missing; every node sharing documents names the same.",
                nonEmptyString(), c -> c.docs().postgres().schema(),
                (d, v) -> d.docs = d.docs.withPostgresSchema(v)));
        l.add(new Option<>("docs.postgres.pool_size", OptionType.INTEGER,
                "Weft addition: database connections per node at most; a call waits up to 5 s for one, then "
                        + "fails as a store failure.",
                integer(1, 1000), c -> c.docs().postgres().poolSize(),
                (d, v) -> d.docs = d.docs.withPostgresPoolSize(v)));
        hookOptions(l);
    }

    /** {@code docs.hooks.*}: document webhooks (docs/protocol.md, "Document webhooks"). */
    private static void hookOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("docs.hooks.url", OptionType.STRING,
                "Weft addition: `http://` or `https://` URL every document webhook is POSTed to, as "
                        + "`@hocuspocus/extension-webhook` sends them (`{\"event\", \"payload\"}`); \"\" = no "
                        + "webhooks. See docs/protocol.md, Document webhooks.",
                httpUrl(), c -> c.docs().hooks().url(), (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withUrl(v))));
        l.add(new Option<>("docs.hooks.events", OptionType.STRING_LIST,
                "Weft addition: which document webhooks are sent: `connect` (the backend decides read-write, "
                        + "read-only or denied instead of tokens and namespace permissions), `create` (initial "
                        + "state of a document the store has nothing of), `change` (debounced, the whole state), "
                        + "`store` (after a compaction or unload), `disconnect`.",
                hookEvents(), c -> c.docs().hooks().events(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withEvents(v))));
        l.add(new Option<>("docs.hooks.timeout", OptionType.DURATION,
                "Weft addition: how long one webhook call may take; a `connect` without an answer in time "
                        + "refuses the client, a `create` refuses the document's peers until a later try.",
                duration(Duration.ofMillis(1)), c -> c.docs().hooks().timeout(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withTimeout(v))));
        l.add(new Option<>("docs.hooks.secret", OptionType.STRING,
                "Weft addition: key of the `X-Hocuspocus-Signature-256: sha256=<hex HMAC-SHA256 of the body>` "
                        + "header (Hocuspocus's `secret`); \"\" = requests are not signed.",
                string(), c -> c.docs().hooks().secret(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withSecret(v))));
        l.add(new Option<>("docs.hooks.http_headers", OptionType.STRING_LIST,
                "Weft addition: headers of the client's WebSocket upgrade request passed in the payload's "
                        + "`requestHeaders` (`connect`, `create`, `disconnect`); others are not passed.",
                stringList(), c -> c.docs().hooks().httpHeaders(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withHttpHeaders(v))));
        l.add(new Option<>("docs.hooks.static_headers", OptionType.STRING_LIST,
                "Weft addition: `Name: value` headers added to every webhook request (e.g. `Authorization: "
                        + "Bearer …`; from the environment, values are split on spaces and commas, so use a file).",
                staticHeaders(), c -> c.docs().hooks().staticHeaders(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withStaticHeaders(v))));
        l.add(new Option<>("docs.hooks.change_debounce", OptionType.DURATION,
                "Weft addition: a document's `change` webhook is sent once it has been quiet this long "
                        + "(Hocuspocus's `debounce`).",
                duration(Duration.ofMillis(1)), c -> c.docs().hooks().changeDebounce(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withChangeDebounce(v))));
        l.add(new Option<>("docs.hooks.change_max_wait", OptionType.DURATION,
                "Weft addition: the longest a document that keeps changing goes without a `change` webhook "
                        + "(Hocuspocus's `debounceMaxWait`); at least `change_debounce`.",
                duration(Duration.ofMillis(1)), c -> c.docs().hooks().changeMaxWait(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withChangeMaxWait(v))));
        l.add(new Option<>("docs.hooks.namespaces", OptionType.STRING_LIST,
                "Weft addition: the channel namespaces whose documents use the webhooks (a document is channel "
                        + "`<docs.namespace>:<room>`, or the room itself; `\"\"` names documents without namespace); "
                        + "the others go on with tokens, permissions and the store alone. Empty: every document.",
                stringList(), c -> c.docs().hooks().namespaces(),
                (d, v) -> d.docs = d.docs.withHooks(d.docs.hooks().withNamespaces(v))));
    }

    private static Values.Decoder<String> httpUrl() {
        Values.Decoder<String> text = string();
        return node -> {
            String v = text.decode(node).trim();
            if (!v.isEmpty() && !v.startsWith("http://") && !v.startsWith("https://")) {
                throw new Values.BadValue("expected an http:// or https:// URL, got \"" + v + "\"");
            }
            return v;
        };
    }

    private static Values.Decoder<List<String>> hookEvents() {
        Values.Decoder<List<String>> list = stringList();
        return node -> {
            List<String> v = list.decode(node);
            for (String event : v) {
                if (!DocsConfig.Hooks.EVENTS.contains(event)) {
                    throw new Values.BadValue("unknown event \"" + event + "\", expected some of "
                            + DocsConfig.Hooks.EVENTS);
                }
            }
            return v;
        };
    }

    private static Values.Decoder<List<String>> staticHeaders() {
        Values.Decoder<List<String>> list = stringList();
        return node -> {
            List<String> v = list.decode(node);
            for (String header : v) {
                int colon = header.indexOf(':');
                if (colon <= 0 || header.substring(0, colon).isBlank()) {
                    throw new Values.BadValue("expected \"Name: value\", got \"" + header + "\"");
                }
            }
            return v;
        };
    }


    /** {@code engine.*} as in Centrifugo v6, and its {@code broker.*} form of choosing NATS. */
    private static void engineOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("engine.type", OptionType.ENGINE_TYPE,
                "Where channels, history and presence live: `sqlite` (the default; this node only: channel "
                        + "history, offsets and epochs in one file, `history.db`, under `data_dir` — an acknowledged "
                        + "publication is on disk and survives a restart or a crash, so clients recover across "
                        + "restarts; presence starts empty), `memory` (this process; lost on restart: reconnecting "
                        + "clients get a new epoch and `recovered: false`), `nats` (every node on the same NATS "
                        + "with the same prefix shares channels, history — kept in JetStream, so recovery works — "
                        + "and presence) or `redis` (the same over Redis: history in Redis Streams, presence in "
                        + "Redis). Centrifugo's default is `memory`.",
                oneOf(EngineConfig.TYPES), c -> c.engine().type(), (d, v) -> d.engine = d.engine.withType(v)));
        l.add(new Option<>("data_dir", OptionType.STRING,
                "Weft addition: directory of the embedded store's files: `history.db` (`engine.type` `sqlite`) and "
                        + "`documents.db` (`docs.store` `sqlite`); created if missing. One node per "
                        + "directory: a second one started on it is refused.",
                nonEmptyString(), WeftConfig::dataDir, (d, v) -> d.dataDir = v));
        l.add(new Option<>("engine.nats.url", OptionType.STRING,
                "NATS server URL; several comma-separated for a cluster. JetStream must be enabled.",
                nonEmptyString(), c -> c.engine().nats().url(),
                (d, v) -> d.engine = d.engine.withNats(withUrl(d.engine.nats(), v))));
        l.add(new Option<>("engine.nats.prefix", OptionType.STRING,
                "First token of every subject, and start of the JetStream stream and KV bucket names "
                        + "(`<PREFIX>_HISTORY`, `<PREFIX>_PRESENCE`, `<PREFIX>_IDEMPOTENCY`): letters, digits, "
                        + "`-`, `_` and inner dots. Nodes that share channels use the same prefix.",
                natsPrefix(), c -> c.engine().nats().prefix(),
                (d, v) -> d.engine = d.engine.withNats(withPrefix(d.engine.nats(), v))));
        l.add(redis("engine.redis.address", OptionType.STRING_LIST,
                "Redis servers: `host:port`, `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS); a "
                        + "string or a list. With several, channels are spread over them by consistent hashing of "
                        + "the channel name (every node must list the same servers in the same order).",
                stringList(), RedisEngineConfig::addresses, RedisEngineConfig::withAddresses));
        l.add(redis("engine.redis.cluster_address", OptionType.STRING_LIST,
                "Redis Clusters instead of `engine.redis.address`: each entry is one cluster's seed nodes, "
                        + "comma-separated (`\"host:7000,host:7001\"`); with several, channels are spread over the "
                        + "clusters. Publications travel by sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`, Redis 7); "
                        + "the topology is refreshed every 30 s and on redirects. Over the environment: clusters "
                        + "separated by spaces.",
                clusterList(), RedisEngineConfig::clusterAddresses, RedisEngineConfig::withClusterAddresses));
        l.add(redis("engine.redis.prefix", OptionType.STRING,
                "Prefix of every Redis key and pub/sub channel, so several installations can share a Redis.",
                nonEmptyString(), RedisEngineConfig::prefix, RedisEngineConfig::withPrefix));
        l.add(redis("engine.redis.user", OptionType.STRING,
                "ACL user (with `engine.redis.password`), unless an address names one.",
                string(), RedisEngineConfig::user, RedisEngineConfig::withUser));
        l.add(redis("engine.redis.password", OptionType.STRING,
                "Password, unless an address names one.",
                string(), RedisEngineConfig::password, RedisEngineConfig::withPassword));
        l.add(redis("engine.redis.db", OptionType.INTEGER,
                "Database number, unless an address names one.",
                integer(0, Integer.MAX_VALUE), RedisEngineConfig::db, RedisEngineConfig::withDb));
        l.add(redis("engine.redis.connect_timeout", OptionType.DURATION,
                "How long connecting to Redis may take.",
                duration(Duration.ofMillis(1)), RedisEngineConfig::connectTimeout,
                RedisEngineConfig::withConnectTimeout));
        l.add(redis("engine.redis.io_timeout", OptionType.DURATION,
                "How long a Redis command may take: a publish, history or presence call slower than this fails "
                        + "with an error (a client gets a temporary error), it is never left waiting.",
                duration(Duration.ofMillis(1)), RedisEngineConfig::ioTimeout, RedisEngineConfig::withIoTimeout));
        l.add(redis("engine.redis.tls.enabled", OptionType.BOOLEAN,
                "Connect to Redis over TLS (as a `rediss://` address does), checking the server's certificate "
                        + "against the JVM's trusted authorities.",
                bool(), RedisEngineConfig::tls, RedisEngineConfig::withTls));
        l.add(redis("engine.redis.tls.insecure_skip_verify", OptionType.BOOLEAN,
                "Accept any Redis server certificate (for tests only).",
                bool(), RedisEngineConfig::tlsInsecureSkipVerify, RedisEngineConfig::withTlsInsecureSkipVerify));
        l.add(redis("engine.redis.sentinel_address", OptionType.STRING_LIST,
                "Redis Sentinels (`host:port`, a string or a list) to ask for the master named "
                        + "`engine.redis.sentinel_master_name`, instead of `engine.redis.address`. The master is "
                        + "looked up again on every reconnect, so after a failover the node continues on the "
                        + "promoted replica; publishes fail with an error meanwhile. `user`, `password`, `db` and "
                        + "`tls` apply to the master.",
                stringList(), c -> c.sentinel().addresses(), (c, v) -> c.withSentinel(c.sentinel().withAddresses(v))));
        l.add(redis("engine.redis.sentinel_master_name", OptionType.STRING,
                "Name the sentinels monitor the master under (needed with `engine.redis.sentinel_address`).",
                string(), c -> c.sentinel().masterName(), (c, v) -> c.withSentinel(c.sentinel().withMasterName(v))));
        l.add(redis("engine.redis.sentinel_user", OptionType.STRING,
                "ACL user on the sentinels (with `engine.redis.sentinel_password`).",
                string(), c -> c.sentinel().user(), (c, v) -> c.withSentinel(c.sentinel().withUser(v))));
        l.add(redis("engine.redis.sentinel_password", OptionType.STRING,
                "Password on the sentinels.",
                string(), c -> c.sentinel().password(), (c, v) -> c.withSentinel(c.sentinel().withPassword(v))));
        l.add(redis("engine.redis.sentinel_tls.enabled", OptionType.BOOLEAN,
                "Talk to the sentinels over TLS, checking their certificates against the JVM's trusted "
                        + "authorities.",
                bool(), c -> c.sentinel().tls(), (c, v) -> c.withSentinel(c.sentinel().withTls(v))));
        l.add(redis("engine.redis.sentinel_tls.insecure_skip_verify", OptionType.BOOLEAN,
                "Accept any sentinel certificate (for tests only).",
                bool(), c -> c.sentinel().tlsInsecureSkipVerify(),
                (c, v) -> c.withSentinel(c.sentinel().withTlsInsecureSkipVerify(v))));
        l.add(new Option<>("broker.enabled", OptionType.BOOLEAN,
                "Centrifugo's separate broker: with `broker.type: nats`, selects the NATS engine (configured "
                        + "by `broker.nats.*`) when `engine.type` is `memory`. Weft then keeps presence in NATS "
                        + "too.",
                bool(), c -> c.engine().brokerEnabled(),
                (d, v) -> d.engine = d.engine.withBrokerEnabled(v)));
        l.add(new Option<>("broker.type", OptionType.ENGINE_TYPE,
                "Which broker `broker.enabled` turns on: `nats` (Centrifugo's `redis` broker is not implemented).",
                oneOf(EngineConfig.BROKER_TYPES), c -> c.engine().brokerType(),
                (d, v) -> d.engine = d.engine.withBrokerType(v)));
        l.add(new Option<>("broker.nats.url", OptionType.STRING,
                "As `engine.nats.url`, for the `broker.*` form.",
                nonEmptyString(), c -> c.engine().brokerNats().url(),
                (d, v) -> d.engine = d.engine.withBrokerNats(withUrl(d.engine.brokerNats(), v))));
        l.add(new Option<>("broker.nats.prefix", OptionType.STRING,
                "As `engine.nats.prefix`, for the `broker.*` form.",
                natsPrefix(), c -> c.engine().brokerNats().prefix(),
                (d, v) -> d.engine = d.engine.withBrokerNats(withPrefix(d.engine.brokerNats(), v))));
    }

    /** A NATS prefix, checked as the engine will check it, so a bad one is reported with its key. */
    private static Values.Decoder<String> natsPrefix() {
        Values.Decoder<String> s = nonEmptyString();
        return node -> {
            String v = s.decode(node);
            try {
                return NatsEngineConfig.of(null, v).prefix();
            } catch (IllegalArgumentException e) {
                throw new Values.BadValue("letters, digits, '-', '_' and inner dots only, got \"" + v + "\"");
            }
        };
    }

    private static NatsEngineConfig withUrl(NatsEngineConfig c, String url) {
        return new NatsEngineConfig(url, c.prefix(), c.timeout());
    }

    private static NatsEngineConfig withPrefix(NatsEngineConfig c, String prefix) {
        return new NatsEngineConfig(c.url(), prefix, c.timeout());
    }

    /**
     * {@code engine.redis.cluster_address}: a list, or a string of clusters separated by spaces (the commas
     * inside one cluster's seed list stay), as Centrifugo reads it.
     */
    private static Values.Decoder<List<String>> clusterList() {
        Values.Decoder<List<String>> list = stringList();
        return node -> {
            if (node.isTextual()) {
                return java.util.Arrays.stream(node.textValue().trim().split("\\s+")).filter(p -> !p.isEmpty())
                        .toList();
            }
            return list.decode(node);
        };
    }

    /** An {@code engine.redis.*} option, read from and written to the {@link RedisEngineConfig}. */
    /** {@code admin.*} (Centrifugo's) and {@code demo.enabled} (Weft's). */
    private static void aiStreamOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("ai.streams.max_size", OptionType.BYTES,
                "Weft addition: most bytes of parts one AI token stream may hold; the append that would pass it "
                        + "ends the stream with an `error` part.",
                bytes(1), c -> c.aiStreams().maxSize(), (d, v) -> d.aiStreams = d.aiStreams.withMaxSize(v)));
        l.add(new Option<>("ai.streams.max_duration", OptionType.DURATION,
                "Weft addition: an AI token stream still open this long after its creation is ended with an "
                        + "`error` part (and its relay, if any, cancelled).",
                duration(Duration.ofMillis(1)), c -> c.aiStreams().maxDuration(),
                (d, v) -> d.aiStreams = d.aiStreams.withMaxDuration(v)));
        l.add(new Option<>("ai.streams.max_per_user", OptionType.INTEGER,
                "Weft addition: AI token streams one `user` (as given to `POST /api/streams`) may have open at "
                        + "once on one node; `0` = no limit.",
                integer(0, Integer.MAX_VALUE), c -> c.aiStreams().maxPerUser(),
                (d, v) -> d.aiStreams = d.aiStreams.withMaxPerUser(v)));
        l.add(new Option<>("ai.streams.chat_channel", OptionType.STRING,
                "Weft addition: the channel of a chat's responses, `{chat_id}` replaced by the chat id: where "
                        + "`POST /api/streams {\"chat_id\"}` writes and `GET /ai/chat/<id>/stream` reads. Its "
                        + "namespace must keep history.",
                nonEmptyString(), c -> c.aiStreams().chatChannel(), (d, v) -> d.aiStreams = d.aiStreams.withChatChannel(v)));
        l.add(new Option<>("ai.streams.coalesce_window", OptionType.DURATION,
                "Weft addition: how long text deltas for one `/ai/…` HTTP reader are gathered into one event "
                        + "(a reader whose socket is still busy after that gets them merged later); `0s` = "
                        + "write each at once.",
                duration(Duration.ZERO), c -> c.aiStreams().coalesceWindow(),
                (d, v) -> d.aiStreams = d.aiStreams.withCoalesceWindow(v)));
        l.add(new Option<>("ai.streams.coalesce_max_size", OptionType.BYTES,
                "Weft addition: gathered text of one HTTP reader past this many bytes is written at once.",
                bytes(1), c -> (long) c.aiStreams().coalesceMaxSize(),
                (d, v) -> d.aiStreams = d.aiStreams.withCoalesceMaxSize(Math.toIntExact(Math.min(v, Integer.MAX_VALUE)))));
    }

    private static void webOptions(List<Option<WeftConfig, ConfigDraft, ?>> l) {
        l.add(new Option<>("admin.enabled", OptionType.BOOLEAN,
                "Serve the admin UI at `/admin` (node stats, live throughput, channels, presence, a console for "
                        + "every server API method, connections, documents). Needs `admin.password` and "
                        + "`admin.secret`; on the internal port when `http_server.internal_port` is set.",
                bool(), c -> c.web().adminEnabled(), (d, v) -> d.web = d.web.withAdminEnabled(v)));
        l.add(new Option<>("admin.password", OptionType.STRING,
                "Password of the admin UI. Wrong passwords are throttled per address (5 at once, then one "
                        + "every 3 s).",
                string(), c -> c.web().adminPassword(), (d, v) -> d.web = d.web.withAdminPassword(v)));
        l.add(new Option<>("admin.secret", OptionType.STRING,
                "Key that signs admin sessions (an HttpOnly, SameSite=Strict cookie valid 12 h); at least 16 "
                        + "characters. Changing it ends every admin session.",
                string(), c -> c.web().adminSecret(), (d, v) -> d.web = d.web.withAdminSecret(v)));
        l.add(new Option<>("demo.enabled", OptionType.BOOLEAN,
                "Weft addition: serve the demos under `/demo/` (chat, collaborative table, AI chat) and what "
                        + "they need: a `demo` namespace open to anonymous clients (presence, join/leave, history, "
                        + "publish), a `demo_ai` namespace they may read, `POST /demo/ai/chat` (starts a relay to "
                        + "the `ai.upstreams` entry `demo`, else to Weft's own fake model under "
                        + "`/demo/ai/fake-llm/`) and anonymous connections "
                        + "(`client.allow_anonymous_connect_without_token`), which may use no other namespace "
                        + "unless it allows anonymous clients itself.",
                bool(), c -> c.web().demoEnabled(), (d, v) -> d.web = d.web.withDemoEnabled(v)));
        l.add(new Option<>("demo.postgres_dsn", OptionType.STRING,
                "Weft addition: with `demo.enabled`, the Postgres (`wal_level=logical`, a user with REPLICATION) "
                        + "of the live dashboard demo at `/demo/dashboard/`: Weft creates the tables "
                        + "`weft_demo_metrics` and `weft_demo_orders` there and streams their changes into "
                        + "`demo:metrics` and `demo:orders` (slot and publication `weft_demo`). Empty = no dashboard.",
                string(), c -> c.web().demoPostgresDsn(), (d, v) -> d.web = d.web.withDemoPostgresDsn(v)));
    }

    private static <T> Option<WeftConfig, ConfigDraft, T> redis(String key, OptionType type, String description,
            Values.Decoder<T> decoder, Function<RedisEngineConfig, T> getter,
            java.util.function.BiFunction<RedisEngineConfig, T, RedisEngineConfig> wither) {
        return new Option<>(key, type, description, decoder, c -> getter.apply(c.engine().redis()),
                (d, v) -> d.engine = d.engine.withRedis(wither.apply(d.engine.redis(), v)));
    }
}
