package dev.weft.server.api.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.api.ApiCalls;
import dev.weft.server.api.ApiJson;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.ApiMethods;
import dev.weft.server.api.Parallel;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.BatchRequest;
import dev.weft.server.api.model.BatchResponse;
import dev.weft.server.api.model.JsonPayload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * {@code batch}: many commands in one request, each {@code {"<method>": <request>}}, answered with
 * {@code {"replies": [...]}} in command order, each {@code {"<method>": <result>}} or {@code {"error": ...}}.
 * Every command is decoded before any runs, so a malformed one fails the whole request (HTTP 400), as in
 * Centrifugo; a command naming no known method gets {@code 104 not found}. Sequential by default, concurrent
 * with {@code "parallel": true} (at most 1 024 at a time). Thread-safe.
 */
public final class BatchMethod {
    private static final int PARALLELISM = 1024;

    private final ApiMethods commands;
    private final Executor executor;

    /** @param commands the methods a batch may call (every method but batch itself) */
    public BatchMethod(ApiMethods commands, Executor executor) {
        this.commands = commands;
        this.executor = executor;
    }

    public ApiMethod<BatchRequest, BatchResponse> method() {
        return new ApiMethod<>("batch", "Many commands in one request", BatchRequest.class, BatchResponse.class,
                "{\"commands\":[{\"publish\":{\"channel\":\"news\",\"data\":{\"n\":1}}},"
                        + "{\"presence_stats\":{\"channel\":\"news\"}}],\"parallel\":false}",
                false, this::batch);
    }

    private record Decoded(ApiMethod<?, ?> method, Object request) {
    }

    BatchResponse batch(BatchRequest r) {
        List<Decoded> decoded = new ArrayList<>(r.commands().size());
        for (Map<String, JsonPayload> command : r.commands()) {
            decoded.add(decode(command));
        }
        List<ObjectNode> replies = r.parallel()
                ? Parallel.map(decoded, this::run, executor, PARALLELISM)
                : decoded.stream().map(this::run).toList();
        return new BatchResponse(replies);
    }

    /** The first key naming a known method wins; other keys are ignored, as unknown fields are. */
    private Decoded decode(Map<String, JsonPayload> command) {
        if (command == null) {
            return new Decoded(null, null);
        }
        for (Map.Entry<String, JsonPayload> field : command.entrySet()) {
            ApiMethod<?, ?> method = commands.get(field.getKey());
            if (method != null) {
                return new Decoded(method, ApiCalls.decode(method, field.getValue().bytes()));
            }
        }
        return new Decoded(null, null);
    }

    private ObjectNode run(Decoded command) {
        ObjectNode reply = ApiJson.mapper().createObjectNode();
        if (command.method() == null) {
            reply.set("error", ApiJson.mapper().valueToTree(ApiError.NOT_FOUND));
            return reply;
        }
        ApiCalls.Outcome outcome = ApiCalls.call(command.method(), command.request());
        if (outcome.error() != null) {
            reply.set("error", ApiJson.mapper().valueToTree(outcome.error()));
        } else {
            reply.set(command.method().name(), ApiJson.mapper().valueToTree(outcome.result()));
        }
        return reply;
    }
}
