package dev.weft.server;

import dev.weft.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: many clients (or many addresses) open connections until the node runs out of memory or file
 * descriptors. Defence: {@code client.connection_limit} and {@code client.connection_rate_limit} refuse
 * further upgrades with 503 before any work, and the node keeps serving the connections it has.
 */
class NodeConnectionLimitTest {
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void connectionsBeyondTheNodeLimitAreRefusedWith503() throws Exception {
        server = TestServers.start(ClientOptions.builder().connectionLimit(2));
        try (RawWebSocket a = RawWebSocket.attempt(server.port(), "127.0.0.1");
             RawWebSocket b = RawWebSocket.attempt(server.port(), "127.0.0.2")) {
            assertThat(a.status()).isEqualTo(101);
            assertThat(b.status()).isEqualTo(101);
            try (RawWebSocket c = RawWebSocket.attempt(server.port(), "127.0.0.3")) {
                assertThat(c.status()).isEqualTo(503);
                assertThat(TestServers.json(c.body()).path("error").path("code").asInt()).isEqualTo(106);
            }
            a.sendText("{\"id\":1,\"connect\":{}}");
            assertThat(a.readFrame().text()).contains("\"connect\"");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        try (RawWebSocket d = RawWebSocket.attempt(server.port(), "127.0.0.1")) {
            assertThat(d.status()).as("slots free again").isEqualTo(101);
        }
        assertThat(server.refusals().count("connection.node_limit")).isEqualTo(1);
    }

    @Test
    void connectionsFasterThanTheNodeRateAreRefusedWith503AndRetryAfter() throws Exception {
        server = TestServers.start(ClientOptions.builder().connectionRateLimit(3));
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            // Different addresses: this limit is for the node, whoever connects.
            try (RawWebSocket s = RawWebSocket.attempt(server.port(), "127.0.0." + (10 + i))) {
                if (s.status() == 101) {
                    admitted++;
                } else {
                    assertThat(s.status()).isEqualTo(503);
                    assertThat(s.head()).containsIgnoringCase("retry-after: 1");
                    refused++;
                }
            }
        }
        assertThat(admitted).isBetween(3, 6);
        assertThat(refused).isEqualTo(10 - admitted);
        assertThat(server.refusals().count("connection.node_rate")).isEqualTo(refused);
    }
}
