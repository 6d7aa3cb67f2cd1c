package dev.weft.server.admin;

/**
 * Running totals the admin UI turns into a messages-per-second chart. Only monotonic counts: the sampler
 * takes differences. Implementations are thread-safe.
 */
public interface ThroughputSource {

    /** Publications this node has published into the broker (server API and clients). */
    long published();

    /** Publications the broker has delivered to this node for its subscribers. */
    long delivered();
}
