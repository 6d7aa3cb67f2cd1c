package dev.weft.server.admin;

import java.util.function.LongSupplier;

/**
 * Running totals the admin UI turns into a messages-per-second chart. Only monotonic counts: the sampler
 * takes differences. Implementations are thread-safe.
 */
public interface ThroughputSource {
    /** For a node whose broker is not counted: the chart stays at zero. */
    ThroughputSource NONE = of(() -> 0, () -> 0);

    /** Publications this node has published into the broker (server API and clients). */
    long published();

    /** Publications the broker has delivered to this node for its subscribers. */
    long delivered();

    /** The totals {@code published} and {@code delivered} read (e.g. a counting broker's, or meters'). */
    static ThroughputSource of(LongSupplier published, LongSupplier delivered) {
        return new ThroughputSource() {
            @Override
            public long published() {
                return published.getAsLong();
            }

            @Override
            public long delivered() {
                return delivered.getAsLong();
            }
        };
    }
}
