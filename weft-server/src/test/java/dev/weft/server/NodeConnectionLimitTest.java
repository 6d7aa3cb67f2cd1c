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

    /** A one-way SSE connection (uni_sse) from {@code localAddress}; returns the socket and its status line. */
    private java.net.Socket uniSse(String localAddress, StringBuilder statusLine) throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.bind(new java.net.InetSocketAddress(localAddress, 0));
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /connection/uni_sse?cf_connect=%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.io.InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            statusLine.append((char) b);
        }
        return socket;
    }

    @Test
    void theLimitsHoldAcrossTransports() throws Exception {
        server = TestServers.start(ClientOptions.builder().connectionLimit(1).ipConnectionRateLimit(1)
                .ipConnectionRateBurst(2), c -> c.withUni(c.uni().withSse(c.uni().sse().withEnabled(true))));
        StringBuilder first = new StringBuilder();
        try (java.net.Socket sse = uniSse("127.0.0.1", first)) {
            assertThat(first.toString()).startsWith("HTTP/1.1 200");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
            try (RawWebSocket ws = RawWebSocket.attempt(server.port(), "127.0.0.2")) {
                assertThat(ws.status()).as("the SSE stream holds the node's only slot").isEqualTo(503);
            }
            StringBuilder again = new StringBuilder();
            try (java.net.Socket second = uniSse("127.0.0.1", again)) {
                assertThat(again.toString()).as("the address's second attempt: node full").startsWith("HTTP/1.1 503");
            }
            StringBuilder third = new StringBuilder();
            try (java.net.Socket flood = uniSse("127.0.0.1", third)) {
                assertThat(third.toString()).as("the address's third attempt within its burst of 2")
                        .startsWith("HTTP/1.1 429");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        try (RawWebSocket ws = RawWebSocket.attempt(server.port(), "127.0.0.2")) {
            assertThat(ws.status()).as("the SSE stream closed: its slot is free").isEqualTo(101);
        }
        assertThat(server.refusals().count("connection.node_limit")).isEqualTo(2);
        assertThat(server.refusals().count("connection.address_rate")).isEqualTo(1);
    }
}
