package dev.weft.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.core.ClientOptions;
import dev.weft.protocol.DisconnectCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: with one valid token (stolen, or a user's own script), open connection after connection to hold
 * server resources under one identity.
 * Defence: {@code client.user_connection_limit}; the connection over it is closed with 3504 (the SDK does
 * not reconnect), the user's other connections keep working, and a slot frees when one of them closes.
 */
class UserConnectionLimitTest {
    private static final String SECRET = "user-connection-limit-test-secret-of-enough-length";

    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private static String token(String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private TestWebSocket connect(String user) throws Exception {
        TestWebSocket ws = TestWebSocket.connect(server.port());
        ws.send("{\"id\":1,\"connect\":{\"token\":\"" + token(user) + "\"}}");
        return ws;
    }

    private static void assertConnected(TestWebSocket ws) throws Exception {
        assertThat(TestServers.lines(ws.next()).getFirst().path("connect").path("client").asText()).isNotEmpty();
    }

    @Test
    void aUserCannotHoldMoreConnectionsThanTheLimit() throws Exception {
        server = TestServers.startAsIs(ClientOptions.builder().tokenHmacSecretKey(SECRET).userConnectionLimit(2),
                c -> c);
        try (TestWebSocket first = connect("alice"); TestWebSocket second = connect("alice")) {
            assertConnected(first);
            assertConnected(second);
            try (TestWebSocket third = connect("alice")) {
                TestWebSocket.Close close = third.awaitClose();
                assertThat(close.code()).isEqualTo(DisconnectCode.CONNECTION_LIMIT.code());
                assertThat(close.reason()).isEqualTo("connection limit");
            }
            try (TestWebSocket bob = connect("bob")) {
                assertConnected(bob); // other users are not affected
            }
            first.send("{\"id\":2,\"ping\":{}}");
            assertThat(TestServers.lines(first.next()).getFirst().path("id").asInt()).isEqualTo(2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.node().internalsForTests().hub().userMemberCount("alice") == 0);
        try (TestWebSocket again = connect("alice")) {
            assertConnected(again);
        }
        assertThat(server.refusals().count("disconnect.connection_limit")).isEqualTo(1);
    }
}
