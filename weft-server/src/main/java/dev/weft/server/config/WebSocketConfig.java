package dev.weft.server.config;

/**
 * {@code websocket.*}: {@code messageSizeLimit} is the largest frame (bytes) a client may send; a bigger
 * one closes the connection with WebSocket code 1009.
 */
public record WebSocketConfig(int messageSizeLimit) {
    public static final WebSocketConfig DEFAULT = new WebSocketConfig(65536);

    public WebSocketConfig {
        if (messageSizeLimit <= 0) {
            throw new IllegalArgumentException("websocket.message_size_limit must be > 0");
        }
    }
}
