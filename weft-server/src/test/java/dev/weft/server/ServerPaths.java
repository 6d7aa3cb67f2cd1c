package dev.weft.server;

import java.util.Set;

/** Test access to the paths a running server answers. */
public final class ServerPaths {
    private ServerPaths() {
    }

    public static Set<String> of(WeftServer server) {
        return Set.copyOf(server.paths());
    }
}
