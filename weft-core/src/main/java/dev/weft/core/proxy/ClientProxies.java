package dev.weft.core.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.auth.SubscriptionOverride;
import dev.weft.core.auth.TokenSubscription;
import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.ProtocolError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the backend decides about client events, in Centrifugo v6's proxy protocol: builds each request
 * (client, transport, protocol, encoding, user, the event's fields, {@code meta} when
 * {@code include_connection_meta}), sends it through the {@link ProxyEndpoint} of the configured proxy and
 * reads the answer: a {@code result}, a custom {@code error} (400–1999) or a custom {@code disconnect}
 * (4000–4999), thrown as {@link ProxyRefusal}. No answer, an answer that is not the protocol's JSON, or a
 * code outside those ranges → {@link ProxyUnavailableException} (the client gets a temporary error).
 *
 * <p>Client payloads go to the backend as they came: raw JSON in {@code data}, or base64 in {@code b64data}
 * with {@code binary_encoding} (and for Protobuf clients whose bytes are not JSON). Payloads in answers come
 * back byte for byte ({@code data}, {@code info}, or decoded {@code b64data}/{@code b64info}).
 *
 * <p>Immutable after construction; thread-safe. Calls block up to the proxy's timeout: use from the
 * sessions' virtual threads only.
 */
public final class ClientProxies {
    public static final ClientProxies NONE = new ClientProxies(ProxyConfig.NONE, options -> {
        throw new IllegalStateException("no proxies configured");
    });

    private static final JsonFactory JSON = new JsonFactory();

    private final ProxyConfig config;
    private final Map<ProxyOptions, ProxyEndpoint> endpoints = new IdentityHashMap<>();

    /** @param connector makes the endpoint of each distinct proxy, once, here */
    public ClientProxies(ProxyConfig config, Function<ProxyOptions, ProxyEndpoint> connector) {
        this.config = config;
        for (ProxyOptions options : all(config)) {
            endpoints.computeIfAbsent(options, connector);
        }
    }

    public ProxyConfig config() {
        return config;
    }

    /** What the backend's connect proxy says: who connects, and the connect result's {@code data}. */
    public record ConnectAnswer(ConnectToken token, byte[] data) {
    }

    /** {@code expired}: disconnect now; else the new expiry (0 = never) and connection info / meta (null = keep). */
    public record RefreshAnswer(boolean expired, long expireAt, byte[] info, byte[] meta) {
    }

    /** The subscription's info, data and option overrides, and its expiry (0 = never). */
    public record SubscribeAnswer(TokenSubscription grant, long expireAt) {
    }

    /** The data to publish (the client's, or the backend's instead) and whether to keep it out of history. */
    public record PublishAnswer(byte[] data, boolean skipHistory) {
    }

    /** {@code expired}: end the subscription; else its new expiry and channel info (null = keep). */
    public record SubRefreshAnswer(boolean expired, long expireAt, byte[] info) {
    }

    /** Whether connections without a token are authenticated by the backend. */
    public boolean proxiesConnect() {
        return config.connect() != null;
    }

    /** Whether the backend, not the client, refreshes expiring connections. */
    public boolean proxiesRefresh() {
        return config.refresh() != null;
    }

    /** The subscribe proxy of a channel namespace ("" = none), or null. */
    public ProxyOptions subscribeProxy(String namespace) {
        return config.subscribe().get(namespace);
    }

    public ProxyOptions publishProxy(String namespace) {
        return config.publish().get(namespace);
    }

    public ProxyOptions subRefreshProxy(String namespace) {
        return config.subRefresh().get(namespace);
    }

    /** The RPC proxy of {@code method}'s namespace, or null. */
    public ProxyOptions rpcProxy(String method) {
        return config.rpc().get(config.rpcNamespace(method));
    }

    public ConnectAnswer connect(ProxyCaller who, byte[] data, String name, String version, List<String> channels)
            throws ProxyUnavailableException {
        ProxyOptions via = config.connect();
        byte[] body = request(via, who, false, g -> {
            if (!name.isEmpty()) {
                g.writeStringField("name", name);
            }
            if (!version.isEmpty()) {
                g.writeStringField("version", version);
            }
            writePayload(g, via, who, "data", data);
            if (!channels.isEmpty()) {
                g.writeArrayFieldStart("channels");
                for (String c : channels) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
        });
        Map<String, byte[]> r = result(call(via, "connect", body, who));
        try {
            Map<String, TokenSubscription> subs = new LinkedHashMap<>();
            byte[] subsRaw = r.get("subs");
            if (subsRaw != null) {
                for (var e : JsonFields.of(subsRaw).entrySet()) {
                    subs.put(e.getKey(), subscription(JsonFields.isObject(e.getValue())
                            ? JsonFields.of(e.getValue()) : Map.of()));
                }
            }
            for (String channel : JsonFields.strings(r, "channels")) {
                subs.putIfAbsent(channel, TokenSubscription.NONE);
            }
            ConnectToken token = new ConnectToken(JsonFields.text(r, "user"), JsonFields.number(r, "expire_at"), 0,
                    "", JsonFields.payload(r, "info"), subs, r.get("meta"));
            return new ConnectAnswer(token, JsonFields.payload(r, "data"));
        } catch (IOException e) {
            throw garbage(via, "connect", e);
        }
    }

    public RefreshAnswer refresh(ProxyCaller who) throws ProxyUnavailableException {
        ProxyOptions via = config.refresh();
        Map<String, byte[]> r = result(call(via, "refresh", request(via, who, true, g -> { }), who));
        try {
            return new RefreshAnswer(JsonFields.flag(r, "expired"), JsonFields.number(r, "expire_at"),
                    JsonFields.payload(r, "info"), r.get("meta"));
        } catch (IOException e) {
            throw garbage(via, "refresh", e);
        }
    }

    public SubscribeAnswer subscribe(ProxyOptions via, ProxyCaller who, String channel, String token, byte[] data)
            throws ProxyUnavailableException {
        byte[] body = request(via, who, true, g -> {
            g.writeStringField("channel", channel);
            if (!token.isEmpty()) {
                g.writeStringField("token", token);
            }
            writePayload(g, via, who, "data", data);
        });
        Map<String, byte[]> r = result(call(via, "subscribe", body, who));
        try {
            return new SubscribeAnswer(subscription(r), JsonFields.number(r, "expire_at"));
        } catch (IOException e) {
            throw garbage(via, "subscribe", e);
        }
    }

    public PublishAnswer publish(ProxyOptions via, ProxyCaller who, String channel, byte[] data)
            throws ProxyUnavailableException {
        byte[] body = request(via, who, true, g -> {
            g.writeStringField("channel", channel);
            writePayload(g, via, who, "data", data);
        });
        Map<String, byte[]> r = result(call(via, "publish", body, who));
        try {
            byte[] replaced = JsonFields.payload(r, "data");
            return new PublishAnswer(replaced != null ? replaced : data, JsonFields.flag(r, "skip_history"));
        } catch (IOException e) {
            throw garbage(via, "publish", e);
        }
    }

    public SubRefreshAnswer subRefresh(ProxyOptions via, ProxyCaller who, String channel)
            throws ProxyUnavailableException {
        byte[] body = request(via, who, true, g -> g.writeStringField("channel", channel));
        Map<String, byte[]> r = result(call(via, "sub_refresh", body, who));
        try {
            return new SubRefreshAnswer(JsonFields.flag(r, "expired"), JsonFields.number(r, "expire_at"),
                    JsonFields.payload(r, "info"));
        } catch (IOException e) {
            throw garbage(via, "sub_refresh", e);
        }
    }

    /** The RPC's answer data (null when the backend answered none). */
    public byte[] rpc(ProxyOptions via, ProxyCaller who, String method, byte[] data) throws ProxyUnavailableException {
        byte[] body = request(via, who, true, g -> {
            if (!method.isEmpty()) {
                g.writeStringField("method", method);
            }
            writePayload(g, via, who, "data", data);
        });
        Map<String, byte[]> r = result(call(via, "rpc", body, who));
        try {
            return JsonFields.payload(r, "data");
        } catch (IOException e) {
            throw garbage(via, "rpc", e);
        }
    }

    // ---- requests ------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] request(ProxyOptions via, ProxyCaller who, boolean withUser, Fields fields) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("client", who.client());
            g.writeStringField("transport", who.transport());
            g.writeStringField("protocol", who.protocol() == ProtocolType.PROTOBUF ? "protobuf" : "json");
            g.writeStringField("encoding", via.binaryEncoding() ? "binary" : "json");
            if (withUser) {
                g.writeStringField("user", who.user());
            }
            fields.write(g);
            if (via.includeConnectionMeta() && who.meta() != null) {
                g.writeFieldName("meta");
                g.writeRawValue(new String(who.meta(), StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    /**
     * A client payload, unparsed: raw JSON, or base64 with {@code binary_encoding} — and for Protobuf clients
     * whose bytes are not JSON, which raw JSON cannot carry.
     */
    private static void writePayload(JsonGenerator g, ProxyOptions via, ProxyCaller who, String name, byte[] payload)
            throws IOException {
        if (payload == null || payload.length == 0) {
            return;
        }
        boolean base64 = via.binaryEncoding()
                || (who.protocol() == ProtocolType.PROTOBUF && !JsonFields.isJson(payload));
        if (base64) {
            g.writeStringField("b64" + name, Base64.getEncoder().encodeToString(payload));
        } else {
            g.writeFieldName(name);
            g.writeRawValue(new String(payload, StandardCharsets.UTF_8));
        }
    }

    /**
     * Headers for the call: {@code http_headers} from the connection, {@code emulated_headers} from the
     * client's connect command where the connection has none of that name.
     */
    private static Map<String, String> headers(ProxyOptions via, ProxyCaller who) {
        if (via.httpHeaders().isEmpty() && via.emulatedHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : via.emulatedHeaders()) {
            String value = lookup(who.emulatedHeaders(), name);
            if (value != null) {
                out.put(name, value);
            }
        }
        for (String name : via.httpHeaders()) {
            String value = lookup(who.headers(), name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    private static String lookup(Map<String, String> headers, String lowerCaseName) {
        String value = headers.get(lowerCaseName);
        if (value != null) {
            return value;
        }
        for (var e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                return e.getValue();
            }
        }
        return null;
    }

    // ---- answers -------------------------------------------------------------------------------------

    private byte[] call(ProxyOptions via, String event, byte[] body, ProxyCaller who) throws ProxyUnavailableException {
        return endpoints.get(via).call(event, body, headers(via, who));
    }

    /** The answer's {@code result} fields, or the refusal it carries. */
    private static Map<String, byte[]> result(byte[] answer) throws ProxyUnavailableException {
        try {
            Map<String, byte[]> top = JsonFields.of(answer);
            byte[] error = top.get("error");
            if (error != null) {
                throw refusalError(JsonFields.of(error));
            }
            byte[] disconnect = top.get("disconnect");
            if (disconnect != null) {
                throw refusalDisconnect(JsonFields.of(disconnect));
            }
            byte[] result = top.get("result");
            return result == null ? Map.of() : JsonFields.of(result);
        } catch (IOException e) {
            throw new ProxyUnavailableException("backend answer is not proxy protocol JSON: " + e.getMessage(), false);
        }
    }

    private static ProxyRefusal refusalError(Map<String, byte[]> e) throws IOException, ProxyUnavailableException {
        long code = JsonFields.number(e, "code");
        if (code < 400 || code > 1999) {
            throw new ProxyUnavailableException("backend answered error code " + code + ", outside 400-1999", false);
        }
        String message = JsonFields.text(e, "message");
        return new ProxyRefusal(new ProtocolError((int) code, message, JsonFields.flag(e, "temporary")), null,
                "backend error " + code + " " + message);
    }

    private static ProxyRefusal refusalDisconnect(Map<String, byte[]> d) throws IOException,
            ProxyUnavailableException {
        long code = JsonFields.number(d, "code");
        if (code < 4000 || code > 4999) {
            throw new ProxyUnavailableException("backend answered disconnect code " + code + ", outside 4000-4999",
                    false);
        }
        String reason = JsonFields.text(d, "reason");
        return new ProxyRefusal(null, new Disconnect((int) code, reason, code < 4500),
                "backend disconnect " + code + " " + reason);
    }

    private static ProxyUnavailableException garbage(ProxyOptions via, String event, IOException e) {
        return new ProxyUnavailableException(event + " proxy " + via.name() + " answered a malformed result: "
                + e.getMessage(), false);
    }

    private static TokenSubscription subscription(Map<String, byte[]> r) throws IOException {
        byte[] override = r.get("override");
        return new TokenSubscription(JsonFields.payload(r, "info"), JsonFields.payload(r, "data"),
                override == null ? SubscriptionOverride.NONE : override(JsonFields.of(override)));
    }

    private static SubscriptionOverride override(Map<String, byte[]> o) throws IOException {
        return new SubscriptionOverride(boolValue(o, "presence"), boolValue(o, "join_leave"),
                boolValue(o, "force_push_join_leave"), boolValue(o, "force_recovery"),
                boolValue(o, "force_positioning"));
    }

    /** {@code {"value": true}} → true; {@code {}} → false (Go's omitempty bool); absent → null. */
    private static Boolean boolValue(Map<String, byte[]> o, String name) throws IOException {
        byte[] raw = o.get(name);
        return raw == null ? null : JsonFields.flag(JsonFields.of(raw), "value");
    }

    private static List<ProxyOptions> all(ProxyConfig c) {
        var out = new java.util.ArrayList<ProxyOptions>();
        if (c.connect() != null) {
            out.add(c.connect());
        }
        if (c.refresh() != null) {
            out.add(c.refresh());
        }
        out.addAll(c.subscribe().values());
        out.addAll(c.publish().values());
        out.addAll(c.subRefresh().values());
        out.addAll(c.rpc().values());
        return out;
    }
}
