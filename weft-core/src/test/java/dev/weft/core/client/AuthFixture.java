package dev.weft.core.client;

import dev.weft.core.ClientOptions;
import dev.weft.core.Node;
import dev.weft.core.NodeConfig;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.broker.MemoryBroker;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.core.presence.MemoryPresenceManager;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.SubscribeRequest;
import com.nimbusds.jose.JWSAlgorithm;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node for the authentication and authorization tests: channels without namespace and {@code room:*}
 * keep presence and history for subscribers and let authenticated clients subscribe; {@code users:*} allows
 * user-limited {@code #} channels; {@code $…} channels need a subscription token.
 */
final class AuthFixture implements AutoCloseable {
    static final ChannelOptions ROOM = ChannelOptions.builder()
            .presence(true).joinLeave(true)
            .historySize(10).historyTtl(Duration.ofMinutes(5))
            .allowSubscribeForClient(true).allowPresenceForSubscriber(true).allowHistoryForSubscriber(true)
            .allowPublishForSubscriber(true).build();

    final Node node;

    AuthFixture(ClientOptions client) {
        ChannelConfig channels = ChannelConfig.DEFAULT.withNamespaces(ROOM, List.of(
                new Namespace("room", ROOM),
                new Namespace("users", ROOM.toBuilder().allowSubscribeForClient(false)
                        .allowUserLimitedChannels(true).build())));
        node = new Node(NodeConfig.DEFAULT.withClient(client).withChannels(channels),
                new MemoryBroker(), new MemoryPresenceManager());
    }

    /** HMAC secret {@link TestTokens#SECRET} for connection and subscription tokens. */
    static ClientOptions.Builder hmac() {
        return ClientOptions.builder().tokenHmacSecretKey(TestTokens.SECRET);
    }

    static String connectToken(String user, long exp, Map<String, ?> extra) {
        Map<String, Object> claims = new LinkedHashMap<>(extra);
        claims.put("sub", user);
        if (exp != 0) {
            claims.put("exp", exp);
        }
        return TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET, TestTokens.claims(claims));
    }

    static String subscriptionToken(String user, String channel, long exp, Map<String, ?> extra) {
        Map<String, Object> claims = new LinkedHashMap<>(extra);
        claims.put("channel", channel);
        return connectToken(user, exp, claims);
    }

    static ConnectRequest connect(String token) {
        return new ConnectRequest(token, null, Map.of(), "test", "", Map.of());
    }

    static SubscribeRequest subscribe(String channel, String token) {
        return new SubscribeRequest(channel, token, false, "", 0, null, false, false, false);
    }

    /** A client connected as {@code user} with a token valid for an hour (plus {@code extra} claims). */
    TestClient connected(String user, Map<String, ?> extra) {
        TestClient c = new TestClient(node);
        Reply r = c.call(connect(connectToken(user, TestTokens.now() + 3600, extra)));
        assertThat(r.error()).as("connect of %s", user).isNull();
        return c;
    }

    TestClient connected(String user) {
        return connected(user, Map.of());
    }

    @Override
    public void close() {
        node.shutdown(Duration.ofMillis(200));
    }
}
