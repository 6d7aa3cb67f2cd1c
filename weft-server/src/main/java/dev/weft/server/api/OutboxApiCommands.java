package dev.weft.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.postgres.outbox.OutboxCommands;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.BroadcastRequest;
import dev.weft.server.api.model.BroadcastResult;
import dev.weft.server.api.model.PublishRequest;
import dev.weft.server.api.model.PublishResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Outbox rows run as the HTTP server API would run them ({@link ApiCalls#decode}, {@link ApiCalls#call}), as
 * Centrifugo's consumers dispatch them: only the methods that change state (a read has no one to answer; {@code
 * batch} is not accepted, as in Centrifugo); error 100 (the broker is down) is retried, every other refusal sets
 * the row aside. A {@code publish} or {@code broadcast} without an {@code idempotency_key} gets the row's, so a row
 * run again after a crash is dropped by the broker instead of reaching clients twice. Stateless, thread-safe.
 */
public final class OutboxApiCommands implements OutboxCommands {
    /** Centrifugo's asynchronous consumers accept the commands that modify state. */
    static final Set<String> METHODS = Set.of("publish", "broadcast", "subscribe", "unsubscribe", "disconnect",
            "refresh", "history_remove", "revoke_token", "invalidate_user_tokens");

    private final ApiMethods methods;

    public OutboxApiCommands(ApiMethods methods) {
        this.methods = methods;
    }

    @Override
    public Outcome execute(String method, byte[] payload, String idempotencyKey) {
        if (method.isEmpty()) {
            // Centrifugo's form for queues without a method column: {"method": …, "payload": {…}}.
            try {
                JsonNode wrapped = ApiJson.mapper().readTree(payload);
                JsonNode m = wrapped == null ? null : wrapped.get("method");
                JsonNode p = wrapped == null ? null : wrapped.get("payload");
                if (m == null || !m.isTextual() || m.textValue().isEmpty() || p == null) {
                    return Outcome.rejected("no method: expected {\"method\": …, \"payload\": {…}}");
                }
                byte[] inner = p.isTextual() ? p.textValue().getBytes(StandardCharsets.UTF_8)
                        : ApiJson.mapper().writeValueAsBytes(p);
                return execute(m.textValue(), inner, idempotencyKey);
            } catch (IOException e) {
                return Outcome.rejected("bad JSON: " + e.getMessage());
            }
        }
        ApiMethod<?, ?> api = METHODS.contains(method) ? methods.get(method) : null;
        if (api == null) {
            return Outcome.rejected("unknown method \"" + method + "\" (accepted: " + new java.util.TreeSet<>(METHODS)
                    + ")");
        }
        Object request;
        try {
            request = withKey(ApiCalls.decode(api, payload), idempotencyKey);
        } catch (MalformedRequestException e) {
            return Outcome.rejected(e.getMessage());
        }
        ApiCalls.Outcome outcome = ApiCalls.call(api, request);
        if (outcome.error() != null) {
            return refused(outcome.error());
        }
        if (outcome.result() instanceof BroadcastResult broadcast) {
            // As Centrifugo: one channel failing temporarily retries the whole broadcast (the key keeps the
            // channels that got it from getting it twice); a channel refused for good is reported with the row.
            StringBuilder refusals = new StringBuilder();
            for (PublishResponse r : broadcast.responses()) {
                if (r.error() != null && r.error().code() == ApiError.INTERNAL.code()) {
                    return Outcome.retry(r.error().code() + " " + r.error().message());
                }
                if (r.error() != null) {
                    refusals.append(refusals.isEmpty() ? "" : "; ").append(r.error().code()).append(' ')
                            .append(r.error().message());
                }
            }
            if (!refusals.isEmpty()) {
                return Outcome.rejected("broadcast refused for some channels: " + refusals);
            }
        }
        return Outcome.DONE;
    }

    private static Outcome refused(ApiError error) {
        String reason = error.code() + " " + error.message();
        return error.code() == ApiError.INTERNAL.code() ? Outcome.retry(reason) : Outcome.rejected(reason);
    }

    private static Object withKey(Object request, String key) {
        if (request instanceof PublishRequest p && p.idempotencyKey().isEmpty()) {
            return new PublishRequest(p.channel(), p.data(), p.b64data(), p.skipHistory(), p.tags(), key, p.delta(),
                    p.version(), p.versionEpoch());
        }
        if (request instanceof BroadcastRequest b && b.idempotencyKey().isEmpty()) {
            return new BroadcastRequest(b.channels(), b.data(), b.b64data(), b.skipHistory(), b.tags(), key,
                    b.delta(), b.version(), b.versionEpoch());
        }
        return request;
    }
}
