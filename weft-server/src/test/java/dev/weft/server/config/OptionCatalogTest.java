package dev.weft.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog is the single source of truth: the document must show exactly its tables, every option must
 * reach the record it describes, and the key tables must not contradict each other.
 */
class OptionCatalogTest {

    private static final String SUPPORTED_BEGIN = "<!-- BEGIN GENERATED: supported options -->\n";
    private static final String SUPPORTED_END = "<!-- END GENERATED: supported options -->";
    private static final String UNSUPPORTED_BEGIN = "<!-- BEGIN GENERATED: unsupported options -->\n";
    private static final String UNSUPPORTED_END = "<!-- END GENERATED: unsupported options -->";
    private static final String RENAMED_BEGIN = "<!-- BEGIN GENERATED: renamed options -->\n";
    private static final String RENAMED_END = "<!-- END GENERATED: renamed options -->";

    /**
     * Fails when {@code docs/configuration.md} drifts from the catalog. Regenerate the tables with
     * {@code ./mvnw -pl weft-server test -Dtest=OptionCatalogTest -Dweft.updateDocs=true}.
     */
    @Test
    void documentationTablesMatchTheCatalog() throws IOException {
        Path doc = repositoryRoot().resolve("docs/configuration.md");
        String text = Files.readString(doc);
        String updated = replaceSection(replaceSection(text, SUPPORTED_BEGIN, SUPPORTED_END,
                OptionCatalog.markdownSupportedTable()), UNSUPPORTED_BEGIN, UNSUPPORTED_END,
                OptionCatalog.markdownUnsupportedTable());
        updated = replaceSection(updated, RENAMED_BEGIN, RENAMED_END, OptionCatalog.markdownRenamedTable());
        if (Boolean.getBoolean("weft.updateDocs") && !updated.equals(text)) {
            Files.writeString(doc, updated);
            text = updated;
        }
        assertThat(text)
                .as("docs/configuration.md is out of date; regenerate its tables with "
                        + "./mvnw -pl weft-server test -Dtest=OptionCatalogTest -Dweft.updateDocs=true")
                .isEqualTo(updated);
        for (OptionCatalog.OptionDescriptor d : OptionCatalog.supported()) {
            assertThat(text).contains("| `" + d.key() + "` | `" + d.envVar() + "` |");
        }
        for (UnsupportedOption u : OptionCatalog.unsupported()) {
            assertThat(text).contains("| `" + u.key() + "` |");
        }
    }

    @Test
    void everyOptionReachesTheConfigurationItDescribes() throws Exception {
        for (Option<WeftConfig, ConfigDraft, ?> option : OptionCatalog.topLevel()) {
            Map<String, String> overrides = new HashMap<>();
            String sample = sampleValue(option);
            overrides.put(option.key(), sample);
            String prefix = OptionCatalog.WITHOUT_NAMESPACE_KEY + ".";
            if (option.key().equals(prefix + "history_size") || option.key().equals(prefix + "force_recovery")) {
                overrides.put(prefix + "history_ttl", "60s");
            }
            if (option.key().equals(prefix + "history_ttl") || option.key().equals(prefix + "force_recovery")) {
                overrides.put(prefix + "history_size", "10");
            }
            if (option.key().equals("admin.enabled")) {
                overrides.put("admin.password", "a password");
                overrides.put("admin.secret", "a secret of 16 characters or more");
            }
            if (option.key().equals("http_server.tls.enabled")) {
                overrides.put("http_server.tls.cert_pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----");
                overrides.put("http_server.tls.key_pem", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----");
            }

            WeftConfig config = ConfigLoader.load(Optional.empty(), Map.of(), overrides).config();

            Object expected = option.decoder().decode(Values.textNode(sample));
            assertThat(normalize(option.getter().apply(config))).as(option.key()).isEqualTo(normalize(expected))
                    .isNotEqualTo(normalize(option.getter().apply(WeftConfig.DEFAULT)));
        }
    }

    @Test
    void documentedDefaultsAreTheRecordDefaults() {
        Map<String, String> defaults = new HashMap<>();
        OptionCatalog.supported().forEach(d -> defaults.put(d.key(), d.defaultValue()));

        assertThat(defaults).containsEntry("http_server.port", "8000")
                .containsEntry("http_server.address", "\"\"")
                .containsEntry("client.ping_interval", "\"25s\"")
                .containsEntry("client.queue_max_size", "1048576")
                .containsEntry("channel.history_meta_ttl", "\"720h\"")
                .containsEntry("channel.namespace_boundary", "\":\"")
                .containsEntry("channel.without_namespace.history_ttl", "\"0s\"")
                .containsEntry("websocket.message_size_limit", "65536")
                .containsEntry("log.level", "\"info\"")
                .containsEntry("channel.namespaces", "[]");
    }

    @Test
    void environmentVariableNamesAreUniqueAndFollowTheKeys() {
        Set<String> seen = new HashSet<>();
        for (OptionCatalog.OptionDescriptor d : OptionCatalog.supported()) {
            assertThat(d.envVar()).isEqualTo("WEFT_" + d.key().toUpperCase().replace('.', '_'));
            assertThat(seen.add(d.envVar())).as("duplicate %s", d.envVar()).isTrue();
        }
    }

    @Test
    void unsupportedKeysNeitherRepeatNorShadowSupportedOnes() {
        Set<String> supported = KeyIndex.SUPPORTED.keySet();
        Set<String> unsupported = new HashSet<>();
        for (UnsupportedOption u : OptionCatalog.unsupported()) {
            assertThat(unsupported.add(u.key())).as("listed twice: %s", u.key()).isTrue();
            for (String s : supported) {
                assertThat(s.equals(u.key()) || s.startsWith(u.key() + ".") || u.key().startsWith(s + "."))
                        .as("%s overlaps supported %s", u.key(), s).isFalse();
            }
        }
        for (UnsupportedOption u : UnsupportedOption.CHANNEL) {
            assertThat(KeyIndex.CHANNEL).doesNotContainKey(u.key());
        }
    }

    @Test
    void recognisesTheCommonCentrifugoV6Keys() {
        List<String> keys = List.of("client.token.hmac_secret_key", "client.allowed_origins", "client.insecure",
                "client.allow_anonymous_connect_without_token", "client.ping_interval", "client.pong_timeout",
                "http_api.key", "http_api.insecure", "http_server.port", "http_server.address",
                "channel.history_meta_ttl", "channel.max_length", "channel.private_prefix",
                "channel.namespace_boundary", "channel.user_boundary", "channel.user_separator",
                "websocket.message_size_limit", "client.channel_limit", "client.user_connection_limit",
                "client.queue_max_size", "client.stale_close_delay", "client.expired_close_delay",
                "client.history_max_publication_limit", "client.recovery_max_publication_limit",
                "client.presence_update_interval", "node.name", "log.level", "channel.namespaces",
                "channel.without_namespace.presence", "channel.without_namespace.channel_regex",
                "http_stream.enabled", "http_stream.max_request_body_size", "sse.enabled",
                "sse.max_request_body_size", "emulation.max_request_body_size",
                "uni_sse.enabled", "uni_http_stream.enabled", "uni_websocket.enabled", "http_server.tls.enabled",
                "http_server.tls.cert_pem", "http_server.tls.key_pem", "http_server.h2c_external",
                "client.subscribe_to_user_personal_channel.enabled", "engine.type", "engine.nats.url",
                "engine.nats.prefix", "broker.type", "broker.nats.url", "engine.redis.address",
                "engine.redis.prefix", "engine.redis.io_timeout", "engine.redis.cluster_address", "admin.enabled",
                "admin.password", "admin.secret", "engine.redis.sentinel_address", "engine.redis.sentinel_master_name",
                "client.proxy", "channel.proxy", "proxies", "rpc.proxy", "rpc.namespaces", "rpc.without_namespace",
                "client.connect_proxy_name", "client.refresh_proxy_name", "consumers");
        List<String> unsupported = List.of("engine.redis.sentinel_client_name", "engine.redis.sentinel_tls.cert_pem",
                "broker.redis.address", "client.token.hmac_previous_secret_key", "rpc.ping", "rpc.ping_method",
                "admin.handler_prefix", "prometheus.enabled", "grpc_api", "uni_grpc", "uni_websocket.join_push_messages",
                "sse.handler_prefix", "http_stream.handler_prefix", "emulation.handler_prefix", "health.enabled");
        assertThat(KeyIndex.SUPPORTED.keySet()).containsAll(keys);
        for (String key : unsupported) {
            assertThat(KeyIndex.unsupportedForKey(key)).as(key).isNotNull();
        }
    }

    private static String sampleValue(Option<WeftConfig, ConfigDraft, ?> option) {
        // Key options are checked when loaded, so their samples must be real keys and URLs.
        if (option.key().endsWith(".rsa_public_key")) {
            return publicKeyPem("RSA");
        }
        if (option.key().endsWith(".ecdsa_public_key")) {
            return publicKeyPem("EC");
        }
        if (option.key().endsWith(".jwks_public_endpoint")) {
            return "https://keys.example/" + option.key();
        }
        if (option.key().equals("ai.streams.chat_channel")) {
            return "chats:{chat_id}";
        }
        if (option.key().equals("http_server.internal_port")) {
            return "9000";
        }
        if (option.key().endsWith(".allowed_delta_types")) {
            return "fossil";
        }
        if (option.key().equals("docs.hooks.url")) {
            return "https://backend.example/hooks";
        }
        if (option.key().equals("docs.hooks.events")) {
            return "connect, store";
        }
        Object current = option.getter().apply(WeftConfig.DEFAULT);
        return switch (option.type()) {
            case BOOLEAN -> String.valueOf(!(Boolean) current);
            case INTEGER, BYTES -> String.valueOf(((Number) current).longValue() + 1);
            case STRING -> "x-" + option.key();
            case PATH -> "/x-" + option.key();
            case DURATION -> GoDuration.format(((Duration) current).plusSeconds(1));
            case STRING_LIST -> "https://a.example, https://b.example";
            case REGEX -> "^[a-z]+$";
            case LOG_LEVEL -> "debug";
            case LOG_FORMAT -> "json";
            case ERROR_MODE -> "transport";
            case DOCUMENT_STORE -> "memory";
            case ENGINE_TYPE -> "nats";
            case UPSTREAMS -> "{\"local\": {\"url\": \"http://127.0.0.1:9/v1/chat/completions\", "
                    + "\"headers\": {\"Authorization\": \"Bearer ${LOCAL_KEY}\"}, \"format\": \"openai-chat\", "
                    + "\"idle_timeout\": \"5s\"}}";
            case NAMESPACE_LIST, PROXY_SECTION, OBJECT_LIST -> throw new IllegalStateException(option.type() + " is not an Option");
        };
    }

    private static String publicKeyPem(String algorithm) {
        try {
            var key = java.security.KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPublic();
            return "-----BEGIN PUBLIC KEY-----\n"
                    + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object normalize(Object value) {
        return value instanceof Pattern p ? "regex " + p.pattern() : value;
    }

    private static String replaceSection(String text, String begin, String end, String content) {
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("marker %s", begin.trim()).isNotNegative();
        assertThat(to).as("marker %s", end).isGreaterThan(from);
        return text.substring(0, from + begin.length()) + content + text.substring(to);
    }

    private static Path repositoryRoot() {
        String configured = System.getProperty("weft.repoRoot");
        if (configured != null) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("weft-server")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
}
