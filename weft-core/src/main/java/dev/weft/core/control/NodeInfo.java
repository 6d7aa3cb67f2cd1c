package dev.weft.core.control;

/**
 * What a node tells the others in its heartbeat, and {@code info} lists for each node.
 *
 * @param id            the node's id (random per start)
 * @param name          its configured name
 * @param version       the server version it runs
 * @param clients       connections it holds
 * @param users         distinct users among them
 * @param channels      channels with a subscriber on it
 * @param subscriptions subscriptions of its connections
 * @param uptimeSeconds seconds since it started
 */
public record NodeInfo(String id, String name, String version, int clients, int users, int channels,
                       int subscriptions, long uptimeSeconds) {
}
