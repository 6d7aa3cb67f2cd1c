package dev.weft.server.api.methods;


/**
 * Who this node is for {@code info}: its id (the node's, random per run), its name, the version, and when it started
 * ({@link System#nanoTime()}). Immutable.
 */
public record NodeIdentity(String uid, String name, String version, long startedNanos) {

    public static NodeIdentity startingNow(String uid, String name, String version) {
        return new NodeIdentity(uid, name, version, System.nanoTime());
    }

    long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }
}
