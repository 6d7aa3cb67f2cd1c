package dev.weft.server.api.model;

import java.util.List;

@Doc("Disconnect a user's connections on this node.")
public record DisconnectRequest(
        @Doc(value = "User to disconnect.", required = true) String user,
        @Doc("Code and reason; default 3503 \"force disconnect\" (the SDK does not reconnect).")
        Disconnect disconnect,
        @Doc("Only this client (connection) of the user.") String client,
        @Doc("Client IDs to keep connected.") List<String> whitelist,
        @Doc("Session filter. Not supported: refused with 107.") String session) {

    public DisconnectRequest {
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        whitelist = whitelist == null ? List.of() : whitelist;
        session = session == null ? "" : session;
    }
}
