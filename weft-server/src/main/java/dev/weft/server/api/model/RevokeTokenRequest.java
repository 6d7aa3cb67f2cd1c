package dev.weft.server.api.model;

@Doc("Revoke a token by its ID (`jti` claim): connecting or refreshing with it fails from now on.")
public record RevokeTokenRequest(
        @Doc(value = "Token ID (`jti`).", required = true) String uid,
        @Doc("When the revocation may be forgotten (the token's own `exp`), Unix seconds; 0 = keep it 30 days.")
        long expireAt) {
    public RevokeTokenRequest {
        uid = uid == null ? "" : uid;
    }
}
