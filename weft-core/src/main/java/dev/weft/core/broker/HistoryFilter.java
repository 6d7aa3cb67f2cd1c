package dev.weft.core.broker;

import dev.weft.protocol.model.StreamPosition;

import java.time.Duration;

/**
 * What to read from a stream.
 *
 * <ul>
 *   <li>{@code since == null}: from the oldest kept publication (or the newest, with {@code reverse}).
 *   <li>{@code since != null}: publications with offset greater than {@code since.offset()} (with
 *       {@code reverse}: smaller), whatever the epoch — comparing epochs is the caller's job.
 *   <li>{@code limit}: at most this many; 0 returns none (position only); negative means no limit.
 *   <li>{@code metaTtl}: extends the stream meta's life like a publish would ({@link Duration#ZERO} =
 *       leave as is).
 * </ul>
 */
public record HistoryFilter(StreamPosition since, int limit, boolean reverse, Duration metaTtl) {

    public static final HistoryFilter POSITION_ONLY = new HistoryFilter(null, 0, false, Duration.ZERO);

    public HistoryFilter {
        metaTtl = metaTtl == null ? Duration.ZERO : metaTtl;
    }

    public static HistoryFilter all() {
        return new HistoryFilter(null, -1, false, Duration.ZERO);
    }

    public static HistoryFilter since(StreamPosition since, int limit) {
        return new HistoryFilter(since, limit, false, Duration.ZERO);
    }
}
