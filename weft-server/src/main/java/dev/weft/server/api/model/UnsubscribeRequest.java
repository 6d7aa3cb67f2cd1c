package dev.weft.server.api.model;

@Doc("Unsubscribe a user's connections on this node from a channel (`unsubscribe` push).")
public record UnsubscribeRequest(
        @Doc(value = "Channel to unsubscribe from.", required = true) String channel,
        @Doc(value = "User whose connections are unsubscribed.", required = true) String user,
        @Doc("Only this client (connection) of the user.") String client,
        @Doc("Session filter. Not supported: refused with 107.") String session) {

    public UnsubscribeRequest {
        channel = channel == null ? "" : channel;
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        session = session == null ? "" : session;
    }
}
