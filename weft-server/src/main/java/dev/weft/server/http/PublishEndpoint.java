package dev.weft.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.CommandFailedException;
import dev.weft.core.broker.PublishOutcome;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.ProtocolError;
import dev.weft.protocol.model.StreamPosition;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /api/publish}, Centrifugo's shape: body
 * {@code {"channel":"news","data":{...},"idempotency_key":"k","tags":{"a":"b"}}} ({@code b64data} instead of
 * {@code data} for binary payloads); answer {@code {"result":{"offset":N,"epoch":"..."}}} (zero fields
 * omitted) or, with HTTP 200 as Centrifugo does, {@code {"error":{"code":102,"message":"unknown channel"}}}.
 * A body that is not a JSON object is HTTP 400; a wrong or missing key 401.
 *
 * <p>Thread-safe. Parsing and publishing run on {@code executor} (virtual threads), never on the event loop.
 */
public final class PublishEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(PublishEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiKeyCheck keyCheck;
    private final Publisher publisher;
    private final Executor executor;

    public PublishEndpoint(ApiKeyCheck keyCheck, Publisher publisher, Executor executor) {
        this.keyCheck = keyCheck;
        this.publisher = publisher;
        this.executor = executor;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public void handle(HttpExchange exchange) {
        String refusal = keyCheck.refusal(exchange.request().headers());
        if (refusal != null) {
            exchange.refuse(HttpResponseStatus.UNAUTHORIZED, refusal);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(exchange.request().content());
        try {
            executor.execute(() -> exchange.respond(publish(exchange, body)));
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "server shutting down");
        }
    }

    private FullHttpResponse publish(HttpExchange exchange, byte[] body) {
        Request request;
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                return badJson(exchange, "body is not a JSON object");
            }
            request = Request.of((ObjectNode) root);
        } catch (JacksonException e) {
            return badJson(exchange, "unparsable JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return badJson(exchange, "unreadable body: " + e.getMessage());
        } catch (InvalidRequest e) {
            log.info("publish from {} refused: {}", exchange.remoteAddress(), e.getMessage());
            return error(ErrorCode.BAD_REQUEST.error());
        }
        try {
            PublishOutcome outcome =
                    publisher.publish(request.channel, request.data, request.idempotencyKey, request.tags);
            return result(outcome.position());
        } catch (CommandFailedException e) {
            log.info("publish to '{}' from {} refused: {} {}", request.channel, exchange.remoteAddress(),
                    e.error().code(), e.getMessage());
            return error(e.error());
        } catch (RuntimeException e) {
            log.error("publish to '{}' from {} failed", request.channel, exchange.remoteAddress(), e);
            return error(ErrorCode.INTERNAL.error());
        }
    }

    private static FullHttpResponse badJson(HttpExchange exchange, String reason) {
        log.info("refused POST {} from {}: 400 ({})", exchange.path(), exchange.remoteAddress(), reason);
        return HttpResponses.status(HttpResponseStatus.BAD_REQUEST);
    }

    private static FullHttpResponse result(StreamPosition position) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode result = root.putObject("result");
        if (position != null && position.offset() != 0) {
            result.put("offset", position.offset());
        }
        if (position != null && !position.epoch().isEmpty()) {
            result.put("epoch", position.epoch());
        }
        return json(root);
    }

    private static FullHttpResponse error(ProtocolError error) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", error.code()).put("message", error.message());
        return json(root);
    }

    private static FullHttpResponse json(ObjectNode root) {
        try {
            return HttpResponses.json(HttpResponseStatus.OK, JSON.writeValueAsBytes(root));
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** The request fields, validated. */
    private record Request(String channel, byte[] data, String idempotencyKey, Map<String, String> tags) {

        static Request of(ObjectNode root) throws JacksonException, InvalidRequest {
            JsonNode channel = root.get("channel");
            if (channel == null || !channel.isTextual() || channel.asText().isEmpty()) {
                throw new InvalidRequest("channel required");
            }
            byte[] data;
            JsonNode dataNode = root.get("data");
            JsonNode b64 = root.get("b64data");
            if (dataNode != null && !dataNode.isNull()) {
                data = JSON.writeValueAsBytes(dataNode);
            } else if (b64 != null && b64.isTextual()) {
                try {
                    data = Base64.getDecoder().decode(b64.asText());
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest("b64data is not base64");
                }
            } else {
                throw new InvalidRequest("data required");
            }
            String idempotencyKey = "";
            JsonNode key = root.get("idempotency_key");
            if (key != null && !key.isNull()) {
                if (!key.isTextual()) {
                    throw new InvalidRequest("idempotency_key must be a string");
                }
                idempotencyKey = key.asText();
            }
            Map<String, String> tags = Map.of();
            JsonNode tagsNode = root.get("tags");
            if (tagsNode != null && !tagsNode.isNull()) {
                if (!tagsNode.isObject()) {
                    throw new InvalidRequest("tags must be an object of strings");
                }
                Map<String, String> collected = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : tagsNode.properties()) {
                    if (!e.getValue().isTextual()) {
                        throw new InvalidRequest("tags must be an object of strings");
                    }
                    collected.put(e.getKey(), e.getValue().asText());
                }
                tags = Collections.unmodifiableMap(collected);
            }
            return new Request(channel.asText(), data, idempotencyKey, tags);
        }
    }

    private static final class InvalidRequest extends Exception {
        InvalidRequest(String message) {
            super(message, null, false, false);
        }
    }
}
