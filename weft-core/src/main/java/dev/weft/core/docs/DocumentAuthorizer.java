package dev.weft.core.docs;

import dev.weft.core.CommandFailedException;
import dev.weft.core.Node;
import dev.weft.core.auth.ConnectToken;
import dev.weft.core.auth.InvalidTokenException;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.ChannelRules;
import dev.weft.core.channel.Permissions;
import dev.weft.core.docs.hooks.DocumentHooks;
import dev.weft.core.docs.hooks.HookCaller;

/**
 * Decides who may read and who may change a document. A document is a channel: {@code <namespace>:<room>}
 * with {@code docs.namespace} set, else the room name itself (so a room {@code notes:42} lives in namespace
 * {@code notes}); that channel's namespace options and the connection token decide, with the rules of the
 * client protocol:
 * <ul>
 *   <li>who: no token → anonymous when {@code client.insecure} or
 *       {@code client.allow_anonymous_connect_without_token}, else refused; a token must verify
 *       ({@code client.token.*}: signature, {@code exp}, {@code aud}/{@code iss}) and not be revoked, else
 *       refused ({@link DocumentError#UNAUTHORIZED}); in insecure mode an invalid token counts as anonymous;</li>
 *   <li>read: the channel is in the token's {@code subs}/{@code channels} claim, or the namespace lets the
 *       client subscribe ({@code allow_subscribe_for_client}, plus {@code allow_subscribe_for_anonymous} for
 *       anonymous ones), or it is a user-limited channel ({@code #}) naming the user; private ({@code $})
 *       channels need the claim;</li>
 *   <li>write: readers for whom the namespace allows publishing ({@code allow_publish_for_subscriber}, or
 *       {@code allow_publish_for_client} plus {@code allow_publish_for_anonymous} for anonymous ones);
 *       other readers are read-only.</li>
 * </ul>
 * Insecure mode ({@code client.insecure}) grants read-write to everyone. With a connect hook
 * ({@link DocumentHooks#authenticates}) the backend decides instead, from the token and the request; the
 * room's channel must still name a known namespace.
 *
 * <p>Thread-safe (stateless apart from the node). May block (JWKS fetch): call from virtual threads.
 */
public final class DocumentAuthorizer {
    private final Node node;
    private final String namespace;
    private final DocumentTokenWatch tokens;
    private final DocumentHooks hooks;

    /** @param namespace {@code docs.namespace}; "" = the room name is the channel name */
    public DocumentAuthorizer(Node node, String namespace) {
        this(node, namespace, DocumentHooks.NONE);
    }

    /** @param hooks whose connect hook, when it has one, decides instead of tokens and permissions */
    public DocumentAuthorizer(Node node, String namespace, DocumentHooks hooks) {
        this.node = node;
        this.namespace = namespace == null ? "" : namespace;
        this.hooks = hooks;
        this.tokens = new DocumentTokenWatch(node.tokenRevocations(), node.timer(), node.clock());
    }

    /** The channel namespace {@code room} belongs to ("" for channels without one): what store quotas count by. */
    public String namespaceOf(String room) {
        return node.rules().namespaceOf(channelFor(room));
    }

    /** The channel whose options and permissions govern {@code room}. */
    public String channelFor(String room) {
        return namespace.isEmpty() ? room : namespace + node.config().channels().namespaceBoundary() + room;
    }

    /**
     * What the holder of {@code token} ("" = none) may do in {@code room}, and the token it rests on.
     *
     * @throws DocumentAccessDenied {@link DocumentError#UNAUTHORIZED} for a missing or bad token,
     *                              {@link DocumentError#FORBIDDEN} when the token does not grant reading
     */
    public DocumentGrant authorize(String room, String token) throws DocumentAccessDenied {
        return authorize(room, new HookCaller("api", token, null, null));
    }

    /**
     * What {@code caller} may do in {@code room}: decided by the connect hook when there is one, else by
     * {@code caller}'s token as {@link #authorize(String, String)} says.
     *
     * @throws DocumentAccessDenied as {@link #authorize(String, String)}, or the hook refused or failed
     */
    public DocumentGrant authorize(String room, HookCaller caller) throws DocumentAccessDenied {
        if (hooks.authenticates(room)) {
            optionsFor(room);
            return hooks.authenticate(room, caller);
        }
        ConnectToken who = authenticate(caller.token());
        return new DocumentGrant(access(room, who), who.user(), who.jti(), who.issuedAt(), who.expireAt());
    }

    /**
     * Runs {@code end} once when the token behind {@code grant} expires or is revoked (its {@code jti}, or its
     * user's tokens); {@code end} must not block. The returned action stops watching (call it when the peer
     * leaves).
     */
    public Runnable watch(DocumentGrant grant, Runnable end) {
        return tokens.watch(grant, end);
    }

    private DocumentAccess access(String room, ConnectToken who) throws DocumentAccessDenied {
        boolean insecure = node.config().client().insecure();
        String channel = channelFor(room);
        ChannelOptions options = optionsFor(room);
        if (insecure) {
            return DocumentAccess.READ_WRITE;
        }
        boolean anonymous = who.user().isEmpty();
        ChannelRules rules = node.rules();
        boolean read = who.subs().containsKey(channel)
                || (!rules.isPrivate(channel) && (rules.isUserLimited(channel) && options.allowUserLimitedChannels()
                ? rules.userAllowed(channel, who.user())
                : Permissions.maySubscribe(options, anonymous)));
        if (!read) {
            throw new DocumentAccessDenied(DocumentError.FORBIDDEN, "no permission to read document " + room);
        }
        return Permissions.mayPublish(options, anonymous, true) ? DocumentAccess.READ_WRITE : DocumentAccess.READ_ONLY;
    }

    private ChannelOptions optionsFor(String room) throws DocumentAccessDenied {
        try {
            return node.rules().optionsFor(channelFor(room));
        } catch (CommandFailedException e) {
            throw new DocumentAccessDenied(DocumentError.FORBIDDEN, "document " + room + ": " + e.getMessage());
        }
    }

    private ConnectToken authenticate(String token) throws DocumentAccessDenied {
        var client = node.config().client();
        if (token == null || token.isEmpty()) {
            if (client.insecure() || client.allowAnonymousConnectWithoutToken()) {
                return ConnectToken.anonymous();
            }
            throw new DocumentAccessDenied(DocumentError.UNAUTHORIZED, "a token is required");
        }
        ConnectToken verified;
        try {
            verified = node.tokenVerifier().verifyConnectToken(token);
        } catch (InvalidTokenException e) {
            if (client.insecure() && e.kind() == InvalidTokenException.Kind.INVALID) {
                return ConnectToken.anonymous();
            }
            throw new DocumentAccessDenied(DocumentError.UNAUTHORIZED, "token " + e.kind().name().toLowerCase(
                    java.util.Locale.ROOT) + ": " + e.getMessage());
        }
        var revocations = node.tokenRevocations();
        if (revocations.isRevoked(verified.jti())
                || (!verified.user().isEmpty() && revocations.isInvalidated(verified.user(), verified.issuedAt()))) {
            throw new DocumentAccessDenied(DocumentError.UNAUTHORIZED, "token revoked");
        }
        if (verified.user().isEmpty() && client.disallowAnonymousConnectionTokens()) {
            throw new DocumentAccessDenied(DocumentError.UNAUTHORIZED, "anonymous connection tokens are disallowed");
        }
        return verified;
    }
}
