package dev.weft.server.api.methods;

import java.util.UUID;

/**
 * Who this node is for {@code info}: a random ID per run, its name, the version, and when it started
 * ({@link System#nanoTime()}). Immutable.
 */
public record NodeIdentity(String uid, String name, String version, long startedNanos) {

    public static NodeIdentity startingNow(String name, String version) {
        return new NodeIdentity(UUID.randomUUID().toString(), name, version, System.nanoTime());
    }

    long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }
}
