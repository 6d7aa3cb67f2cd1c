package dev.weft.core.limits;

import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.ProtocolError;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How often each kind of request was refused, by reason: the operators' view of limits and abuse, kept
 * until metrics export it. A reason is a stable dotted key:
 *
 * <ul>
 *   <li>{@code command.<error>}: a client command answered with a protocol error, named after
 *       {@link ErrorCode} in lower case ({@code command.too_many_requests} for 111,
 *       {@code command.limit_exceeded} for 106, {@code command.permission_denied} for 103, …;
 *       {@code command.application_error} for codes an application handler chose);</li>
 *   <li>{@code disconnect.<reason>}: a connection closed because of what the client did, named after
 *       {@link DisconnectCode} ({@code disconnect.stale}, {@code disconnect.no_pong},
 *       {@code disconnect.too_many_requests}, {@code disconnect.message_size_limit}, …). Shutdown, server
 *       errors, forced disconnects and lost stream positions are not refusals and are not counted;</li>
 *   <li>{@code connection.<reason>}, {@code http.<reason>}: a connection refused before it was opened (any
 *       transport), the constants below.</li>
 * </ul>
 *
 * <p>Thread-safe and cheap on the hot path (one {@link LongAdder} per reason).
 */
public final class RefusalCounters {
    /** Connection refused with 403: the Origin is not allowed ({@code client.allowed_origins}). */
    public static final String CONNECTION_ORIGIN = "connection.origin";
    /** Connection refused with 429: the address connects too fast ({@code client.ip_connection_rate_limit}). */
    public static final String CONNECTION_ADDRESS_RATE = "connection.address_rate";
    /** Connection refused with 503: the node holds {@code client.connection_limit} connections. */
    public static final String CONNECTION_NODE_LIMIT = "connection.node_limit";
    /** Connection refused with 503: the node accepts connections too fast ({@code client.connection_rate_limit}). */
    public static final String CONNECTION_NODE_RATE = "connection.node_rate";
    /** A connection the kernel had completed could not be accepted (the open-file limit, mostly). */
    public static final String CONNECTION_ACCEPT_FAILED = "connection.accept_failed";
    /** Connection closed: no complete HTTP request in time (a silent socket, or headers sent a byte at a time). */
    public static final String HTTP_REQUEST_TIMEOUT = "http.request_timeout";
    /** Server API request refused with 401: no or a wrong API key. */
    public static final String API_KEY = "api.key";
    /** Server API request refused with 429: its address sent too many wrong API keys. */
    public static final String API_KEY_RATE = "api.key_rate";

    private static final Map<Integer, String> COMMAND_REASONS = Arrays.stream(ErrorCode.values())
            .collect(Collectors.toUnmodifiableMap(ErrorCode::code, c -> "command." + lower(c.name())));
    private static final Map<Integer, String> DISCONNECT_REASONS = Arrays.stream(DisconnectCode.values())
            .filter(RefusalCounters::isRefusal)
            .collect(Collectors.toUnmodifiableMap(DisconnectCode::code, c -> "disconnect." + lower(c.name())));
    private static final String APPLICATION_ERROR = "command.application_error";

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Function<String, LongAdder> newCounter = k -> new LongAdder();

    /** Counts one refusal for {@code reason}. */
    public void increment(String reason) {
        LongAdder counter = counters.get(reason);
        if (counter == null) {
            counter = counters.computeIfAbsent(reason, newCounter);
        }
        counter.increment();
    }

    /** Counts a command answered with {@code error}. */
    public void commandRefused(ProtocolError error) {
        increment(commandReason(error.code()));
    }

    /** Counts a disconnect if its code means the client was refused; other disconnects are ignored. */
    public void disconnected(Disconnect disconnect) {
        String reason = DISCONNECT_REASONS.get(disconnect.code());
        if (reason != null) {
            increment(reason);
        }
    }

    /** Refusals counted for {@code reason} so far. */
    public long count(String reason) {
        LongAdder counter = counters.get(reason);
        return counter == null ? 0 : counter.sum();
    }

    /** Every reason counted so far with its count, sorted by reason. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((reason, counter) -> out.put(reason, counter.sum()));
        return out;
    }

    /** The reason key of a command refused with protocol error {@code code}. */
    public static String commandReason(int code) {
        return COMMAND_REASONS.getOrDefault(code, APPLICATION_ERROR);
    }

    /** The reason key of a disconnect with {@code code}, or null when such a disconnect is not a refusal. */
    public static String disconnectReason(int code) {
        return DISCONNECT_REASONS.get(code);
    }

    private static boolean isRefusal(DisconnectCode code) {
        return switch (code) {
            case CONNECTION_CLOSED, SHUTDOWN, SERVER_ERROR, WRITE_ERROR, INSUFFICIENT_STATE, FORCE_RECONNECT,
                 FORCE_NO_RECONNECT -> false;
            default -> true;
        };
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "RefusalCounters" + snapshot();
    }
}
