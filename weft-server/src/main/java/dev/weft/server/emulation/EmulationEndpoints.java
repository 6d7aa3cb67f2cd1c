package dev.weft.server.emulation;

import dev.weft.core.emulation.EmulationRouter;
import dev.weft.server.config.EmulationConfig;
import dev.weft.server.http.CorsPolicy;
import dev.weft.server.http.DisabledEndpoint;
import dev.weft.server.http.HttpEndpoint;
import dev.weft.server.websocket.SessionFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mounts bidirectional emulation: {@code /connection/http_stream} and {@code /connection/sse} (each only when
 * enabled, else 404 with the reason logged) and {@code /emulation} (when either is).
 */
public final class EmulationEndpoints {
    private EmulationEndpoints() {
    }

    /**
     * @param queueMaxSize per-stream write queue bound ({@code client.queue_max_size})
     * @return endpoints by path
     */
    public static Map<String, HttpEndpoint> create(EmulationConfig config, SessionFactory sessions,
                                                   EmulationRouter router, CorsPolicy cors, long queueMaxSize) {
        SessionStreams streams = new SessionStreams(sessions, cors, queueMaxSize);
        Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(HttpStreamEndpoint.PATH, config.httpStreamEnabled()
                ? new HttpStreamEndpoint(streams, config.httpStreamMaxRequestBodySize())
                : new DisabledEndpoint("HTTP-streaming disabled: set http_stream.enabled"));
        endpoints.put(SseConnectionEndpoint.PATH, config.sseEnabled()
                ? new SseConnectionEndpoint(streams, config.sseMaxRequestBodySize())
                : new DisabledEndpoint("SSE emulation disabled: set sse.enabled"));
        endpoints.put(EmulationEndpoint.PATH, config.emulationEnabled()
                ? new EmulationEndpoint(router, cors, config.emulationMaxRequestBodySize())
                : new DisabledEndpoint("emulation disabled: set http_stream.enabled or sse.enabled"));
        return endpoints;
    }
}
