package dev.weft.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.metrics.ApiMetrics;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.http.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /api/<method>} for one method, with Centrifugo's HTTP semantics (the key is checked in front of
 * it, by {@link ApiKeyGuard}: wrong or missing key → 401): a body that is not a JSON object of the method's request → 400, otherwise 200 with {@code {"result": …}} or
 * {@code {"error": {"code", "message"}}} ({@code batch}: {@code {"replies": […]}}). In transport error mode
 * ({@code http_api.error_mode: transport}, or per request {@code X-Centrifugo-Error-Mode: transport}) an
 * error is answered with a matching HTTP status and the bare error object instead.
 *
 * <p>Thread-safe. The body is copied on the event loop; decoding and the call run on {@code executor}
 * (virtual threads).
 */
public final class ApiEndpoint implements HttpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ApiEndpoint.class);
    private static final String ERROR_MODE_HEADER = "X-Centrifugo-Error-Mode";

    private final ApiMethod<?, ?> method;
    private final Executor executor;
    private final boolean transportErrorMode;
    private final ApiMetrics metrics;
    private final BiFunction<String, Object, Object> bind;

    public ApiEndpoint(ApiMethod<?, ?> method, Executor executor, boolean transportErrorMode, ApiMetrics metrics) {
        this(method, executor, transportErrorMode, metrics, (path, request) -> request);
    }

    /**
     * @param bind completes a decoded request from the request's path (e.g. an id in it); returns the request to
     *             call the method with, or throws {@link MalformedRequestException}
     */
    ApiEndpoint(ApiMethod<?, ?> method, Executor executor, boolean transportErrorMode, ApiMetrics metrics,
                BiFunction<String, Object, Object> bind) {
        this.method = method;
        this.executor = executor;
        this.transportErrorMode = transportErrorMode;
        this.metrics = metrics;
        this.bind = bind;
    }

    @Override
    public Set<HttpMethod> methods() {
        return Set.of(HttpMethod.POST);
    }

    @Override
    public void handle(HttpExchange exchange) {
        var headers = exchange.request().headers();
        byte[] body = ByteBufUtil.getBytes(exchange.request().content());
        boolean transportErrors = transportErrorMode || "transport".equals(headers.get(ERROR_MODE_HEADER));
        try {
            executor.execute(() -> exchange.respond(answer(exchange, body, transportErrors)));
        } catch (RejectedExecutionException e) {
            exchange.refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "server shutting down");
        }
    }

    private FullHttpResponse answer(HttpExchange exchange, byte[] body, boolean transportErrors) {
        ApiCalls.Outcome outcome;
        long started = System.nanoTime();
        try {
            outcome = ApiCalls.call(method, bind.apply(exchange.path(), ApiCalls.decode(method, body)));
            metrics.call(method.name(), System.nanoTime() - started,
                    outcome.error() == null ? 0 : outcome.error().code());
        } catch (MalformedRequestException e) {
            log.info("refused POST {} from {}: 400 ({})", exchange.path(), exchange.remoteAddress(), e.getMessage());
            return HttpResponses.status(HttpResponseStatus.BAD_REQUEST);
        }
        try {
            if (!method.enveloped()) {
                return json(HttpResponseStatus.OK, ApiJson.mapper().writeValueAsBytes(outcome.result()));
            }
            if (outcome.error() != null && transportErrors) {
                return json(httpStatus(outcome.error()), ApiJson.mapper().writeValueAsBytes(outcome.error()));
            }
            ObjectNode root = ApiJson.mapper().createObjectNode();
            if (outcome.error() != null) {
                root.set("error", ApiJson.mapper().valueToTree(outcome.error()));
            } else {
                root.set("result", ApiJson.mapper().valueToTree(outcome.result()));
            }
            return json(HttpResponseStatus.OK, ApiJson.mapper().writeValueAsBytes(root));
        } catch (JacksonException e) {
            log.error("server API {}: cannot encode the answer", method.name(), e);
            return HttpResponses.status(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
    }


    private static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
        return HttpResponses.json(status, body);
    }

    /** Centrifugo's mapping of API errors to HTTP statuses in transport error mode. */
    static HttpResponseStatus httpStatus(ApiError error) {
        return switch (error.code()) {
            case 102, 104 -> HttpResponseStatus.NOT_FOUND;
            case 106, 107, 108 -> HttpResponseStatus.BAD_REQUEST;
            case 112 -> HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
            case 113 -> HttpResponseStatus.CONFLICT;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
