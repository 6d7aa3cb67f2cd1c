package dev.weft.server;

import dev.weft.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: cross-site WebSocket hijacking — a page on another site opens a WebSocket to Weft from a victim's
 * browser, which attaches the victim's cookies, and reads the victim's channels.
 * Defence: {@code client.allowed_origins}; a browser always sends its page's Origin on the upgrade and a page
 * cannot change it, so a foreign Origin is refused with 403 before any session exists.
 */
class CrossOriginUpgradeTest {
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private void start(List<String> allowedOrigins) {
        server = TestServers.start(ClientOptions.builder(), c -> c.withAllowedOrigins(allowedOrigins));
    }

    private int upgradeStatus(String... headers) throws Exception {
        try (RawWebSocket attempt = RawWebSocket.attempt(server.port(), "127.0.0.1", headers)) {
            if (attempt.status() == 101) {
                // An admitted socket really is a session: it can connect.
                attempt.sendText("{\"id\":1,\"connect\":{}}");
                assertThat(attempt.readFrame().text()).contains("\"connect\"");
            }
            return attempt.status();
        }
    }

    @Test
    void aPageFromAnotherSiteCannotOpenAConnection() throws Exception {
        start(List.of("https://app.example.com", "https://*.example.org"));

        assertThat(upgradeStatus("Origin", "https://evil.example")).isEqualTo(403);
        assertThat(upgradeStatus("Origin", "https://app.example.com.evil.example")).as("suffix trick").isEqualTo(403);
        assertThat(upgradeStatus("Origin", "http://app.example.com")).as("other scheme").isEqualTo(403);
        assertThat(upgradeStatus("Origin", "null")).as("sandboxed iframe or file: page").isEqualTo(403);
        assertThat(server.refusals().count("connection.origin")).isEqualTo(4);
        assertThat(server.node().internalsForTests().hub().memberCount()).isZero();

        assertThat(upgradeStatus("Origin", "https://app.example.com")).isEqualTo(101);
        assertThat(upgradeStatus("Origin", "https://App.Example.COM")).as("case-insensitive").isEqualTo(101);
        assertThat(upgradeStatus("Origin", "https://news.example.org")).isEqualTo(101);
        assertThat(upgradeStatus()).as("no Origin: not a browser, nobody's cookies").isEqualTo(101);
    }

    @Test
    void withoutAllowedOriginsOnlyTheSameHostIsAccepted() throws Exception {
        start(List.of());
        int port = server.port();
        // RawWebSocket sends Host: 127.0.0.1:<port>.
        assertThat(upgradeStatus("Origin", "http://127.0.0.1:" + port)).isEqualTo(101);
        assertThat(upgradeStatus("Origin", "http://localhost:" + port)).isEqualTo(403);
        assertThat(upgradeStatus("Origin", "http://127.0.0.1:" + (port + 1))).as("other port").isEqualTo(403);
        assertThat(upgradeStatus("Origin", "https://evil.example")).isEqualTo(403);
    }
}
