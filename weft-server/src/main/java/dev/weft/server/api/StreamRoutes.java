package dev.weft.server.api;

import dev.weft.server.api.model.StreamAppendRequest;
import dev.weft.server.api.model.StreamErrorRequest;
import dev.weft.server.api.model.StreamFinishRequest;
import dev.weft.server.api.model.StreamStopRequest;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.http.HttpExchange;
import dev.weft.server.metrics.ApiMetrics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * The AI stream methods at resource paths: {@code POST /api/streams} is {@code stream_create}, and
 * {@code POST /api/streams/<id>/append|finish|error|stop} the method of that verb with the (percent-decoded)
 * id from the path, which wins over an id in the body. Same key check, body and answers as {@code /api/<method>}
 * (the methods' {@link ApiEndpoint}s). Immutable, thread-safe.
 */
public final class StreamRoutes {
    /** Mounted exactly: create. */
    public static final String PATH = "/api/streams";
    /** Mounted as a prefix: {@code <id>/<verb>}. */
    public static final String PREFIX = "/api/streams/";

    private StreamRoutes() {
    }

    /** Both mounts, or none when the registry has no stream methods. */
    public static Map<String, HttpEndpoint> create(ApiMethods methods, Executor executor, boolean transportErrorMode,
                                                   ApiMetrics metrics) {
        ApiMethod<?, ?> create = methods.get("stream_create");
        if (create == null) {
            return Map.of();
        }
        Map<String, ApiEndpoint> verbs = new LinkedHashMap<>();
        verbs.put("append", verb(methods, "stream_append", executor, transportErrorMode, metrics,
                (id, r) -> ((StreamAppendRequest) r).withId(id)));
        verbs.put("finish", verb(methods, "stream_finish", executor, transportErrorMode, metrics,
                (id, r) -> ((StreamFinishRequest) r).withId(id)));
        verbs.put("error", verb(methods, "stream_error", executor, transportErrorMode, metrics,
                (id, r) -> ((StreamErrorRequest) r).withId(id)));
        verbs.put("stop", verb(methods, "stream_stop", executor, transportErrorMode, metrics,
                (id, r) -> ((StreamStopRequest) r).withId(id)));
        HttpEndpoint byVerb = new HttpEndpoint() {
            @Override
            public Set<HttpMethod> methods() {
                return Set.of(HttpMethod.POST);
            }

            @Override
            public void handle(HttpExchange exchange) {
                String rest = exchange.path().substring(PREFIX.length());
                int slash = rest.lastIndexOf('/');
                ApiEndpoint endpoint = slash > 0 ? verbs.get(rest.substring(slash + 1)) : null;
                if (endpoint == null) {
                    exchange.refuse(HttpResponseStatus.NOT_FOUND, "not /api/streams/<id>/append|finish|error|stop");
                    return;
                }
                endpoint.handle(exchange);
            }
        };
        return Map.of(PATH, new ApiEndpoint(create, executor, transportErrorMode, metrics), PREFIX, byVerb);
    }

    private static ApiEndpoint verb(ApiMethods methods, String name, Executor executor, boolean transportErrorMode,
                                    ApiMetrics metrics, BiFunction<String, Object, Object> withId) {
        return new ApiEndpoint(methods.get(name), executor, transportErrorMode, metrics,
                (path, request) -> withId.apply(idOf(path), request));
    }

    /** {@code /api/streams/<id>/<verb>} → {@code <id>} (which may hold slashes: channel names can). */
    private static String idOf(String path) {
        return path.substring(PREFIX.length(), path.lastIndexOf('/'));
    }
}
