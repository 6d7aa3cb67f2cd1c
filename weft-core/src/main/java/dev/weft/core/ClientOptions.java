package dev.weft.core;

import dev.weft.core.auth.TokenOptions;

import java.time.Duration;

/**
 * Connection-level behaviour, named after Centrifugo v6's {@code client.*} options.
 *
 * @param insecure                          accept connections without a token as user "" (local development)
 * @param allowAnonymousConnectWithoutToken accept connect without a token as anonymous user ""
 * @param token                             keys and claim checks for connection JWTs ({@code client.token.*});
 *                                          also for subscription JWTs unless {@code subscriptionTokenEnabled}
 * @param subscriptionTokenEnabled          check subscription JWTs with {@code subscriptionToken} instead
 * @param subscriptionToken                 {@code client.subscription_token.*}: keys for subscription JWTs
 * @param disallowAnonymousConnectionTokens refuse connection tokens with an empty user ID
 * @param pingInterval                      server sends {@code {}} this often; the client answers
 * @param pongTimeout                       how long after a ping a pong must arrive
 * @param staleCloseDelay                   a socket that has not sent connect by then is closed (stale)
 * @param expiredCloseDelay                 grace after token expiry for the client to refresh
 * @param expiredSubCloseDelay              grace after a subscription token expires for the client to refresh it
 * @param channelLimit                      channels one connection may subscribe to (0 = no limit)
 * @param userConnectionLimit               connections one user may hold on this node (0 = no limit)
 * @param queueMaxSize                      bytes a connection may have waiting to be written
 * @param presenceUpdateInterval            how often a connection refreshes its presence entries
 * @param presenceTtl                       how long a presence entry lives without refresh
 * @param historyMaxPublicationLimit        at most this many publications per history call
 * @param recoveryMaxPublicationLimit       a recovery needing more than this many is not attempted
 * @param tokenCookieName                   cookie HTTP transports read the connection token from; "" = none
 * @param subscribeToUserPersonalChannel    subscribe every connection with a user ID to its personal channel
 *                                          ({@code #42}, or {@code <namespace>:#42}) server-side
 * @param personalChannelNamespace          namespace of the personal channel; "" = channels without namespace
 * @param commandRateLimit                  commands per second one connection may send, sustained (0 = no limit);
 *                                          a command over it is refused with 111
 * @param commandRateBurst                  commands one connection may send at once before the rate applies
 * @param commandRefusalLimit               commands refused within about a second before the connection is
 *                                          closed with 3013 (0 = never close for that)
 * @param connectionLimit                   connections this node accepts in all (0 = no limit); enforced by the
 *                                          transports before the upgrade (503)
 * @param connectionRateLimit               new connections per second this node accepts (0 = no limit);
 *                                          enforced by the transports before the upgrade (503)
 * @param ipConnectionRateLimit             connection attempts per second from one client address (0 = no
 *                                          limit); enforced by the transports before the upgrade (429)
 * @param ipConnectionRateBurst             connection attempts one address may make at once
 * @param concurrency                       commands of one connection processed at once (0 or 1 = one after
 *                                          another); above 1, rpc, publish, history and presence commands may
 *                                          run beside the others ({@code client.concurrency})
 */
public record ClientOptions(
        boolean insecure,
        boolean allowAnonymousConnectWithoutToken,
        TokenOptions token,
        boolean subscriptionTokenEnabled,
        TokenOptions subscriptionToken,
        boolean disallowAnonymousConnectionTokens,
        Duration pingInterval,
        Duration pongTimeout,
        Duration staleCloseDelay,
        Duration expiredCloseDelay,
        Duration expiredSubCloseDelay,
        int channelLimit,
        int userConnectionLimit,
        long queueMaxSize,
        Duration presenceUpdateInterval,
        Duration presenceTtl,
        int historyMaxPublicationLimit,
        int recoveryMaxPublicationLimit,
        String tokenCookieName,
        boolean subscribeToUserPersonalChannel,
        String personalChannelNamespace,
        int commandRateLimit,
        int commandRateBurst,
        int commandRefusalLimit,
        int connectionLimit,
        int connectionRateLimit,
        int ipConnectionRateLimit,
        int ipConnectionRateBurst,
        int concurrency) {

    public static final ClientOptions DEFAULT = builder().build();

    public ClientOptions {
        token = token == null ? TokenOptions.NONE : token;
        subscriptionToken = subscriptionToken == null ? TokenOptions.NONE : subscriptionToken;
        tokenCookieName = tokenCookieName == null ? "" : tokenCookieName;
        personalChannelNamespace = personalChannelNamespace == null ? "" : personalChannelNamespace;
    }

    /** {@code client.token.hmac_secret_key}; "" = none. */
    public String tokenHmacSecretKey() {
        return token.hmacSecretKey();
    }

    /** The options subscription tokens are checked with: their own when enabled, else the connection's. */
    public TokenOptions effectiveSubscriptionToken() {
        return subscriptionTokenEnabled ? subscriptionToken : token;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .insecure(insecure)
                .allowAnonymousConnectWithoutToken(allowAnonymousConnectWithoutToken)
                .token(token)
                .subscriptionTokenEnabled(subscriptionTokenEnabled)
                .subscriptionToken(subscriptionToken)
                .disallowAnonymousConnectionTokens(disallowAnonymousConnectionTokens)
                .pingInterval(pingInterval)
                .pongTimeout(pongTimeout)
                .staleCloseDelay(staleCloseDelay)
                .expiredCloseDelay(expiredCloseDelay)
                .expiredSubCloseDelay(expiredSubCloseDelay)
                .channelLimit(channelLimit)
                .userConnectionLimit(userConnectionLimit)
                .queueMaxSize(queueMaxSize)
                .presenceUpdateInterval(presenceUpdateInterval)
                .presenceTtl(presenceTtl)
                .historyMaxPublicationLimit(historyMaxPublicationLimit)
                .recoveryMaxPublicationLimit(recoveryMaxPublicationLimit)
                .tokenCookieName(tokenCookieName)
                .subscribeToUserPersonalChannel(subscribeToUserPersonalChannel)
                .personalChannelNamespace(personalChannelNamespace)
                .commandRateLimit(commandRateLimit)
                .commandRateBurst(commandRateBurst)
                .commandRefusalLimit(commandRefusalLimit)
                .connectionLimit(connectionLimit)
                .connectionRateLimit(connectionRateLimit)
                .ipConnectionRateLimit(ipConnectionRateLimit)
                .ipConnectionRateBurst(ipConnectionRateBurst)
                .concurrency(concurrency);
    }

    /** Mutable builder with Centrifugo's defaults; not thread-safe. */
    public static final class Builder {
        private boolean insecure;
        private boolean allowAnonymousConnectWithoutToken;
        private TokenOptions token = TokenOptions.NONE;
        private boolean subscriptionTokenEnabled;
        private TokenOptions subscriptionToken = TokenOptions.NONE;
        private boolean disallowAnonymousConnectionTokens;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(8);
        private Duration staleCloseDelay = Duration.ofSeconds(10);
        private Duration expiredCloseDelay = Duration.ofSeconds(25);
        private Duration expiredSubCloseDelay = Duration.ofSeconds(25);
        private int channelLimit = 128;
        private int userConnectionLimit;
        private long queueMaxSize = 1024 * 1024;
        private Duration presenceUpdateInterval = Duration.ofSeconds(27);
        private Duration presenceTtl = Duration.ofSeconds(60);
        private int historyMaxPublicationLimit = 300;
        private int recoveryMaxPublicationLimit = 300;
        private String tokenCookieName = "";
        private boolean subscribeToUserPersonalChannel;
        private String personalChannelNamespace = "";
        // Off by default, as in Centrifugo: legitimate clients pipeline thousands of publishes at once. When
        // on, the burst leaves room for a reconnect that resubscribes to channel_limit channels in one go.
        private int commandRateLimit;
        private int commandRateBurst = 200;
        private int commandRefusalLimit = 100;
        private int connectionLimit;
        private int connectionRateLimit;
        // Off by default: behind a proxy every client shares the proxy's address.
        private int ipConnectionRateLimit;
        private int ipConnectionRateBurst = 20;
        private int concurrency;

        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder allowAnonymousConnectWithoutToken(boolean v) { allowAnonymousConnectWithoutToken = v; return this; }
        /** Sets only the HMAC secret of {@link #token}, keeping its other settings. */
        public Builder tokenHmacSecretKey(String v) { token = token.toBuilder().hmacSecretKey(v).build(); return this; }
        public Builder token(TokenOptions v) { token = v; return this; }
        public Builder subscriptionTokenEnabled(boolean v) { subscriptionTokenEnabled = v; return this; }
        public Builder subscriptionToken(TokenOptions v) { subscriptionToken = v; return this; }
        public Builder disallowAnonymousConnectionTokens(boolean v) { disallowAnonymousConnectionTokens = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pongTimeout(Duration v) { pongTimeout = v; return this; }
        public Builder staleCloseDelay(Duration v) { staleCloseDelay = v; return this; }
        public Builder expiredCloseDelay(Duration v) { expiredCloseDelay = v; return this; }
        public Builder expiredSubCloseDelay(Duration v) { expiredSubCloseDelay = v; return this; }
        public Builder channelLimit(int v) { channelLimit = v; return this; }
        public Builder userConnectionLimit(int v) { userConnectionLimit = v; return this; }
        public Builder queueMaxSize(long v) { queueMaxSize = v; return this; }
        public Builder presenceUpdateInterval(Duration v) { presenceUpdateInterval = v; return this; }
        public Builder presenceTtl(Duration v) { presenceTtl = v; return this; }
        public Builder historyMaxPublicationLimit(int v) { historyMaxPublicationLimit = v; return this; }
        public Builder recoveryMaxPublicationLimit(int v) { recoveryMaxPublicationLimit = v; return this; }
        public Builder tokenCookieName(String v) { tokenCookieName = v; return this; }
        public Builder subscribeToUserPersonalChannel(boolean v) { subscribeToUserPersonalChannel = v; return this; }
        public Builder personalChannelNamespace(String v) { personalChannelNamespace = v; return this; }
        public Builder commandRateLimit(int v) { commandRateLimit = v; return this; }
        public Builder commandRateBurst(int v) { commandRateBurst = v; return this; }
        public Builder commandRefusalLimit(int v) { commandRefusalLimit = v; return this; }
        public Builder connectionLimit(int v) { connectionLimit = v; return this; }
        public Builder connectionRateLimit(int v) { connectionRateLimit = v; return this; }
        public Builder ipConnectionRateLimit(int v) { ipConnectionRateLimit = v; return this; }
        public Builder ipConnectionRateBurst(int v) { ipConnectionRateBurst = v; return this; }
        public Builder concurrency(int v) { concurrency = v; return this; }

        public ClientOptions build() {
            return new ClientOptions(insecure, allowAnonymousConnectWithoutToken, token, subscriptionTokenEnabled,
                    subscriptionToken, disallowAnonymousConnectionTokens, pingInterval, pongTimeout, staleCloseDelay,
                    expiredCloseDelay, expiredSubCloseDelay, channelLimit, userConnectionLimit,
                    queueMaxSize, presenceUpdateInterval, presenceTtl, historyMaxPublicationLimit,
                    recoveryMaxPublicationLimit, tokenCookieName, subscribeToUserPersonalChannel,
                    personalChannelNamespace, commandRateLimit, commandRateBurst,
                    commandRefusalLimit, connectionLimit, connectionRateLimit, ipConnectionRateLimit,
                    ipConnectionRateBurst, concurrency);
        }
    }
}
