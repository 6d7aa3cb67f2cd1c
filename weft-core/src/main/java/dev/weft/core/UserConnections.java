package dev.weft.core;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which connections of a user a control operation ({@link Node#disconnect}, {@link Node#subscribe}, …) reaches:
 * all of them, or the one with a client id, less those kept out. A value, so the same target can be sent to
 * every node of a cluster.
 *
 * @param user   the user id ("" = the anonymous connections)
 * @param client one client id, or "" for every connection of the user
 * @param except client ids left alone (the server API's disconnect {@code whitelist})
 */
public record UserConnections(String user, String client, Set<String> except) {
    public UserConnections {
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        except = except == null ? Set.of()
                : except.stream().filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
    }

    /** Every connection of {@code user}. */
    public static UserConnections of(String user) {
        return new UserConnections(user, "", Set.of());
    }

    /** The connection of {@code user} with {@code client} as its client id; "" = every connection. */
    public static UserConnections of(String user, String client) {
        return new UserConnections(user, client, Set.of());
    }

    /** Whether the connection with this client id is targeted (its user already matched). */
    public boolean includes(String clientId) {
        return (client.isEmpty() || client.equals(clientId)) && !except.contains(clientId);
    }
}
