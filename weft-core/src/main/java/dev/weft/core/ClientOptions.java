package dev.weft.core;

import java.time.Duration;

/**
 * Connection-level behaviour, named after Centrifugo v6's {@code client.*} options.
 *
 * @param insecure                          accept connections without a token as user "" (local development)
 * @param allowAnonymousConnectWithoutToken accept connect without a token as anonymous user ""
 * @param tokenHmacSecretKey                HMAC key for connection JWTs (HS256/384/512); "" = none
 * @param pingInterval                      server sends {@code {}} this often; the client answers
 * @param pongTimeout                       how long after a ping a pong must arrive
 * @param staleCloseDelay                   a socket that has not sent connect by then is closed (stale)
 * @param expiredCloseDelay                 grace after token expiry for the client to refresh
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
 */
public record ClientOptions(
        boolean insecure,
        boolean allowAnonymousConnectWithoutToken,
        String tokenHmacSecretKey,
        Duration pingInterval,
        Duration pongTimeout,
        Duration staleCloseDelay,
        Duration expiredCloseDelay,
        int channelLimit,
        int userConnectionLimit,
        long queueMaxSize,
        Duration presenceUpdateInterval,
        Duration presenceTtl,
        int historyMaxPublicationLimit,
        int recoveryMaxPublicationLimit,
        String tokenCookieName,
        boolean subscribeToUserPersonalChannel,
        String personalChannelNamespace) {

    public static final ClientOptions DEFAULT = builder().build();

    public ClientOptions {
        tokenHmacSecretKey = tokenHmacSecretKey == null ? "" : tokenHmacSecretKey;
        tokenCookieName = tokenCookieName == null ? "" : tokenCookieName;
        personalChannelNamespace = personalChannelNamespace == null ? "" : personalChannelNamespace;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .insecure(insecure)
                .allowAnonymousConnectWithoutToken(allowAnonymousConnectWithoutToken)
                .tokenHmacSecretKey(tokenHmacSecretKey)
                .pingInterval(pingInterval)
                .pongTimeout(pongTimeout)
                .staleCloseDelay(staleCloseDelay)
                .expiredCloseDelay(expiredCloseDelay)
                .channelLimit(channelLimit)
                .userConnectionLimit(userConnectionLimit)
                .queueMaxSize(queueMaxSize)
                .presenceUpdateInterval(presenceUpdateInterval)
                .presenceTtl(presenceTtl)
                .historyMaxPublicationLimit(historyMaxPublicationLimit)
                .recoveryMaxPublicationLimit(recoveryMaxPublicationLimit)
                .tokenCookieName(tokenCookieName)
                .subscribeToUserPersonalChannel(subscribeToUserPersonalChannel)
                .personalChannelNamespace(personalChannelNamespace);
    }

    /** Mutable builder with Centrifugo's defaults; not thread-safe. */
    public static final class Builder {
        private boolean insecure;
        private boolean allowAnonymousConnectWithoutToken;
        private String tokenHmacSecretKey = "";
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(8);
        private Duration staleCloseDelay = Duration.ofSeconds(10);
        private Duration expiredCloseDelay = Duration.ofSeconds(25);
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

        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder allowAnonymousConnectWithoutToken(boolean v) { allowAnonymousConnectWithoutToken = v; return this; }
        public Builder tokenHmacSecretKey(String v) { tokenHmacSecretKey = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pongTimeout(Duration v) { pongTimeout = v; return this; }
        public Builder staleCloseDelay(Duration v) { staleCloseDelay = v; return this; }
        public Builder expiredCloseDelay(Duration v) { expiredCloseDelay = v; return this; }
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

        public ClientOptions build() {
            return new ClientOptions(insecure, allowAnonymousConnectWithoutToken, tokenHmacSecretKey, pingInterval,
                    pongTimeout, staleCloseDelay, expiredCloseDelay, channelLimit, userConnectionLimit,
                    queueMaxSize, presenceUpdateInterval, presenceTtl, historyMaxPublicationLimit,
                    recoveryMaxPublicationLimit, tokenCookieName, subscribeToUserPersonalChannel,
                    personalChannelNamespace);
        }
    }
}
