package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.channel.Namespace;
import dev.weft.core.proxy.ProxyConfig;
import dev.weft.core.proxy.ProxyOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.weft.server.config.OptionCatalog.NAMESPACES_KEY;
import static dev.weft.server.config.OptionCatalog.WITHOUT_NAMESPACE_KEY;

/**
 * Reads Centrifugo v6's event proxy configuration into a {@link ProxyConfig}: the named {@code proxies}, the
 * default {@code client.proxy.connect} / {@code refresh} (or {@code client.connect_proxy_name} /
 * {@code refresh_proxy_name}), {@code channel.proxy.subscribe} / {@code publish} / {@code sub_refresh} switched
 * on per channel namespace ({@code subscribe_proxy_enabled}, {@code subscribe_proxy_name}, …), and
 * {@code rpc.proxy} switched on per RPC namespace ({@code rpc.without_namespace.proxy_enabled},
 * {@code rpc.namespaces[].proxy_enabled} / {@code proxy_name}). Every problem is reported: an endpoint that is
 * not {@code http://} or {@code https://} ({@code grpc://} is refused with its own message), a name that is
 * not defined, a switch on without an endpoint. Stateless.
 */
final class ProxyConfigDecoder {
    /**
     * The keys read as a whole by this decoder (never option by option), with what they hold; over the
     * environment each is one JSON value ({@code WEFT_CLIENT_PROXY='{"connect":{…}}'}).
     */
    static final Map<String, String> SECTIONS = sections();
    /** The keys of {@link #SECTIONS} that hold text, not JSON. */
    static final Set<String> TEXT_KEYS = Set.of("client.connect_proxy_name", "client.refresh_proxy_name",
            "rpc.namespace_boundary");
    /** The per-namespace switches, valid in {@code channel.without_namespace} and in each namespace. */
    static final Set<String> CHANNEL_SWITCHES = Set.of("subscribe_proxy_enabled", "subscribe_proxy_name",
            "publish_proxy_enabled", "publish_proxy_name", "sub_refresh_proxy_enabled", "sub_refresh_proxy_name");
    /** The channel-wide proxy kinds, by their Centrifugo key under {@code channel.proxy}. */
    static final List<String> CHANNEL_KINDS = List.of("subscribe", "publish", "sub_refresh");
    /** Keys of a proxy object this decoder reads. */
    private static final Set<String> PROXY_KEYS = Set.of("name", "enabled", "endpoint", "timeout", "http_headers",
            "emulated_headers", "include_connection_meta", "binary_encoding", "http");
    /** Keys of a proxy object accepted and reported as having no effect (gRPC has no client here). */
    private static final Set<String> GRPC_KEYS = Set.of("grpc_metadata", "grpc");

    private ProxyConfigDecoder() {
    }

    private static Map<String, String> sections() {
        String object = " A proxy object: `endpoint` (http:// or https://; grpc:// is refused), `timeout` (default "
                + "`\"1s\"`), `http_headers`, `emulated_headers`, `http.static_headers`, `include_connection_meta`, "
                + "`binary_encoding`.";
        Map<String, String> s = new LinkedHashMap<>();
        s.put("client.proxy", "`connect` and `refresh` event proxies, each a proxy object with `enabled`." + object
                + " See docs/protocol.md#event-proxies.");
        s.put("client.connect_proxy_name", "Name of the `proxies` entry that authenticates connections without a "
                + "token (instead of `client.proxy.connect`).");
        s.put("client.refresh_proxy_name", "Name of the `proxies` entry that refreshes expiring connections "
                + "(instead of `client.proxy.refresh`).");
        s.put("channel.proxy", "Default `subscribe`, `publish` and `sub_refresh` proxies, each a proxy object, used "
                + "by namespaces with `subscribe_proxy_enabled`, `publish_proxy_enabled`, `sub_refresh_proxy_enabled` "
                + "(or the proxy named by `subscribe_proxy_name`, …)." + object);
        s.put("proxies", "Named proxies: a list of proxy objects each with a unique `name`, referenced by "
                + "`*_proxy_name` options.");
        s.put("rpc.proxy", "Default RPC proxy (a proxy object), used by RPC namespaces with `proxy_enabled`.");
        s.put("rpc.without_namespace", "`proxy_enabled` / `proxy_name` for RPC methods without namespace.");
        s.put("rpc.namespaces", "RPC namespaces: objects with a unique `name`, `proxy_enabled`, `proxy_name`; "
                + "method `name:rest` uses namespace `name`.");
        s.put("rpc.namespace_boundary", "Separates an RPC method's namespace from the rest (default `\":\"`).");
        return java.util.Collections.unmodifiableMap(s);
    }

    static ProxyConfig decode(JsonNode tree, ConfigReport report) {
        Map<String, ProxyOptions> named = named(Trees.at(tree, "proxies"), report);

        ProxyOptions connect = connectionProxy(tree, "connect", named, report);
        ProxyOptions refresh = connectionProxy(tree, "refresh", named, report);

        Map<String, Map<String, ProxyOptions>> channel = new HashMap<>();
        for (String kind : CHANNEL_KINDS) {
            String key = "channel.proxy." + kind;
            JsonNode node = Trees.at(tree, key);
            ProxyOptions fallback = node == null || node.isNull() ? null : proxy(node, key, key, false, report);
            Map<String, ProxyOptions> byNamespace = new LinkedHashMap<>();
            route(Trees.at(tree, WITHOUT_NAMESPACE_KEY), "", WITHOUT_NAMESPACE_KEY, kind + "_proxy_enabled",
                    kind + "_proxy_name", key, fallback, named, byNamespace, report);
            JsonNode namespaces = Trees.at(tree, NAMESPACES_KEY);
            if (namespaces != null && namespaces.isArray()) {
                for (int i = 0; i < namespaces.size(); i++) {
                    JsonNode ns = namespaces.get(i);
                    JsonNode name = ns.get("name");
                    if (name != null && name.isTextual()) {
                        route(ns, name.textValue(), NAMESPACES_KEY + "[" + i + "]", kind + "_proxy_enabled",
                                kind + "_proxy_name", key, fallback, named, byNamespace, report);
                    }
                }
            }
            channel.put(kind, byNamespace);
        }

        Map<String, ProxyOptions> rpc = new LinkedHashMap<>();
        JsonNode rpcDefault = Trees.at(tree, "rpc.proxy");
        ProxyOptions rpcFallback = rpcDefault == null || rpcDefault.isNull() ? null
                : proxy(rpcDefault, "rpc.proxy", "rpc.proxy", false, report);
        route(Trees.at(tree, "rpc.without_namespace"), "", "rpc.without_namespace", "proxy_enabled", "proxy_name",
                "rpc.proxy", rpcFallback, named, rpc, report);
        JsonNode rpcNamespaces = Trees.at(tree, "rpc.namespaces");
        if (rpcNamespaces != null && !rpcNamespaces.isNull()) {
            if (!rpcNamespaces.isArray()) {
                report.error("rpc.namespaces", "expected a list of RPC namespace objects, got "
                        + Values.show(rpcNamespaces));
            } else {
                Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < rpcNamespaces.size(); i++) {
                    String path = "rpc.namespaces[" + i + "]";
                    JsonNode ns = rpcNamespaces.get(i);
                    JsonNode name = ns.get("name");
                    if (name == null || !name.isTextual() || !Namespace.VALID_NAME.matcher(name.textValue()).matches()) {
                        report.error(path + ".name", "required: at least 2 characters of letters, digits, '-', '_' "
                                + "or '.'");
                        continue;
                    }
                    if (!seen.add(name.textValue())) {
                        report.error(path + ".name", "duplicate RPC namespace name \"" + name.textValue() + "\"");
                        continue;
                    }
                    route(ns, name.textValue(), path, "proxy_enabled", "proxy_name", "rpc.proxy", rpcFallback,
                            named, rpc, report);
                }
            }
        }
        String boundary = ":";
        JsonNode b = Trees.at(tree, "rpc.namespace_boundary");
        if (b != null && b.isTextual() && !b.textValue().isEmpty()) {
            boundary = b.textValue();
        }
        return new ProxyConfig(connect, refresh, channel.get("subscribe"), channel.get("publish"),
                channel.get("sub_refresh"), rpc, boundary);
    }

    /** {@code client.proxy.<kind>} when enabled, or the proxy {@code client.<kind>_proxy_name} names. */
    private static ProxyOptions connectionProxy(JsonNode tree, String kind, Map<String, ProxyOptions> named,
                                                ConfigReport report) {
        String nameKey = "client." + kind + "_proxy_name";
        JsonNode name = Trees.at(tree, nameKey);
        if (name != null && name.isTextual() && !name.textValue().isEmpty()) {
            ProxyOptions p = named.get(name.textValue());
            if (p == null) {
                report.error(nameKey, "no proxy named \"" + name.textValue() + "\" in proxies");
            }
            return p;
        }
        String key = "client.proxy." + kind;
        JsonNode node = Trees.at(tree, key);
        if (node == null || node.isNull() || !Values.flag(node.get("enabled"), key, report)) {
            return null;
        }
        return proxy(node, key, key, true, report);
    }

    /** Puts the namespace's proxy into {@code into} when its switch is on. */
    private static void route(JsonNode options, String namespace, String path, String enabledKey, String nameKey,
                              String defaultKey, ProxyOptions fallback, Map<String, ProxyOptions> named,
                              Map<String, ProxyOptions> into, ConfigReport report) {
        if (options == null || !options.isObject() || !Values.flag(options.get(enabledKey), path + "." + enabledKey,
                report)) {
            return;
        }
        JsonNode name = options.get(nameKey);
        if (name != null && name.isTextual() && !name.textValue().isEmpty() && !name.textValue().equals("default")) {
            ProxyOptions p = named.get(name.textValue());
            if (p == null) {
                report.error(path + "." + nameKey, "no proxy named \"" + name.textValue() + "\" in proxies");
            } else {
                into.put(namespace, p);
            }
            return;
        }
        if (fallback == null) {
            report.error(path + "." + enabledKey, "is on, but " + defaultKey + ".endpoint is not set (or name a "
                    + "proxy with " + nameKey + ")");
            return;
        }
        into.put(namespace, fallback);
    }

    private static Map<String, ProxyOptions> named(JsonNode list, ConfigReport report) {
        Map<String, ProxyOptions> out = new LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            report.error("proxies", "expected a list of proxy objects, got " + Values.show(list));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "proxies[" + i + "]";
            JsonNode entry = list.get(i);
            JsonNode name = entry.get("name");
            if (name == null || !name.isTextual() || !Namespace.VALID_NAME.matcher(name.textValue()).matches()) {
                report.error(path + ".name", "required: at least 2 characters of letters, digits, '-', '_' or '.'");
                continue;
            }
            if (out.containsKey(name.textValue())) {
                report.error(path + ".name", "duplicate proxy name \"" + name.textValue() + "\"");
                continue;
            }
            ProxyOptions p = proxy(entry, path, name.textValue(), false, report);
            if (p != null) {
                out.put(name.textValue(), p);
            }
        }
        return out;
    }

    /** One proxy configuration object; null (reported) when it cannot be used. */
    private static ProxyOptions proxy(JsonNode node, String path, String name, boolean hasEnabled,
                                      ConfigReport report) {
        if (!node.isObject()) {
            report.error(path, "expected a proxy object, got " + Values.show(node));
            return null;
        }
        int before = report.errorCount();
        for (var field : node.properties()) {
            String key = field.getKey();
            if (GRPC_KEYS.contains(key)) {
                if (!Values.isEmptyish(field.getValue())) {
                    report.warn(path + "." + key + " has no effect: Weft calls proxies over HTTP only.");
                }
            } else if (!PROXY_KEYS.contains(key) || (key.equals("enabled") && !hasEnabled)) {
                report.unknown("unknown option " + path + "." + key);
            }
        }
        URI endpoint = endpoint(node.get("endpoint"), path + ".endpoint", report);
        Duration timeout = Values.fieldOr(node, "timeout", path, Values.duration(Duration.ofMillis(1)),
                ProxyOptions.DEFAULT_TIMEOUT, report);
        List<String> httpHeaders = lowerCase(Values.fieldOr(node, "http_headers", path, Values.stringList(), List.of(),
                report));
        List<String> emulated = lowerCase(Values.fieldOr(node, "emulated_headers", path, Values.stringList(),
                List.of(), report));
        boolean meta = Values.fieldOr(node, "include_connection_meta", path, Values.bool(), false, report);
        boolean binary = Values.fieldOr(node, "binary_encoding", path, Values.bool(), false, report);
        Map<String, String> staticHeaders = new LinkedHashMap<>();
        JsonNode http = node.get("http");
        if (http != null && http.isObject()) {
            for (var field : http.properties()) {
                if (field.getKey().equals("static_headers") && field.getValue().isObject()) {
                    field.getValue().properties().forEach(h -> staticHeaders.put(h.getKey(), h.getValue().asText()));
                } else if (field.getKey().equals("status_to_code_transforms")) {
                    if (!Values.isEmptyish(field.getValue())) {
                        report.warn(path + ".http.status_to_code_transforms is not supported; a non-200 status is "
                                + "a temporary error (100).");
                    }
                } else {
                    report.unknown("unknown option " + path + ".http." + field.getKey());
                }
            }
        }
        if (report.errorCount() > before || endpoint == null) {
            return null;
        }
        return new ProxyOptions(name, endpoint, timeout, httpHeaders, emulated, staticHeaders, meta, binary);
    }

    private static URI endpoint(JsonNode node, String key, ConfigReport report) {
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
            report.error(key, "required: the http:// or https:// URL of the backend");
            return null;
        }
        String text = node.asText().trim();
        String scheme = text.contains("://") ? text.substring(0, text.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (scheme.equals("grpc")) {
            report.error(key, "gRPC proxies are not supported: give an http:// or https:// endpoint speaking "
                    + "Centrifugo's HTTP proxy protocol");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                report.error(key, "must be an http:// or https:// URL, got " + Values.show(node));
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            report.error(key, "not a URL: " + e.getReason());
            return null;
        }
    }

    private static List<String> lowerCase(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
