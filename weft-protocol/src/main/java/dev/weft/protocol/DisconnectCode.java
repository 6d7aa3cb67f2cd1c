package dev.weft.protocol;

import dev.weft.protocol.model.Disconnect;

/**
 * Disconnect codes with their documented meanings. The SDKs reconnect after 3000–3499 (and 4000–4499,
 * ≥ 5000); 3500–3999 and 4500–4999 are terminal. On WebSocket the code and reason travel in the close
 * frame; the reason must stay under 123 bytes.
 */
public enum DisconnectCode {
    CONNECTION_CLOSED(3000, "connection closed"),
    SHUTDOWN(3001, "shutdown"),
    SERVER_ERROR(3004, "internal server error"),
    EXPIRED(3005, "connection expired"),
    SUBSCRIPTION_EXPIRED(3006, "subscription expired"),
    SLOW(3008, "slow"),
    WRITE_ERROR(3009, "write error"),
    INSUFFICIENT_STATE(3010, "insufficient state"),
    FORCE_RECONNECT(3011, "force reconnect"),
    NO_PONG(3012, "no pong"),
    TOO_MANY_REQUESTS(3013, "too many requests"),
    /** The connection's token (or cached state) is no longer valid: SDKs drop the token, get a new one, reconnect. */
    STATE_INVALIDATED(3014, "state invalidated"),
    INVALID_TOKEN(3500, "invalid token"),
    BAD_REQUEST(3501, "bad request"),
    STALE(3502, "stale"),
    FORCE_NO_RECONNECT(3503, "force disconnect"),
    CONNECTION_LIMIT(3504, "connection limit"),
    CHANNEL_LIMIT(3505, "channel limit"),
    INAPPROPRIATE_PROTOCOL(3506, "inappropriate protocol"),
    PERMISSION_DENIED(3507, "permission denied"),
    NOT_AVAILABLE(3508, "not available"),
    TOO_MANY_ERRORS(3509, "too many errors"),
    MESSAGE_SIZE_LIMIT(1009, "message too big");

    private final int code;
    private final String reason;
    private final Disconnect disconnect;

    DisconnectCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
        this.disconnect = new Disconnect(code, reason, reconnects(code));
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The wire form of this disconnect. */
    public Disconnect disconnect() {
        return disconnect;
    }

    /** Whether an SDK should reconnect after a disconnect with {@code code}. */
    public static boolean reconnects(int code) {
        return code < 3500 || code >= 5000 || (code >= 4000 && code < 4500);
    }
}
