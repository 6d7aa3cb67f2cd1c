package dev.weft.server.api.model;

@Doc("Invalidate every token of a user issued (`iat`) before a time.")
public record InvalidateUserTokensRequest(
        @Doc("When the invalidation may be forgotten, Unix seconds; 0 = keep it. Weft keeps it until restart "
                + "either way (in memory), which is never shorter than asked.") long expireAt,
        @Doc(value = "User whose tokens are invalidated.", required = true) String user,
        @Doc("Tokens issued before this Unix time are refused; 0 = now.") long issuedBefore,
        @Doc("Only subscription tokens of this channel. Not supported yet: refused with 107.") String channel) {
    public InvalidateUserTokensRequest {
        user = user == null ? "" : user;
        channel = channel == null ? "" : channel;
    }
}
