package dev.weft.core.client;

import dev.weft.core.CommandFailedException;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.auth.InvalidTokenException;
import dev.weft.core.auth.SubscriptionToken;
import dev.weft.core.auth.TokenRevocations;
import dev.weft.core.auth.TokenSubscription;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.ChannelRules;
import dev.weft.core.channel.Permissions;
import dev.weft.protocol.DisconnectCode;
import dev.weft.protocol.ErrorCode;

/**
 * Decides, for one node, who a connection is and what it may subscribe to: checks connection tokens (connect,
 * refresh), subscription tokens (subscribe, sub_refresh), token revocations, and the namespace permissions for
 * subscribing. {@link ClientSession} asks; this class answers with a result or throws what the client must be
 * told.
 *
 * <table>
 *   <caption>What a refused token earns, by command</caption>
 *   <tr><th>token is</th><th>connect</th><th>refresh</th><th>subscribe / sub_refresh</th></tr>
 *   <tr><td>invalid (signature, alg, aud, iss, claims)</td><td>disconnect 3500</td><td>disconnect 3500</td>
 *       <td>error 103</td></tr>
 *   <tr><td>expired or not yet valid</td><td>error 109</td><td>disconnect 3005</td><td>error 109</td></tr>
 *   <tr><td>revoked ({@code jti}) or user-invalidated</td><td>error 113</td><td>error 113</td>
 *       <td>error 113</td></tr>
 *   <tr><td>uncheckable now (JWKS unreachable)</td><td>error 100 (temporary)</td><td>error 100</td>
 *       <td>error 100</td></tr>
 *   <tr><td>for another user / channel / client</td><td>—</td><td>disconnect 3500</td><td>error 103</td></tr>
 * </table>
 * A refresh with an expired token disconnects with 3005 (reconnect) rather than answering 109, as Centrifuge
 * does: the SDKs treat a non-temporary refresh error as final and would stay disconnected.
 *
 * <p>Stateless apart from the node's services; thread-safe. Calls may block (JWKS fetch): use from the session's virtual
 * threads only.
 */
final class SessionAuthorizer {
    private final SessionServices services;

    SessionAuthorizer(SessionServices services) {
        this.services = services;
    }

    /**
     * What a subscribe may go ahead with: channel options (after the token's overrides), channel info and
     * data, and — when {@code viaToken} — the subscription token it rests on (expiry, {@code jti}, {@code iat}).
     */
    record SubscribeGrant(ChannelOptions options, byte[] info, byte[] data, long expireAt, String tokenJti,
                          long tokenIssuedAt, boolean viaToken) {
        static SubscribeGrant of(ChannelOptions options) {
            return new SubscribeGrant(options, null, null, 0, "", 0, false);
        }
    }

    // ---- connection tokens ---------------------------------------------------------------------------

    /** Who connects with {@code token} ("" = none). */
    ConnectToken authenticate(String token) {
        var options = services.config().client();
        if (token.isEmpty()) {
            if (options.insecure() || options.allowAnonymousConnectWithoutToken()) {
                return ConnectToken.anonymous();
            }
            throw new DisconnectException(DisconnectCode.BAD_REQUEST.disconnect(), "connect without a token");
        }
        ConnectToken verified;
        try {
            verified = verifyConnectToken(token);
        } catch (InvalidTokenException e) {
            if (options.insecure() && e.kind() == InvalidTokenException.Kind.INVALID) {
                return ConnectToken.anonymous();
            }
            throw switch (e.kind()) {
                case INVALID -> new DisconnectException(DisconnectCode.INVALID_TOKEN.disconnect(), e.getMessage());
                case EXPIRED -> new CommandFailedException(ErrorCode.TOKEN_EXPIRED, e.getMessage());
                case REVOKED -> new CommandFailedException(ErrorCode.TOKEN_REVOKED, e.getMessage());
                case UNAVAILABLE -> new CommandFailedException(ErrorCode.INTERNAL, e.getMessage());
            };
        }
        if (verified.user().isEmpty() && options.disallowAnonymousConnectionTokens()) {
            throw new DisconnectException(DisconnectCode.PERMISSION_DENIED.disconnect(),
                    "anonymous connection tokens are disallowed");
        }
        return verified;
    }

    /** The new token of a connection of {@code user}; it must be for the same user. */
    ConnectToken refresh(String token, String user) {
        ConnectToken verified;
        try {
            verified = verifyConnectToken(token);
        } catch (InvalidTokenException e) {
            throw switch (e.kind()) {
                case INVALID -> new DisconnectException(DisconnectCode.INVALID_TOKEN.disconnect(), e.getMessage());
                case EXPIRED -> new DisconnectException(DisconnectCode.EXPIRED.disconnect(),
                        "refresh with an expired token: " + e.getMessage());
                case REVOKED -> new CommandFailedException(ErrorCode.TOKEN_REVOKED, e.getMessage());
                case UNAVAILABLE -> new CommandFailedException(ErrorCode.INTERNAL, e.getMessage());
            };
        }
        if (!verified.user().equals(user)) {
            throw new DisconnectException(DisconnectCode.INVALID_TOKEN.disconnect(),
                    "refresh token is for user '" + verified.user() + "', connection is '" + user + "'");
        }
        return verified;
    }

    private ConnectToken verifyConnectToken(String token) throws InvalidTokenException {
        ConnectToken verified = services.tokenVerifier().verifyConnectToken(token);
        checkNotRevoked(verified.user(), verified.jti(), verified.issuedAt());
        return verified;
    }

    // ---- subscriptions -------------------------------------------------------------------------------

    /**
     * Whether the connection of {@code user} ({@code clientId}) may subscribe to {@code channel}: with a
     * subscription token when one is given (required for private channels), else by the namespace's
     * permissions and user-limited ({@code #}) channel rules.
     *
     * @throws CommandFailedException 103 when not allowed; 109/113/100 for a token expired, revoked or
     *                                uncheckable now
     */
    SubscribeGrant authorizeSubscribe(String channel, ChannelOptions options, String token, String user,
                                      String clientId) {
        if (!token.isEmpty()) {
            SubscriptionToken granted = verifySubscriptionToken(channel, token, user, clientId);
            TokenSubscription s = granted.subscription();
            return new SubscribeGrant(s.override().applyTo(options), s.info(), s.data(), granted.expireAt(),
                    granted.jti(), granted.issuedAt(), true);
        }
        if (services.config().client().insecure()) {
            return SubscribeGrant.of(options);
        }
        ChannelRules rules = services.rules();
        if (rules.isPrivate(channel)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "private channel needs a subscription token");
        }
        if (rules.isUserLimited(channel) && options.allowUserLimitedChannels()) {
            if (!user.isEmpty() && rules.userAllowed(channel, user)) {
                return SubscribeGrant.of(options);
            }
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "user not in user-limited channel");
        }
        if (!Permissions.maySubscribe(options, user.isEmpty())) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "subscribe not allowed in namespace");
        }
        return SubscribeGrant.of(options);
    }

    /** A fresh subscription token for {@code channel} (sub_refresh); same checks as at subscribe. */
    SubscriptionToken authorizeSubRefresh(String channel, String token, String user, String clientId) {
        if (token.isEmpty()) {
            throw new CommandFailedException(ErrorCode.BAD_REQUEST, "sub_refresh without a token");
        }
        return verifySubscriptionToken(channel, token, user, clientId);
    }

    private SubscriptionToken verifySubscriptionToken(String channel, String token, String user, String clientId) {
        SubscriptionToken granted;
        try {
            granted = services.subscriptionTokenVerifier().verifySubscriptionToken(token);
            checkNotRevoked(granted.user(), granted.jti(), granted.issuedAt());
        } catch (InvalidTokenException e) {
            throw new CommandFailedException(switch (e.kind()) {
                case INVALID -> ErrorCode.PERMISSION_DENIED;
                case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
                case REVOKED -> ErrorCode.TOKEN_REVOKED;
                case UNAVAILABLE -> ErrorCode.INTERNAL;
            }, e.getMessage());
        }
        if (!granted.channel().equals(channel)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "subscription token is for another channel");
        }
        if (!granted.user().equals(user)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "subscription token is for another user");
        }
        if (!granted.client().isEmpty() && !granted.client().equals(clientId)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED,
                    "subscription token is for another connection");
        }
        return granted;
    }

    // ---- channel operations ----------------------------------------------------------------------------

    /** Publish into a channel with {@code options}: the namespace must allow it for this client. */
    void checkPublish(ChannelOptions options, String user, boolean subscribed) {
        if (!services.config().client().insecure() && !Permissions.mayPublish(options, user.isEmpty(), subscribed)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "publish not allowed");
        }
    }

    /** Presence and presence stats of a channel with {@code options} (which must keep presence). */
    void checkPresence(ChannelOptions options, String user, boolean subscribed) {
        if (!services.config().client().insecure() && !Permissions.mayReadPresence(options, user.isEmpty(), subscribed)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "presence not allowed");
        }
    }

    /** History of a channel with {@code options} (which must keep history). */
    void checkHistory(ChannelOptions options, String user, boolean subscribed) {
        if (!services.config().client().insecure() && !Permissions.mayReadHistory(options, user.isEmpty(), subscribed)) {
            throw new CommandFailedException(ErrorCode.PERMISSION_DENIED, "history not allowed");
        }
    }

    /**
     * The disconnect standing in for an error reply where there is no reply (unidirectional connect), as
     * Centrifuge maps them: token expired → 3005 (reconnect with a new token), permission denied → 3507,
     * temporary failure → 3004 (reconnect), revoked token → 3500, anything else → 3501.
     */
    static DisconnectCode disconnectFor(CommandFailedException e) {
        int code = e.error().code();
        if (code == ErrorCode.TOKEN_EXPIRED.code()) {
            return DisconnectCode.EXPIRED;
        }
        if (code == ErrorCode.PERMISSION_DENIED.code()) {
            return DisconnectCode.PERMISSION_DENIED;
        }
        if (code == ErrorCode.TOKEN_REVOKED.code()) {
            return DisconnectCode.INVALID_TOKEN;
        }
        if (e.error().temporary()) {
            return DisconnectCode.SERVER_ERROR;
        }
        return DisconnectCode.BAD_REQUEST;
    }

    // ---- revocation ----------------------------------------------------------------------------------

    /**
     * Whether a token of {@code user} with {@code jti}, issued at {@code issuedAt}, was revoked meanwhile. The
     * anonymous user "" is never invalidated as a whole (it is everyone without an account).
     */
    boolean revoked(String user, String jti, long issuedAt) {
        TokenRevocations revocations = services.tokenRevocations();
        return revocations.isRevoked(jti) || (!user.isEmpty() && revocations.isInvalidated(user, issuedAt));
    }

    private void checkNotRevoked(String user, String jti, long issuedAt) throws InvalidTokenException {
        if (services.tokenRevocations().isRevoked(jti)) {
            throw InvalidTokenException.revoked("token " + jti + " was revoked");
        }
        if (!user.isEmpty() && services.tokenRevocations().isInvalidated(user, issuedAt)) {
            throw InvalidTokenException.revoked("tokens of user '" + user + "' issued at " + issuedAt
                    + " or without iat were invalidated");
        }
    }
}
