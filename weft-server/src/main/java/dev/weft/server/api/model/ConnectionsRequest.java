package dev.weft.server.api.model;

@Doc("A user's connections on this node, as Centrifugo PRO's `connections` (without its filter expressions).")
public record ConnectionsRequest(
        @Doc("User ID; empty = every connection of this node, anonymous ones included.") String user,
        @Doc("At most this many connections (default and maximum 1000).") int limit) {
    public static final int MAX_LIMIT = 1000;

    public ConnectionsRequest {
        user = user == null ? "" : user;
        limit = limit <= 0 || limit > MAX_LIMIT ? MAX_LIMIT : limit;
    }
}
