package dev.weft.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The one-way transport, TLS/HTTP/2 and personal channel options, read from a Centrifugo v6 config file. */
class TransportConfigTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @TempDir
    Path dir;

    private WeftConfig load(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).config();
    }

    private String problems(String json) {
        Path file = dir.resolve("bad.json");
        try {
            Files.writeString(file, json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return String.join("\n", catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of())).problems());
    }

    @Test
    void readsTheUniSectionsAsCentrifugoWritesThem() throws Exception {
        WeftConfig config = load("""
                {"uni_sse": {"enabled": true, "max_request_body_size": 1000},
                 "uni_http_stream": {"enabled": true, "handler_prefix": "/stream"},
                 "uni_websocket": {"enabled": true, "message_size_limit": 2048, "disable_disconnect_push": true}}
                """);
        assertThat(config.uni().sse()).isEqualTo(new UniConfig.Stream(true, "/connection/uni_sse", 1000));
        assertThat(config.uni().httpStream()).isEqualTo(new UniConfig.Stream(true, "/stream", 65536));
        assertThat(config.uni().websocket())
                .isEqualTo(new UniConfig.WebSocket(true, "/connection/uni_websocket", 2048, true));
        assertThat(WeftConfig.DEFAULT.uni().sse().enabled()).as("off unless enabled, as in Centrifugo").isFalse();
    }

    @Test
    void handlerPrefixMustBeAPath() {
        assertThat(problems("{\"uni_sse\": {\"handler_prefix\": \"connection/x\"}}"))
                .contains("uni_sse.handler_prefix").contains("path starting with '/'");
    }

    @Test
    void tlsTakesPemTextBase64OrAFileAndNeedsBoth(@TempDir Path pems) throws Exception {
        Path certFile = pems.resolve("cert.pem");
        Files.writeString(certFile, PEM);
        String base64 = Base64.getEncoder().encodeToString(PEM.getBytes());
        WeftConfig config = load("{\"http_server\": {\"h2c_external\": true, \"tls\": {\"enabled\": true, "
                + "\"cert_pem\": \"" + certFile + "\", \"key_pem\": \"" + base64 + "\"}}}");
        assertThat(config.httpServer().tls().enabled()).isTrue();
        assertThat(PemData.load(config.httpServer().tls().certPem())).isEqualTo(PEM);
        assertThat(PemData.load(config.httpServer().tls().keyPem())).isEqualTo(PEM);
        assertThat(config.httpServer().h2cExternal()).isTrue();
        assertThat(config.httpServer().tls().toString()).doesNotContain("MIIB");

        assertThat(problems("{\"http_server\": {\"tls\": {\"enabled\": true}}}"))
                .contains("http_server.tls.cert_pem: required").contains("http_server.tls.key_pem: required");
        assertThat(problems("{\"http_server\": {\"tls\": {\"enabled\": true, \"cert_pem\": \"/no/such/file.pem\", "
                + "\"key_pem\": \"" + certFile + "\"}}}"))
                .contains("http_server.tls.cert_pem").contains("neither PEM text");
    }

    @Test
    void personalChannelNamespaceMustExist() throws Exception {
        WeftConfig config = load("""
                {"client": {"subscribe_to_user_personal_channel": {"enabled": true,
                                                                   "personal_channel_namespace": "personal"}},
                 "channel": {"namespaces": [{"name": "personal", "presence": true}]}}
                """);
        assertThat(config.node().client().subscribeToUserPersonalChannel()).isTrue();
        assertThat(config.node().client().personalChannelNamespace()).isEqualTo("personal");

        assertThat(problems("{\"client\": {\"subscribe_to_user_personal_channel\": {\"enabled\": true, "
                + "\"personal_channel_namespace\": \"nope\"}}}"))
                .contains("namespace \"nope\" is not configured");
    }
}
