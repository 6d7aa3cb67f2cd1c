package dev.weft.core.docs.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.docs.DocumentAccess;
import dev.weft.core.docs.DocumentAccessDenied;
import dev.weft.core.docs.DocumentError;
import dev.weft.core.docs.DocumentGrant;
import dev.weft.core.docs.hooks.WebhookOptions.Event;
import dev.weft.core.proxy.ProxyEndpoint;
import dev.weft.core.proxy.ProxyUnavailableException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Document hooks as {@code @hocuspocus/extension-webhook} sends them, so a backend written for it works: every
 * event is a POST of {@code {"event": <name>, "payload": {…}}} to {@code docs.hooks.url}, signed (with a
 * {@code secret}) by {@code X-Hocuspocus-Signature-256: sha256=<hex HMAC-SHA256 of the body>}. Payloads:
 * <ul>
 *   <li>{@code connect}: {@code documentName}, {@code token}, {@code requestHeaders} (the allow-listed ones),
 *       {@code requestParameters}, {@code transport} ({@code yjs} or {@code hocuspocus}). A 2xx answer with an
 *       empty body or a JSON object admits the client: read-write, or read-only with {@code "readOnly": true}
 *       or {@code "access": "read-only"}; {@code "access": "denied"} or {@code "unauthorized"} refuses it, as
 *       does any other status, no answer within the timeout, or a body that is not a JSON object — the hook
 *       fails closed.</li>
 *   <li>{@code create} (the store has nothing of the document): {@code documentName}, {@code requestHeaders},
 *       {@code requestParameters}. Answer {@code {"update": "<base64 Yjs update, v1>"}} for an initial state,
 *       or an empty body / {@code {}} for none. Anything else fails the load.</li>
 *   <li>{@code change} (debounced) and {@code store} (after a compaction, or when the document is unloaded,
 *       if it changed): {@code documentName} and {@code update}, the document's whole state as one base64
 *       Yjs update (v1) — the state, not the last edit, as Hocuspocus sends the whole document.</li>
 *   <li>{@code disconnect}: {@code documentName}, {@code requestHeaders}, {@code requestParameters},
 *       {@code transport}.</li>
 * </ul>
 * The calls go through a {@link ProxyEndpoint} (the event proxies' HTTP client, timeout and in-flight bound).
 * {@code change}, {@code store} and {@code disconnect} are delivered in the background by
 * {@link WebhookDeliveries} (retried, coalesced, bounded).
 *
 * <p>Thread-safe.
 */
public final class DocumentWebhooks implements DocumentHooks, AutoCloseable {
    /** The header Hocuspocus signs its webhook requests with. */
    public static final String SIGNATURE_HEADER = "X-Hocuspocus-Signature-256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookOptions options;
    private final ProxyEndpoint endpoint;
    private final WebhookDeliveries deliveries;
    private final Predicate<String> covers;

    /**
     * @param covers   the documents the hooks are for (the others go on without them: tokens, the store)
     * @param executor runs background deliveries (virtual threads: a delivery blocks on its call)
     */
    public DocumentWebhooks(WebhookOptions options, ProxyEndpoint endpoint, Predicate<String> covers,
                            Executor executor) {
        this.options = options;
        this.endpoint = endpoint;
        this.covers = covers;
        this.deliveries = new WebhookDeliveries(executor, this::send);
    }

    @Override
    public boolean authenticates(String room) {
        return sends(Event.CONNECT, room);
    }

    @Override
    public DocumentGrant authenticate(String room, HookCaller caller) throws DocumentAccessDenied {
        ObjectNode payload = fromCaller(room, caller);
        payload.put("token", caller.token());
        JsonNode answer;
        try {
            answer = answerObject(send(Event.CONNECT, envelope(Event.CONNECT, payload)));
        } catch (ProxyUnavailableException | DocumentHookException e) {
            throw new DocumentAccessDenied(DocumentError.FORBIDDEN, "connect hook failed, refusing (fail closed): "
                    + e.getMessage());
        }
        String access = answer.path("access").asText(answer.path("readOnly").asBoolean() ? "read-only" : "read-write");
        String user = answer.path("user").asText("");
        return switch (access) {
            case "read-write" -> new DocumentGrant(DocumentAccess.READ_WRITE, user, "", 0, 0);
            case "read-only", "readonly" -> new DocumentGrant(DocumentAccess.READ_ONLY, user, "", 0, 0);
            case "unauthorized" -> throw new DocumentAccessDenied(DocumentError.UNAUTHORIZED,
                    "the connect hook answered unauthorized");
            case "denied" -> throw new DocumentAccessDenied(DocumentError.FORBIDDEN, "the connect hook denied access");
            default -> throw new DocumentAccessDenied(DocumentError.FORBIDDEN, "connect hook answered access '"
                    + access + "' (expected read-write, read-only, denied or unauthorized), refusing");
        };
    }

    @Override
    public boolean loads(String room) {
        return sends(Event.CREATE, room);
    }

    @Override
    public byte[] load(String room, HookCaller caller) throws DocumentHookException {
        JsonNode answer;
        try {
            answer = answerObject(send(Event.CREATE, envelope(Event.CREATE, fromCaller(room, caller))));
        } catch (ProxyUnavailableException e) {
            throw new DocumentHookException("create hook: " + e.getMessage());
        }
        JsonNode update = answer.get("update");
        if (update == null) {
            if (answer.isEmpty()) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            answer.fieldNames().forEachRemaining(fields::add);
            throw new DocumentHookException("create hook answered " + fields + " without `update` (a base64 Yjs "
                    + "update); document JSON such as ProseMirror's is not converted");
        }
        if (update.isNull() || update.asText().isEmpty()) {
            return null;
        }
        if (!update.isTextual()) {
            throw new DocumentHookException("create hook: `update` is not a base64 string");
        }
        try {
            return Base64.getDecoder().decode(update.textValue());
        } catch (IllegalArgumentException e) {
            throw new DocumentHookException("create hook: `update` is not base64: " + e.getMessage());
        }
    }

    @Override
    public Duration changeDebounce(String room) {
        return sends(Event.CHANGE, room) ? options.changeDebounce() : null;
    }

    @Override
    public Duration changeMaxWait() {
        return options.changeMaxWait();
    }

    @Override
    public void changed(String room, byte[] state) {
        deliveries.submit(Event.CHANGE, room, true, envelope(Event.CHANGE, withState(room, state)));
    }

    @Override
    public boolean reportsStores(String room) {
        return sends(Event.STORE, room);
    }

    @Override
    public void stored(String room, byte[] state) {
        deliveries.submit(Event.STORE, room, true, envelope(Event.STORE, withState(room, state)));
    }

    @Override
    public void disconnected(String room, HookCaller caller) {
        if (sends(Event.DISCONNECT, room)) {
            deliveries.submit(Event.DISCONNECT, room, false, envelope(Event.DISCONNECT, fromCaller(room, caller)));
        }
    }

    /** Waits up to {@code grace} for background deliveries to finish; later ones are dropped. */
    public void close(Duration grace) {
        deliveries.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private boolean sends(Event event, String room) {
        return options.sends(event) && covers.test(room);
    }

    private byte[] send(Event event, byte[] body) throws ProxyUnavailableException {
        Map<String, String> headers = options.secret().isEmpty() ? Map.of() : Map.of(SIGNATURE_HEADER, sign(body));
        return endpoint.call(event.wireName(), body, headers);
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(options.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private ObjectNode fromCaller(String room, HookCaller caller) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("documentName", room);
        ObjectNode headers = payload.putObject("requestHeaders");
        for (String name : options.endpoint().httpHeaders()) {
            String value = caller.headers().get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        ObjectNode parameters = payload.putObject("requestParameters");
        caller.parameters().forEach(parameters::put);
        payload.put("transport", caller.dialect());
        return payload;
    }

    private static ObjectNode withState(String room, byte[] state) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("documentName", room);
        payload.put("update", Base64.getEncoder().encodeToString(state));
        return payload;
    }

    private static byte[] envelope(Event event, ObjectNode payload) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", event.wireName());
        body.set("payload", payload);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer as a JSON object; an empty body is {@code {}}. */
    private static JsonNode answerObject(byte[] answer) throws DocumentHookException {
        if (new String(answer, StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(answer);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new DocumentHookException("the answer is not a JSON object");
    }
}
