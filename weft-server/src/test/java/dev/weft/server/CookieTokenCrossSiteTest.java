package dev.weft.server;

import com.nimbusds.jose.JWSAlgorithm;
import dev.weft.core.ClientOptions;
import dev.weft.core.NodeConfig;
import dev.weft.core.auth.TestTokens;
import dev.weft.core.channel.ChannelConfig;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.server.config.ConfigException;
import dev.weft.server.config.ConfigLoader;
import dev.weft.server.config.DocsConfig;
import dev.weft.server.config.EngineConfig;
import dev.weft.server.config.HttpServerConfig;
import dev.weft.server.config.PlainSseConfig;
import dev.weft.server.config.UniConfig;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Attack: a page on another site makes the visitor's browser send Weft the token cookie
 * ({@code client.token_cookie_name}) — with {@code fetch(url, {credentials: 'include'})}, or with no Origin at all
 * through an {@code <img>}, an {@code <iframe>} or a navigation, which say only {@code Sec-Fetch-Site:
 * cross-site} — and reads, or at least opens, the visitor's private stream. Defence, proved here against a
 * running server on every endpoint that reads the cookie ({@code /sse}, {@code uni_sse}, {@code uni_http_stream},
 * {@code uni_websocket}, {@code /yjs}): cross-site requests are refused with 403, same-origin, same-site and
 * allowed-origin ones are served; {@code *} with a cookie is refused at start, and a wildcard never grants
 * credentialed CORS.
 */
class CookieTokenCrossSiteTest {
    private static final String COOKIE = "weft_token";
    private static final String APP = "https://app.example";
    private WeftServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
    }

    private WeftServer start(List<String> allowedOrigins, String cookieName) {
        ChannelOptions open = ChannelOptions.builder().allowSubscribeForClient(true).allowPublishForSubscriber(true)
                .build();
        ClientOptions client = ClientOptions.builder().tokenHmacSecretKey(TestTokens.SECRET)
                .tokenCookieName(cookieName).build();
        UniConfig uni = UniConfig.DEFAULT
                .withSse(UniConfig.DEFAULT.sse().withEnabled(true))
                .withHttpStream(UniConfig.DEFAULT.httpStream().withEnabled(true))
                .withWebsocket(UniConfig.DEFAULT.websocket().withEnabled(true));
        WeftConfig config = WeftConfig.DEFAULT
                .withNode(NodeConfig.DEFAULT.withClient(client)
                        .withChannels(ChannelConfig.DEFAULT.withNamespaces(open, List.of())))
                .withHttpServer(new HttpServerConfig("127.0.0.1", 0))
                .withAllowedOrigins(allowedOrigins)
                .withUni(uni)
                .withPlainSse(PlainSseConfig.DEFAULT.withEnabled(true))
                .withDocs(DocsConfig.DEFAULT.withStore("memory").withYjsEnabled(true))
                .withEngine(EngineConfig.MEMORY);
        return WeftServer.start(config);
    }

    private static String cookie() {
        return COOKIE + "=" + TestTokens.hmac(JWSAlgorithm.HS256, TestTokens.SECRET,
                TestTokens.claims(Map.of("sub", "alice", "exp", TestTokens.now() + 3600)));
    }

    /** One request to each cookie-reading endpoint with these headers (the cookie added); the statuses, by name. */
    private List<String> statuses(String... headers) throws Exception {
        String connect = URLEncoder.encode("{\"subs\":{\"news\":{}}}", StandardCharsets.UTF_8);
        String[] ws = {"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key",
                "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"};
        List<String> result = new ArrayList<>();
        result.add("sse " + status("GET", "/sse/news", null, headers));
        result.add("uni_sse " + status("GET", "/connection/uni_sse?cf_connect=" + connect, null, headers));
        result.add("uni_http_stream " + status("POST", "/connection/uni_http_stream", "{\"subs\":{\"news\":{}}}",
                headers));
        result.add("uni_websocket " + status("GET", "/connection/uni_websocket?cf_connect=" + connect, null,
                concat(ws, headers)));
        result.add("yjs " + status("GET", "/yjs/room-1", null, concat(ws, headers)));
        return result;
    }

    private int status(String method, String target, String body, String... headers) throws Exception {
        try (RawHttpStream s = RawHttpStream.open(server.port(), method, target, body,
                concat(new String[] {"Cookie", cookie()}, headers))) {
            return s.status();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<String> all(int sseStatus, int wsStatus) {
        return List.of("sse " + sseStatus, "uni_sse " + sseStatus, "uni_http_stream " + sseStatus,
                "uni_websocket " + wsStatus, "yjs " + wsStatus);
    }

    @Test
    void crossSiteCookieRequestsAreRefusedOnEveryEndpointAndThisSitesAreServed() throws Exception {
        server = start(List.of(APP), COOKIE);

        assertThat(statuses("Sec-Fetch-Site", "cross-site")).as("<img>/<iframe>/navigation from another site")
                .isEqualTo(all(403, 403));
        assertThat(statuses("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"))
                .as("fetch(..., {credentials: 'include'}) from another site").isEqualTo(all(403, 403));
        long refused = server.refusals().count("connection.origin");
        assertThat(refused).isGreaterThanOrEqualTo(10);

        assertThat(statuses("Sec-Fetch-Site", "same-origin")).isEqualTo(all(200, 101));
        assertThat(statuses("Sec-Fetch-Site", "same-site")).as("a sibling subdomain").isEqualTo(all(200, 101));
        assertThat(statuses("Origin", APP, "Sec-Fetch-Site", "cross-site")).as("a listed origin")
                .isEqualTo(all(200, 101));
        assertThat(statuses()).as("no browser headers: not a browser, nobody's borrowed cookie")
                .isEqualTo(all(200, 101));
        assertThat(server.refusals().count("connection.origin")).isEqualTo(refused);
    }

    @Test
    void aBearerTokenIsNotACookieAndIsNotRefused() throws Exception {
        server = start(List.of(APP), COOKIE);
        String bearer = cookie().substring(COOKIE.length() + 1);
        try (RawHttpStream s = RawHttpStream.open(server.port(), "GET", "/sse/news", null,
                "Authorization", "Bearer " + bearer, "Sec-Fetch-Site", "cross-site")) {
            assertThat(s.status()).isEqualTo(200);
        }
    }

    @Test
    void wildcardOriginsWithATokenCookieAreRefusedAtStart() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                Map.of(), Map.of("client.allowed_origins", "*", "client.token_cookie_name", COOKIE,
                        "client.token.hmac_secret_key", "s")));
        assertThat(e).as("config refused").isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .startsWith("client.token_cookie_name: client.token_cookie_name is set (\"weft_token\") while "
                        + "client.allowed_origins lets in any site (*): any web page could then use a visitor's "
                        + "token cookie");
        // Broader-looking patterns that still let any site in count too.
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("client.allowed_origins", "https://*", "client.token_cookie_name", COOKIE)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lets in any site (https://*)");
        // Built without the loader, the server refuses to start as well.
        assertThatThrownBy(() -> start(List.of("*"), COOKIE)).hasMessageContaining("any site");
    }

    @Test
    void aWildcardNeverGrantsCredentialedCors() throws Exception {
        server = start(List.of("*", APP), "");
        try (RawHttpStream s = RawHttpStream.open(server.port(), "GET", "/sse/news", null,
                "Authorization", "Bearer " + cookie().substring(COOKIE.length() + 1), "Origin", "https://evil.example")) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.header("Access-Control-Allow-Origin")).isEqualTo("https://evil.example");
            assertThat(s.header("Access-Control-Allow-Credentials")).as("credentials through *").isNull();
        }
        try (RawHttpStream s = RawHttpStream.open(server.port(), "GET", "/sse/news", null,
                "Authorization", "Bearer " + cookie().substring(COOKIE.length() + 1), "Origin", APP)) {
            assertThat(s.header("Access-Control-Allow-Credentials")).as("a listed origin").isEqualTo("true");
        }
    }
}
