package dev.weft.server.api.model;

@Doc("Refresh a user's connections: a new expiry (`refresh` push), new connection info, or expire them now.")
public record RefreshRequest(
        @Doc(value = "User to refresh.", required = true) String user,
        @Doc("Only this client (connection) of the user.") String client,
        @Doc("Expire the connections now: they are disconnected with 3005 \"connection expired\".")
        boolean expired,
        @Doc("New expiry, Unix seconds; in the past = expire now; 0 = never expires.") long expireAt,
        @Doc("New connection info.") JsonPayload info,
        @Doc("Session filter. Not supported: refused with 107.") String session) {

    public RefreshRequest {
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        session = session == null ? "" : session;
    }
}
