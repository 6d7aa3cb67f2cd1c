package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.core.client.ClientSession;

import java.util.List;

/** The connections of a user on this node, optionally narrowed to one client ID. */
final class Sessions {
    private Sessions() {
    }

    static List<ClientSession> of(Node node, String user, String client) {
        return node.hub().userSessions(user).stream()
                .filter(s -> client.isEmpty() || s.clientId().equals(client))
                .toList();
    }
}
