package dev.weft.server.api.model;

@Doc("Subscribe a user's connections on this node to a channel (server-side subscription, `subscribe` push).")
public record SubscribeRequest(
        @Doc(value = "Channel to subscribe to.", required = true) String channel,
        @Doc(value = "User whose connections are subscribed.", required = true) String user,
        @Doc("Subscription expiry. Not supported yet: a value > 0 is refused with 107.") long expireAt,
        @Doc("Channel info for presence and join/leave.") JsonPayload info,
        @Doc("Channel info, base64-encoded binary.") String b64info,
        @Doc("Only this client (connection) of the user.") String client,
        @Doc("Data sent to the client in the `subscribe` push.") JsonPayload data,
        @Doc("Push data, base64-encoded binary.") String b64data,
        @Doc("Position to recover from. Not supported yet: refused with 107.") StreamPosition recoverSince,
        @Doc("Channel options overridden for this subscription.") SubscribeOverride override,
        @Doc("Session filter. Not supported (Weft has no connect proxy to tell sessions): refused with 107.")
        String session) {

    public SubscribeRequest {
        channel = channel == null ? "" : channel;
        user = user == null ? "" : user;
        client = client == null ? "" : client;
        session = session == null ? "" : session;
    }
}
