package dev.weft.server.api.methods;

import dev.weft.core.Node;
import dev.weft.server.api.ApiException;
import dev.weft.server.api.ApiMethod;
import dev.weft.server.api.model.ApiError;
import dev.weft.server.api.model.EmptyResult;
import dev.weft.server.api.model.InvalidateUserTokensRequest;
import dev.weft.server.api.model.RevokeTokenRequest;

import java.util.List;

/**
 * {@code revoke_token} and {@code invalidate_user_tokens} (Centrifugo PRO's API, standard in Weft):
 * {@link Node#revokeToken} and {@link Node#invalidateUserTokens}. Thread-safe.
 */
public final class TokenMethods {
    private final Node node;

    public TokenMethods(Node node) {
        this.node = node;
    }

    public List<ApiMethod<?, ?>> methods() {
        return List.of(
                ApiMethod.of("revoke_token", "Revoke a token by its ID (jti)", RevokeTokenRequest.class,
                        EmptyResult.class, "{\"uid\":\"token-id\",\"expire_at\":4102444800}", this::revokeToken),
                ApiMethod.of("invalidate_user_tokens", "Invalidate every token of a user issued before a time",
                        InvalidateUserTokensRequest.class, EmptyResult.class, "{\"user\":\"42\"}",
                        this::invalidateUserTokens));
    }

    EmptyResult revokeToken(RevokeTokenRequest r) {
        if (r.uid().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        node.revokeToken(r.uid(), r.expireAt());
        return EmptyResult.INSTANCE;
    }

    EmptyResult invalidateUserTokens(InvalidateUserTokensRequest r) {
        if (r.user().isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST);
        }
        Payloads.unsupported(!r.channel().isEmpty(), "channel");
        node.invalidateUserTokens(r.user(), r.issuedBefore());
        return EmptyResult.INSTANCE;
    }
}
