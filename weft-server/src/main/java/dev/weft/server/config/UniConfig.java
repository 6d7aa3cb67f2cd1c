package dev.weft.server.config;

/**
 * The one-way transports, Centrifugo v6's {@code uni_sse}, {@code uni_http_stream} and {@code uni_websocket}
 * sections. Each is off by default, as in Centrifugo.
 */
public record UniConfig(Stream sse, Stream httpStream, WebSocket websocket) {
    public static final UniConfig DEFAULT = new UniConfig(
            new Stream(false, "/connection/uni_sse", 65536),
            new Stream(false, "/connection/uni_http_stream", 65536),
            new WebSocket(false, "/connection/uni_websocket", 65536, false));

    public UniConfig {
        sse = sse == null ? DEFAULT.sse : sse;
        httpStream = httpStream == null ? DEFAULT.httpStream : httpStream;
        websocket = websocket == null ? DEFAULT.websocket : websocket;
    }

    public UniConfig withSse(Stream v) {
        return new UniConfig(v, httpStream, websocket);
    }

    public UniConfig withHttpStream(Stream v) {
        return new UniConfig(sse, v, websocket);
    }

    public UniConfig withWebsocket(WebSocket v) {
        return new UniConfig(sse, httpStream, v);
    }

    /**
     * {@code uni_sse.*} / {@code uni_http_stream.*}.
     *
     * @param handlerPrefix      the endpoint's path
     * @param maxRequestBodySize largest POST body (the connect request) accepted; a bigger one gets 413
     */
    public record Stream(boolean enabled, String handlerPrefix, int maxRequestBodySize) {
        public Stream {
            handlerPrefix = Paths.check(handlerPrefix);
            if (maxRequestBodySize <= 0) {
                throw new IllegalArgumentException("max_request_body_size must be > 0");
            }
        }

        public Stream withEnabled(boolean v) {
            return new Stream(v, handlerPrefix, maxRequestBodySize);
        }
    }

    /**
     * {@code uni_websocket.*}.
     *
     * @param messageSizeLimit      largest message (the connect request) a client may send; bigger closes (1009)
     * @param disableDisconnectPush close with the close frame only, without sending the disconnect push first
     */
    public record WebSocket(boolean enabled, String handlerPrefix, int messageSizeLimit,
                            boolean disableDisconnectPush) {
        public WebSocket {
            handlerPrefix = Paths.check(handlerPrefix);
            if (messageSizeLimit <= 0) {
                throw new IllegalArgumentException("uni_websocket.message_size_limit must be > 0");
            }
        }

        public WebSocket withEnabled(boolean v) {
            return new WebSocket(v, handlerPrefix, messageSizeLimit, disableDisconnectPush);
        }
    }

    /** Endpoint paths must be absolute. */
    private static final class Paths {
        static String check(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("handler_prefix must start with '/', got " + path);
            }
            return path;
        }
    }
}
