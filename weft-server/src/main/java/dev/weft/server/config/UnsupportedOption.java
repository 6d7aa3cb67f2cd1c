package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Centrifugo v6 key Weft recognises but does not implement (yet). Loading accepts it and warns, so a
 * Centrifugo config file works unchanged; a key set to its Centrifugo default, or a section whose feature is
 * switched off, is not worth a warning and gets none. The key is a leaf or a whole section (everything
 * below it).
 *
 * @param key               dotted Centrifugo key
 * @param activation        when a value under the key is worth a warning
 * @param centrifugoDefault for {@link Activation#SET}: the Centrifugo default, which is harmless (may be null)
 * @param note              what Weft does instead, for the warning and the documentation
 */
public record UnsupportedOption(String key, Activation activation, String centrifugoDefault, String note) {

    /** When a configured value is reported. */
    public enum Activation {
        /** Set to anything but empty/false/0 or the Centrifugo default. */
        SET,
        /** A section whose {@code enabled} is true. */
        ENABLED,
        /** A section whose {@code type} is set and is not {@code memory}. */
        NOT_MEMORY,
        /** Never: Weft's behaviour already matches every useful value. */
        NEVER
    }

    /** Channel options Weft does not support, relative to {@code without_namespace} or a namespace entry. */
    static final List<UnsupportedOption> CHANNEL = List.of(
            set("allow_positioning", null, "Weft lets clients ask for positioning anyway."),
            never("allow_recovery", "Weft lets clients ask for recovery on channels with history anyway."),
            set("force_recovery_mode", "stream", "Only stream recovery (the default `stream` mode) is implemented."),
            set("auto_cache_recovery", null, "Cache recovery mode is not implemented."),
            set("publication_data_format", null, "Publication data is not validated."),
            set("map_clients_presence_channel_prefix", null, "Map subscriptions are not implemented."),
            set("map_users_presence_channel_prefix", null, "Map subscriptions are not implemented."),
            set("subscription_type", "stream", "Only `stream` subscriptions are implemented."),
            set("map", null, "Map subscriptions are not implemented."),
            set("shared_poll", null, "Shared poll subscriptions are not implemented."),
            set("subscribe_stream_proxy_enabled", null, "Proxy subscription streams are not implemented."),
            set("subscribe_stream_proxy_name", "default", "Proxy subscription streams are not implemented."),
            set("subscribe_stream_proxy_bidirectional", null, "Proxy subscription streams are not implemented."),
            set("subscribe_stream_bidirectional", null, "Proxy subscription streams are not implemented."));

    /** Every unsupported key, absolute; channel options appear under {@code channel.without_namespace}. */
    static final List<UnsupportedOption> ALL = all();

    /** For the documentation: when a value under this key produces a warning. */
    public String whenWarned() {
        return switch (activation) {
            case SET -> centrifugoDefault == null ? "set to a non-empty value"
                    : "set to anything but `" + centrifugoDefault + "` or an empty value";
            case ENABLED -> "`" + key + ".enabled` is true";
            case NOT_MEMORY -> "`" + key + ".type` is set and is not `memory`";
            case NEVER -> "never (accepted, no effect)";
        };
    }

    /**
     * Whether the configured values are worth a warning.
     *
     * @param node    the value in the merged file/override tree under {@link #key}, or null
     * @param fromEnv environment values for this key, by the rest of the variable name after the key's
     *                own name ({@code ""} for the key itself, {@code "ENABLED"} for {@code <KEY>_ENABLED}, …)
     */
    boolean active(JsonNode node, Map<String, String> fromEnv) {
        return switch (activation) {
            case NEVER -> false;
            case SET -> (node != null && !harmless(node))
                    || fromEnv.values().stream().anyMatch(v -> !harmless(Values.textNode(v)));
            case ENABLED -> {
                JsonNode flag = fromEnv.containsKey("ENABLED") ? Values.textNode(fromEnv.get("ENABLED"))
                        : node == null ? null : node.isObject() ? node.get("enabled") : node;
                yield Values.isTrue(flag);
            }
            case NOT_MEMORY -> {
                JsonNode type = fromEnv.containsKey("TYPE") ? Values.textNode(fromEnv.get("TYPE"))
                        : node != null && node.isObject() ? node.get("type") : null;
                yield type != null && type.isValueNode() && !type.asText().isBlank()
                        && !type.asText().trim().toLowerCase(Locale.ROOT).equals("memory");
            }
        };
    }

    private boolean harmless(JsonNode node) {
        if (Values.isEmptyish(node)) {
            return true;
        }
        if (centrifugoDefault == null || !node.isValueNode()) {
            return false;
        }
        String text = node.asText().trim();
        if (text.equalsIgnoreCase(centrifugoDefault)) {
            return true;
        }
        try {
            return GoDuration.parseNanos(text) == GoDuration.parseNanos(centrifugoDefault);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static UnsupportedOption set(String key, String centrifugoDefault, String note) {
        return new UnsupportedOption(key, Activation.SET, centrifugoDefault, note);
    }

    private static UnsupportedOption enabled(String key, String note) {
        return new UnsupportedOption(key, Activation.ENABLED, null, note);
    }

    private static UnsupportedOption notMemory(String key, String note) {
        return new UnsupportedOption(key, Activation.NOT_MEMORY, null, note);
    }

    private static UnsupportedOption never(String key, String note) {
        return new UnsupportedOption(key, Activation.NEVER, null, note);
    }

    private static List<UnsupportedOption> all() {
        List<UnsupportedOption> l = new ArrayList<>();
        // Engines and brokers.
        for (String tls : List.of("tls", "sentinel_tls")) {
            for (String pem : List.of("cert_pem", "key_pem", "server_ca_pem", "client_ca_pem", "server_name")) {
                l.add(set("engine.redis." + tls + "." + pem, null, "Redis TLS checks the server against the JVM's "
                        + "trusted authorities, with no client certificate; only `enabled` and "
                        + "`insecure_skip_verify` apply."));
            }
        }
        l.add(set("engine.redis.client_name", null, "Connections do not set a client name."));
        l.add(set("engine.redis.sentinel_client_name", null, "Connections do not set a client name."));
        l.add(set("engine.redis.force_resp2", null, "Lettuce negotiates the protocol (RESP3 where Redis has it)."));
        l.add(set("engine.redis.use_lists", null, "History is always kept in Redis Streams."));
        l.add(set("engine.redis.presence_ttl", "60s", "Presence entries expire 60 s after their last refresh "
                + "(the engine's fixed presence TTL, the same with every engine)."));
        l.add(set("engine.redis.presence_hash_field_ttl", null, "Presence expiry is kept in a sorted set "
                + "(Redis 7.0 has no hash field TTL)."));
        l.add(set("engine.redis.presence_user_mapping", null, "Presence stats read the whole presence hash."));
        l.add(set("broker.redis", null, "Centrifugo's separate Redis broker is not implemented: use "
                + "`engine.type: redis` (broker and presence) or `broker.type: nats`."));
        l.add(set("broker.nats.allow_wildcards", null, "Wildcard subscriptions are not implemented."));
        l.add(set("broker.nats.raw_mode", null, "Raw mode is not implemented: Weft frames what it sends on NATS."));
        l.add(enabled("presence_manager", "Weft runs its in-memory presence manager."));
        l.add(notMemory("map_broker", "Map subscriptions are not implemented."));
        // HTTP server.
        l.add(set("http_server.tls.client_ca_pem", null, "Client certificates are not requested (no mutual TLS)."));
        l.add(never("http_server.tls.server_ca_pem", "A client-side option; the server does not use it."));
        l.add(never("http_server.tls.insecure_skip_verify", "A client-side option; the server does not use it."));
        l.add(never("http_server.tls.server_name", "A client-side option; the server does not use it."));
        l.add(enabled("http_server.tls_autocert", "ACME is not implemented: give `http_server.tls` the "
                + "certificate your ACME client renews, or terminate TLS in a reverse proxy."));
        l.add(set("http_server.tls_external", null, "`http_server.tls` covers every endpoint, on the internal "
                + "listener too."));
        l.add(enabled("http_server.internal_tls", "`http_server.tls` covers every endpoint, on the internal "
                + "listener too."));
        l.add(enabled("http_server.http3", "HTTP/3 is not implemented."));
        // Server API.
        l.add(set("http_api.disabled", null, "The server API is served whenever `http_api.key` is set or "
                + "`http_api.insecure` is on; leave both unset to turn it off."));
        l.add(set("http_api.handler_prefix", "/api", "The server API is served at `/api`."));
        l.add(set("http_api.external", null, "There is no separate internal port."));
        l.add(enabled("grpc_api", "Use the HTTP server API."));
        // Client connections.
        l.add(set("client.token.hmac_previous_secret_key", null, "Only `client.token.hmac_secret_key` is checked."));
        l.add(set("client.token.hmac_previous_secret_key_valid_until", null,
                "Only `client.token.hmac_secret_key` is checked."));
        l.add(set("client.token.insecure_skip_jwks_endpoint_safety_check", null,
                "The JWKS endpoint is a fixed URL (no templating from `iss`/`aud`), so there is nothing to skip."));
        l.add(set("client.subscription_token.hmac_previous_secret_key", null,
                "Only `client.subscription_token.hmac_secret_key` is checked."));
        l.add(set("client.subscription_token.hmac_previous_secret_key_valid_until", null,
                "Only `client.subscription_token.hmac_secret_key` is checked."));
        l.add(set("client.subscription_token.insecure_skip_jwks_endpoint_safety_check", null,
                "The JWKS endpoint is a fixed URL (no templating from `iss`/`aud`), so there is nothing to skip."));
        l.add(set("client.allowed_delta_types", null,
                "Delta negotiation at connect is not implemented; namespaces' `allowed_delta_types` is."));
        l.add(set("client.channel_position_check_delay", "40s", "Not configurable yet."));
        l.add(set("client.channel_position_max_time_lag", null, "Time lag is not checked."));
        l.add(set("client.rate_limit", null, "Centrifugo PRO's per-command buckets are not read; Weft limits "
                + "every command of a connection with `client.command_rate_limit` and `client.command_rate_burst`."));
        l.add(set("client.connect_include_server_time", null, "Connect replies carry no server time."));
        l.add(set("client.insecure_skip_token_signature_verify", null, "Not implemented."));
        l.add(set("client.user_id_http_header", null, "Not implemented yet."));
        l.add(set("client.subscribe_to_user_personal_channel.single_connection", null, "Other connections of the "
                + "user are not closed; use `client.user_connection_limit` (per node)."));
        l.add(enabled("client.connect_code_to_unidirectional_disconnect", "Unidirectional code mapping is not "
                + "implemented."));
        // Channels.
        l.add(set("channel.publication_data_format", null, "Publication data is not validated."));
        for (UnsupportedOption o : CHANNEL) {
            l.add(new UnsupportedOption(OptionCatalog.WITHOUT_NAMESPACE_KEY + "." + o.key(), o.activation(),
                    o.centrifugoDefault(), o.note()));
        }
        l.add(set("rpc.ping", null, "The built-in RPC ping method is not implemented; RPC goes to proxies."));
        l.add(set("rpc.ping_method", "ping", "The built-in RPC ping method is not implemented."));
        // Transports.
        l.add(set("websocket.disabled", null, "The WebSocket endpoint is always served."));
        l.add(set("websocket.handler_prefix", "/connection/websocket", "The WebSocket endpoint is "
                + "`/connection/websocket`."));
        l.add(set("websocket.compression", null, "permessage-deflate is not negotiated."));
        l.add(set("websocket.compression_min_size", null, "permessage-deflate is not negotiated."));
        l.add(set("websocket.compression_level", "1", "permessage-deflate is not negotiated."));
        l.add(set("websocket.decompressed_message_size_limit", null, "permessage-deflate is not negotiated."));
        l.add(set("websocket.read_buffer_size", null, "Not configurable."));
        l.add(set("websocket.write_buffer_size", null, "Not configurable."));
        l.add(set("websocket.use_write_buffer_pool", null, "Not configurable."));
        l.add(set("websocket.write_timeout", "1s", "Not configurable yet."));
        l.add(set("sse.handler_prefix", "/connection/sse", "The SSE emulation endpoint is `/connection/sse`."));
        l.add(set("http_stream.handler_prefix", "/connection/http_stream", "The HTTP-streaming emulation "
                + "endpoint is `/connection/http_stream`."));
        l.add(set("emulation.handler_prefix", "/emulation", "The emulation endpoint is `/emulation`."));
        l.add(enabled("webtransport", "WebTransport is not implemented yet."));
        for (String uni : List.of("uni_sse", "uni_http_stream")) {
            l.add(enabled(uni + ".connect_code_to_http_response", "A refused connect is always answered with an "
                    + "HTTP status and the disconnect as JSON (see docs/protocol.md); custom transforms are not "
                    + "supported."));
        }
        l.add(set("uni_websocket.compression", null, "permessage-deflate is not negotiated."));
        l.add(set("uni_websocket.compression_min_size", null, "permessage-deflate is not negotiated."));
        l.add(set("uni_websocket.compression_level", "1", "permessage-deflate is not negotiated."));
        l.add(set("uni_websocket.read_buffer_size", null, "Not configurable."));
        l.add(set("uni_websocket.write_buffer_size", null, "Not configurable."));
        l.add(set("uni_websocket.use_write_buffer_pool", null, "Not configurable."));
        l.add(set("uni_websocket.write_timeout", "1s", "Not configurable yet."));
        l.add(set("uni_websocket.join_push_messages", null, "Each push is its own WebSocket message."));
        l.add(never("uni_websocket.disable_closing_handshake", "Weft always completes the closing handshake."));
        l.add(enabled("uni_grpc", "The unidirectional gRPC transport is not implemented."));
        // Operations.
        l.add(set("admin.handler_prefix", null, "The admin UI is served at `/admin`."));
        l.add(set("admin.insecure", "false", "The admin UI always asks for `admin.password`."));
        l.add(set("admin.external", "false", "The admin UI is served with the internal endpoints."));
        l.add(never("prometheus.enabled", "Weft always serves `/metrics` (on the internal port when "
                + "`http_server.internal_port` is set); nothing to enable."));
        l.add(never("health.enabled", "Weft always serves `/health` and `/ready` (on the internal port when "
                + "`http_server.internal_port` is set); nothing to enable."));
        l.add(enabled("swagger", "Swagger UI is not provided."));
        l.add(enabled("debug", "Go pprof endpoints do not exist on the JVM."));
        l.add(enabled("dev", "The dev endpoint is not provided."));
        l.add(enabled("init", "The connection init endpoint is not implemented."));
        l.add(enabled("opentelemetry", "OpenTelemetry tracing is not implemented."));
        l.add(enabled("graphite", "Graphite export is not implemented."));
        l.add(never("usage_stats", "Weft sends no usage statistics."));
        l.add(set("node.info_metrics_aggregate_interval", "60s", "Node info metrics are not aggregated."));
        l.add(set("shutdown.timeout", "30s", "Not configurable yet."));
        l.add(set("pid_file", null, "No PID file is written."));
        l.add(set("enable_unreleased_features", null, "No unreleased Centrifugo features exist in Weft."));
        return List.copyOf(l);
    }
}
