package dev.weft.server.config;

import dev.weft.core.ClientOptions;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    static final String CENTRIFUGO_JSON = """
            {
              "http_server": {"address": "127.0.0.1", "port": "9000"},
              "log": {"level": "debug"},
              "engine": {"type": "memory"},
              "node": {"name": "edge-1"},
              "client": {
                "token": {"hmac_secret_key": "s3cret"},
                "allowed_origins": ["http://localhost:3000", "https://*.example.com"],
                "allow_anonymous_connect_without_token": true,
                "ping_interval": "20s",
                "pong_timeout": "5s",
                "stale_close_delay": "15s",
                "expired_close_delay": "1m",
                "channel_limit": 64,
                "user_connection_limit": 4,
                "queue_max_size": 2097152,
                "presence_update_interval": "20s",
                "history_max_publication_limit": 100,
                "recovery_max_publication_limit": 200
              },
              "http_api": {"key": "api-key"},
              "websocket": {"message_size_limit": 131072},
              "channel": {
                "history_meta_ttl": "168h",
                "max_length": 128,
                "without_namespace": {"presence": true, "allow_subscribe_for_client": true},
                "namespaces": [
                  {
                    "name": "chat",
                    "presence": true,
                    "join_leave": true,
                    "force_push_join_leave": true,
                    "history_size": 100,
                    "history_ttl": "300s",
                    "force_recovery": true,
                    "allow_subscribe_for_client": true,
                    "allow_publish_for_subscriber": true,
                    "allow_presence_for_subscriber": true,
                    "allow_history_for_subscriber": true,
                    "channel_regex": "^[a-z0-9_-]+$"
                  },
                  {
                    "name": "feed.v1",
                    "history_size": 10,
                    "history_ttl": "1h",
                    "history_meta_ttl": "48h",
                    "allow_subscribe_for_anonymous": true,
                    "allow_history_for_anonymous": true
                  }
                ]
              },
              "admin": {"enabled": false, "password": "pw", "secret": "adm"},
              "prometheus": {"enabled": false}
            }
            """;

    static final String CENTRIFUGO_YAML = """
            http_server:
              address: 127.0.0.1
              port: "9000"
            log:
              level: debug
            engine:
              type: memory
            node:
              name: edge-1
            client:
              token:
                hmac_secret_key: s3cret
              allowed_origins:
                - http://localhost:3000
                - https://*.example.com
              allow_anonymous_connect_without_token: true
              ping_interval: 20s
              pong_timeout: 5s
              stale_close_delay: 15s
              expired_close_delay: 1m
              channel_limit: 64
              user_connection_limit: 4
              queue_max_size: 2097152
              presence_update_interval: 20s
              history_max_publication_limit: 100
              recovery_max_publication_limit: 200
            http_api:
              key: api-key
            websocket:
              message_size_limit: 131072
            channel:
              history_meta_ttl: 168h
              max_length: 128
              without_namespace:
                presence: true
                allow_subscribe_for_client: true
              namespaces:
                - name: chat
                  presence: true
                  join_leave: true
                  force_push_join_leave: true
                  history_size: 100
                  history_ttl: 300s
                  force_recovery: true
                  allow_subscribe_for_client: true
                  allow_publish_for_subscriber: true
                  allow_presence_for_subscriber: true
                  allow_history_for_subscriber: true
                  channel_regex: "^[a-z0-9_-]+$"
                - name: feed.v1
                  history_size: 10
                  history_ttl: 1h
                  history_meta_ttl: 48h
                  allow_subscribe_for_anonymous: true
                  allow_history_for_anonymous: true
            admin:
              enabled: false
              password: pw
              secret: adm
            prometheus:
              enabled: false
            """;

    static final String CENTRIFUGO_TOML = """
            [http_server]
            address = "127.0.0.1"
            port = "9000"

            [log]
            level = "debug"

            [engine]
            type = "memory"

            [node]
            name = "edge-1"

            [client]
            allowed_origins = ["http://localhost:3000", "https://*.example.com"]
            allow_anonymous_connect_without_token = true
            ping_interval = "20s"
            pong_timeout = "5s"
            stale_close_delay = "15s"
            expired_close_delay = "1m"
            channel_limit = 64
            user_connection_limit = 4
            queue_max_size = 2097152
            presence_update_interval = "20s"
            history_max_publication_limit = 100
            recovery_max_publication_limit = 200

              [client.token]
              hmac_secret_key = "s3cret"

            [http_api]
            key = "api-key"

            [websocket]
            message_size_limit = 131072

            [channel]
            history_meta_ttl = "168h"
            max_length = 128

              [channel.without_namespace]
              presence = true
              allow_subscribe_for_client = true

              [[channel.namespaces]]
              name = "chat"
              presence = true
              join_leave = true
              force_push_join_leave = true
              history_size = 100
              history_ttl = "300s"
              force_recovery = true
              allow_subscribe_for_client = true
              allow_publish_for_subscriber = true
              allow_presence_for_subscriber = true
              allow_history_for_subscriber = true
              channel_regex = "^[a-z0-9_-]+$"

              [[channel.namespaces]]
              name = "feed.v1"
              history_size = 10
              history_ttl = "1h"
              history_meta_ttl = "48h"
              allow_subscribe_for_anonymous = true
              allow_history_for_anonymous = true

            [admin]
            enabled = false
            password = "pw"
            secret = "adm"

            [prometheus]
            enabled = false
            """;

    @Test
    void noSourcesGiveTheRecordDefaultsOnPort8000() throws Exception {
        LoadedConfig loaded = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());

        assertThat(loaded.config()).isEqualTo(WeftConfig.DEFAULT);
        assertThat(loaded.config().httpServer().port()).isEqualTo(8000);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void readsARealisticCentrifugoV6JsonConfig() throws Exception {
        LoadedConfig loaded = load("config.json", CENTRIFUGO_JSON);
        WeftConfig c = loaded.config();

        assertThat(c.httpServer()).isEqualTo(new HttpServerConfig("127.0.0.1", 9000));
        assertThat(c.httpApi()).isEqualTo(new HttpApiConfig("api-key", false));
        assertThat(c.websocket().messageSizeLimit()).isEqualTo(131072);
        assertThat(c.allowedOrigins()).containsExactly("http://localhost:3000", "https://*.example.com");
        assertThat(c.log()).isEqualTo(new LogConfig("debug", "", "text"));
        assertThat(c.node().name()).isEqualTo("edge-1");
        assertThat(c.node().historyMetaTtl()).isEqualTo(Duration.ofHours(168));
        ClientOptions client = c.node().client();
        assertThat(client).isEqualTo(ClientOptions.DEFAULT.toBuilder()
                .tokenHmacSecretKey("s3cret")
                .allowAnonymousConnectWithoutToken(true)
                .pingInterval(Duration.ofSeconds(20))
                .pongTimeout(Duration.ofSeconds(5))
                .staleCloseDelay(Duration.ofSeconds(15))
                .expiredCloseDelay(Duration.ofMinutes(1))
                .channelLimit(64)
                .userConnectionLimit(4)
                .queueMaxSize(2097152)
                .presenceUpdateInterval(Duration.ofSeconds(20))
                .historyMaxPublicationLimit(100)
                .recoveryMaxPublicationLimit(200)
                .build());
        assertThat(c.node().channels().maxLength()).isEqualTo(128);
        assertThat(c.node().channels().withoutNamespace()).isEqualTo(
                ChannelOptions.builder().presence(true).allowSubscribeForClient(true).build());
        List<Namespace> namespaces = c.node().channels().namespaces();
        assertThat(namespaces).extracting(Namespace::name).containsExactly("chat", "feed.v1");
        ChannelOptions chat = namespaces.get(0).options();
        assertThat(chat.presence()).isTrue();
        assertThat(chat.joinLeave()).isTrue();
        assertThat(chat.forcePushJoinLeave()).isTrue();
        assertThat(chat.historySize()).isEqualTo(100);
        assertThat(chat.historyTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(chat.forceRecovery()).isTrue();
        assertThat(chat.allowSubscribeForClient()).isTrue();
        assertThat(chat.allowPublishForSubscriber()).isTrue();
        assertThat(chat.allowPresenceForSubscriber()).isTrue();
        assertThat(chat.allowHistoryForSubscriber()).isTrue();
        assertThat(chat.allowSubscribeForAnonymous()).isFalse();
        assertThat(chat.channelRegex().pattern()).isEqualTo("^[a-z0-9_-]+$");
        ChannelOptions feed = namespaces.get(1).options();
        assertThat(feed.presence()).as("namespace options do not inherit without_namespace").isFalse();
        assertThat(feed.historyMetaTtl()).isEqualTo(Duration.ofHours(48));
        assertThat(feed.allowHistoryForAnonymous()).isTrue();
        assertThat(loaded.warnings()).as("disabled features and the memory engine are harmless").isEmpty();
    }

    @Test
    void yamlAndTomlWithTheSameContentGiveTheSameConfig() throws Exception {
        WeftConfig json = load("config.json", CENTRIFUGO_JSON).config();
        WeftConfig yaml = load("config.yaml", CENTRIFUGO_YAML).config();
        WeftConfig yml = load("config.yml", CENTRIFUGO_YAML).config();
        WeftConfig toml = load("config.toml", CENTRIFUGO_TOML).config();

        for (WeftConfig other : List.of(yaml, yml, toml)) {
            assertThat(other).usingRecursiveComparison()
                    .withComparatorForType(Comparator.comparing(Pattern::pattern), Pattern.class)
                    .isEqualTo(json);
        }
    }

    @Nested
    class Precedence {

        @Test
        void environmentOverridesTheFile() throws Exception {
            WeftConfig c = load("config.json", CENTRIFUGO_JSON, Map.of(
                    "WEFT_HTTP_SERVER_PORT", "9100",
                    "WEFT_CLIENT_TOKEN_HMAC_SECRET_KEY", "from-env",
                    "WEFT_HTTP_API_KEY", "env-api-key",
                    "WEFT_CLIENT_INSECURE", "true",
                    "WEFT_CHANNEL_WITHOUT_NAMESPACE_PRESENCE", "false",
                    "WEFT_CLIENT_PING_INTERVAL", "30s"), Map.of()).config();

            assertThat(c.httpServer().port()).isEqualTo(9100);
            assertThat(c.httpServer().address()).as("untouched keys keep the file value").isEqualTo("127.0.0.1");
            assertThat(c.node().client().tokenHmacSecretKey()).isEqualTo("from-env");
            assertThat(c.httpApi().key()).isEqualTo("env-api-key");
            assertThat(c.node().client().insecure()).isTrue();
            assertThat(c.node().channels().withoutNamespace().presence()).isFalse();
            assertThat(c.node().client().pingInterval()).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void overridesOverrideTheEnvironment() throws Exception {
            WeftConfig c = load("config.json", CENTRIFUGO_JSON,
                    Map.of("WEFT_HTTP_SERVER_PORT", "9100", "WEFT_LOG_LEVEL", "warn"),
                    Map.of("http_server.port", "9200", "channel.without_namespace.join_leave", "true")).config();

            assertThat(c.httpServer().port()).isEqualTo(9200);
            assertThat(c.log().level()).isEqualTo("warn");
            assertThat(c.node().channels().withoutNamespace().joinLeave()).isTrue();
        }

        @Test
        void readsCentrifugoPrefixedVariablesAndLetsWeftOnesWin() throws Exception {
            LoadedConfig loaded = ConfigLoader.load(Optional.empty(), Map.of(
                    "CENTRIFUGO_HTTP_API_KEY", "centrifugo-key",
                    "CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY", "centrifugo-secret",
                    "CENTRIFUGO_CLIENT_ALLOWED_ORIGINS", "https://a.example https://b.example",
                    "CENTRIFUGO_HTTP_SERVER_PORT", "9300",
                    "WEFT_HTTP_SERVER_PORT", "9400"), Map.of());

            WeftConfig c = loaded.config();
            assertThat(c.httpApi().key()).isEqualTo("centrifugo-key");
            assertThat(c.node().client().tokenHmacSecretKey()).isEqualTo("centrifugo-secret");
            assertThat(c.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
            assertThat(c.httpServer().port()).isEqualTo(9400);
            assertThat(loaded.warnings()).containsExactly(
                    "WEFT_HTTP_SERVER_PORT overrides CENTRIFUGO_HTTP_SERVER_PORT for http_server.port");
        }

        @Test
        void emptyEnvironmentValuesCountAsUnset() throws Exception {
            WeftConfig c = load("config.json", CENTRIFUGO_JSON, Map.of("WEFT_HTTP_API_KEY", ""), Map.of()).config();

            assertThat(c.httpApi().key()).isEqualTo("api-key");
        }

        @Test
        void listsFromTheEnvironmentAreSpaceCommaOrJsonSeparated() throws Exception {
            assertThat(originsFromEnv("https://a.example, https://b.example"))
                    .containsExactly("https://a.example", "https://b.example");
            assertThat(originsFromEnv("https://a.example,https://b.example  https://c.example"))
                    .containsExactly("https://a.example", "https://b.example", "https://c.example");
            assertThat(originsFromEnv("[\"https://a.example\", \"*\"]")).containsExactly("https://a.example", "*");
        }

        @Test
        void booleansFromTheEnvironmentFollowGoParseBool() throws Exception {
            for (String yes : List.of("1", "t", "T", "true", "TRUE", "True")) {
                assertThat(env("WEFT_CLIENT_INSECURE", yes).node().client().insecure()).as(yes).isTrue();
            }
            for (String no : List.of("0", "f", "F", "false", "FALSE", "False")) {
                assertThat(env("WEFT_CLIENT_INSECURE", no).node().client().insecure()).as(no).isFalse();
            }
        }

        @Test
        void namespacesFromTheEnvironmentAreJsonAndReplaceTheFileList() throws Exception {
            WeftConfig c = load("config.json", CENTRIFUGO_JSON, Map.of("WEFT_CHANNEL_NAMESPACES",
                    "[{\"name\":\"chat\",\"presence\":true},{\"name\":\"news\",\"history_size\":5,"
                            + "\"history_ttl\":\"60s\"}]"), Map.of()).config();

            List<Namespace> namespaces = c.node().channels().namespaces();
            assertThat(namespaces).extracting(Namespace::name).containsExactly("chat", "news");
            assertThat(namespaces.get(0).options())
                    .isEqualTo(ChannelOptions.builder().presence(true).build());
            assertThat(namespaces.get(1).options().historySize()).isEqualTo(5);
        }

        @Test
        void perNamespaceVariablesAndOverridesSetOneOptionOfOneNamespace() throws Exception {
            LoadedConfig loaded = load("config.json", CENTRIFUGO_JSON, Map.of(
                            "CENTRIFUGO_CHANNEL_NAMESPACES_CHAT_ALLOW_PUBLISH_FOR_CLIENT", "true",
                            "WEFT_CHANNEL_NAMESPACES_FEED_V1_PRESENCE", "true"),
                    Map.of("channel.namespaces.feed.v1.history_size", "20"));

            List<Namespace> namespaces = loaded.config().node().channels().namespaces();
            assertThat(namespaces.get(0).options().allowPublishForClient()).isTrue();
            assertThat(namespaces.get(0).options().historySize()).isEqualTo(100);
            assertThat(namespaces.get(1).options().presence()).isTrue();
            assertThat(namespaces.get(1).options().historySize()).isEqualTo(20);
            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void perNamespaceVariablePrefersTheLongestMatchingNamespaceName() throws Exception {
            WeftConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                    "WEFT_CHANNEL_NAMESPACES", "[{\"name\":\"chat\"},{\"name\":\"chat_room\"}]",
                    "WEFT_CHANNEL_NAMESPACES_CHAT_ROOM_PRESENCE", "true"), Map.of()).config();

            assertThat(c.node().channels().namespaces().get(0).options().presence()).isFalse();
            assertThat(c.node().channels().namespaces().get(1).options().presence()).isTrue();
        }

        @Test
        void environmentVariablesAreMatchedAgainstWholeKeysNotSplitOnUnderscores() throws Exception {
            // http_api.key and client.allow_anonymous_connect_without_token both contain underscores.
            WeftConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                    "WEFT_HTTP_API_KEY", "k",
                    "WEFT_CLIENT_ALLOW_ANONYMOUS_CONNECT_WITHOUT_TOKEN", "true",
                    "WEFT_CHANNEL_WITHOUT_NAMESPACE_ALLOW_HISTORY_FOR_ANONYMOUS", "true"), Map.of()).config();

            assertThat(c.httpApi().key()).isEqualTo("k");
            assertThat(c.node().client().allowAnonymousConnectWithoutToken()).isTrue();
            assertThat(c.node().channels().withoutNamespace().allowHistoryForAnonymous()).isTrue();
        }

        @Test
        void ignoresUnrelatedKubernetesAndCentrifugoVarVariables() throws Exception {
            LoadedConfig loaded = ConfigLoader.load(Optional.empty(), Map.of(
                    "PATH", "/usr/bin",
                    "CENTRIFUGO_PORT", "tcp://10.0.0.7:8000",
                    "CENTRIFUGO_PORT_8000_TCP_ADDR", "10.0.0.7",
                    "CENTRIFUGO_SERVICE_HOST", "10.0.0.7",
                    "CENTRIFUGO_SERVICE_PORT", "8000",
                    "CENTRIFUGO_VAR_API_TOKEN", "t"), Map.of());

            assertThat(loaded.config()).isEqualTo(WeftConfig.DEFAULT);
            assertThat(loaded.warnings()).isEmpty();
        }

        private List<String> originsFromEnv(String value) throws ConfigException {
            return env("WEFT_CLIENT_ALLOWED_ORIGINS", value).allowedOrigins();
        }

        private WeftConfig env(String name, String value) throws ConfigException {
            return ConfigLoader.load(Optional.empty(), Map.of(name, value), Map.of()).config();
        }
    }

    @Nested
    class UnknownAndUnsupportedKeys {

        @Test
        void readsTheRenamedDocsDataDirAsDataDirWithAWarning() throws Exception {
            LoadedConfig loaded = load("config.json", "{\"docs\": {\"data_dir\": \"/srv/weft\"}}");

            assertThat(loaded.config().dataDir()).isEqualTo("/srv/weft");
            assertThat(loaded.warnings()).containsExactly("docs.data_dir is deprecated: use data_dir (environment "
                    + "variable WEFT_DATA_DIR) instead; its value was applied to data_dir");
        }

        @Test
        void readsTheRenamedDocsDataDirVariable() throws Exception {
            LoadedConfig loaded = load("config.json", "{}", Map.of("WEFT_DOCS_DATA_DIR", "/srv/weft"), Map.of());

            assertThat(loaded.config().dataDir()).isEqualTo("/srv/weft");
            assertThat(loaded.warnings()).containsExactly("docs.data_dir (set by environment variable "
                    + "WEFT_DOCS_DATA_DIR) is deprecated: use data_dir (environment variable WEFT_DATA_DIR) "
                    + "instead; its value was applied to data_dir");
        }

        @Test
        void acceptsTheOldAndNewDataDirKeysWhenTheyAgree() throws Exception {
            LoadedConfig loaded = load("config.json", "{\"data_dir\": \"/srv/weft\"}",
                    Map.of("WEFT_DOCS_DATA_DIR", "/srv/weft"), Map.of());

            assertThat(loaded.config().dataDir()).isEqualTo("/srv/weft");
            assertThat(loaded.warnings()).hasSize(1);
        }

        @Test
        void refusesTheOldAndNewDataDirKeysWhenTheyDisagree() {
            assertThat(problems("{\"data_dir\": \"/srv/new\", \"docs\": {\"data_dir\": \"/srv/old\"}}"))
                    .containsExactly("data_dir: set to \"/srv/new\" and, under its old name docs.data_dir, to "
                            + "\"/srv/old\"; remove docs.data_dir");

            Path file = write("config.json", "{\"docs\": {\"data_dir\": \"/srv/old\"}}");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.load(Optional.of(file), Map.of("WEFT_DATA_DIR", "/srv/new"), Map.of()));
            assertThat(e.problems()).containsExactly("data_dir: set to \"/srv/new\" by environment variable "
                    + "WEFT_DATA_DIR and, under its old name docs.data_dir, to \"/srv/old\"; remove docs.data_dir "
                    + "(from environment variable WEFT_DATA_DIR)");
        }

        @Test
        void warnsAboutAnUnknownKeyWithTheClosestKnownKey() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"http_server": {"prot": 9000}, "client": {"insecur": true, "token": {"hmac_secert_key": "x"}}}
                    """);

            assertThat(loaded.warnings()).containsExactly(
                    "unknown option http_server.prot (did you mean http_server.port?)",
                    "unknown option client.insecur (did you mean client.insecure?)",
                    "unknown option client.token.hmac_secert_key (did you mean client.token.hmac_secret_key?)");
            assertThat(loaded.config()).isEqualTo(WeftConfig.DEFAULT);
        }

        @Test
        void reportsAnUnknownSectionOnceAndSuggestsTheSection() throws Exception {
            LoadedConfig loaded = load("config.json", "{\"clinet\": {\"insecure\": true, \"channel_limit\": 2}}");

            assertThat(loaded.warnings()).containsExactly("unknown option clinet (did you mean client?)");
        }

        @Test
        void pointsCentrifugoV5FlatKeysToTheirV6Home() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"token_hmac_secret_key": "x", "api_key": "y", "allowed_origins": ["*"], "log_level": "debug",
                     "presence": true, "zzz_qqq": 1}
                    """);

            assertThat(loaded.warnings()).containsExactly(
                    "unknown option token_hmac_secret_key (did you mean client.token.hmac_secret_key?)",
                    "unknown option api_key (did you mean http_api.key?)",
                    "unknown option allowed_origins (did you mean client.allowed_origins?)",
                    "unknown option log_level (did you mean log.level?)",
                    "unknown option presence (did you mean channel.without_namespace.presence?)",
                    "unknown option zzz_qqq");
        }

        @Test
        void warnsAboutUnknownKeysInNamespacesAndOverrides() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"channel": {"namespaces": [{"name": "chat", "presense": true}],
                                 "without_namespace": {"join_leev": true}}}
                    """, Map.of(), Map.of("http_server.adress", "0.0.0.0"));

            assertThat(loaded.warnings()).containsExactlyInAnyOrder(
                    "unknown option channel.without_namespace.join_leev "
                            + "(did you mean channel.without_namespace.join_leave?)",
                    "unknown option channel.namespaces[0].presense (did you mean channel.namespaces[0].presence?)",
                    "unknown option http_server.adress (from command-line override http_server.adress) "
                            + "(did you mean http_server.address?)");
        }

        @Test
        void warnsAboutUnknownEnvironmentVariablesWithTheClosestName() throws Exception {
            LoadedConfig loaded = ConfigLoader.load(Optional.empty(), Map.of(
                    "WEFT_CLIENT_INSECUR", "true",
                    "CENTRIFUGO_HTTP_API_KYE", "k",
                    "WEFT_TOTALLY_UNRELATED_THING", "1"), Map.of());

            assertThat(loaded.warnings()).containsExactly(
                    "unknown environment variable CENTRIFUGO_HTTP_API_KYE (did you mean CENTRIFUGO_HTTP_API_KEY?)",
                    "unknown environment variable WEFT_CLIENT_INSECUR (did you mean WEFT_CLIENT_INSECURE?)",
                    "unknown environment variable WEFT_TOTALLY_UNRELATED_THING");
        }

        @Test
        void perNamespaceVariableForAnUnknownNamespaceOrOptionIsWarned() throws Exception {
            LoadedConfig loaded = load("config.json", CENTRIFUGO_JSON, Map.of(
                    "WEFT_CHANNEL_NAMESPACES_NOPE_PRESENCE", "true",
                    "WEFT_CHANNEL_NAMESPACES_CHAT_PRESENSE", "true"), Map.of());

            assertThat(loaded.warnings()).containsExactly(
                    "unknown environment variable WEFT_CHANNEL_NAMESPACES_CHAT_PRESENSE "
                            + "(did you mean WEFT_CHANNEL_NAMESPACES_CHAT_PRESENCE?)",
                    "unknown environment variable WEFT_CHANNEL_NAMESPACES_NOPE_PRESENCE "
                            + "(no namespace in channel.namespaces matches it)");
        }

        @Test
        void strictModeMakesUnknownKeysErrors() throws Exception {
            Path file = write("config.json", "{\"http_server\": {\"prot\": 9000}}");

            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                    Optional.of(file), Map.of("WEFT_CLIENT_INSECUR", "1"), Map.of(),
                    ConfigLoader.UnknownKeys.FAIL));

            assertThat(e.problems()).containsExactly(
                    "unknown environment variable WEFT_CLIENT_INSECUR (did you mean WEFT_CLIENT_INSECURE?)",
                    "unknown option http_server.prot (did you mean http_server.port?)");
        }

        @Test
        void acceptsUnsupportedCentrifugoOptionsWithAWarning() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {
                      "engine": {"type": "memory", "redis": {"address": "redis://127.0.0.1:6379",
                                                             "client_name": "weft"}},
                      "client": {"token": {"hmac_previous_secret_key": "old"}},
                      "rpc": {"ping": true},
                      "prometheus": {"enabled": true},
                      "uni_grpc": {"enabled": true},
                      "channel": {"namespaces": [{"name": "chat", "publication_data_format": "json"}]}
                    }
                    """);

            assertThat(loaded.warnings()).containsExactly(
                    "engine.redis.client_name is a Centrifugo option Weft does not support yet; ignored. "
                            + "Connections do not set a client name.",
                    "client.token.hmac_previous_secret_key is a Centrifugo option Weft does not support yet; "
                            + "ignored. Only `client.token.hmac_secret_key` is checked.",
                    "rpc.ping is a Centrifugo option Weft does not support yet; ignored. The built-in RPC ping "
                            + "method is not implemented; RPC goes to proxies.",
                    "uni_grpc is a Centrifugo option Weft does not support yet; ignored. The unidirectional gRPC "
                            + "transport is not implemented.",
                    "channel.namespaces[0].publication_data_format is a Centrifugo option Weft does not support "
                            + "yet; ignored. Publication data is not validated.");
        }

        @Test
        void doesNotWarnAboutUnsupportedOptionsSetToHarmlessValues() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {
                      "engine": {"type": "memory", "redis": {}},
                      "admin": {"enabled": false, "password": "p", "secret": "s"},
                      "websocket": {"compression": false, "write_timeout": "1000ms",
                                    "handler_prefix": "/connection/websocket"},
                      "http_api": {"handler_prefix": "/api"},
                      "client": {"expired_sub_close_delay": "25s", "connection_limit": 0},
                      "channel": {"without_namespace": {"subscribe_proxy_name": "default", "allow_recovery": true}},
                      "usage_stats": {"disabled": true},
                      "shutdown": {"timeout": "30s"}
                    }
                    """);

            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void warnsAboutUnsupportedOptionsFromTheEnvironmentAndOverrides() throws Exception {
            LoadedConfig loaded = ConfigLoader.load(Optional.empty(), Map.of(
                            "CENTRIFUGO_ENGINE_TYPE", "memory",
                            "CENTRIFUGO_ENGINE_REDIS_ADDRESS", "redis://x",
                            "CENTRIFUGO_ENGINE_REDIS_CLIENT_NAME", "weft",
                            "CENTRIFUGO_ADMIN_PASSWORD", "p",
                            "CENTRIFUGO_HEALTH_ENABLED", "false"),
                    Map.of("uni_grpc.enabled", "true"));

            assertThat(loaded.warnings()).containsExactly(
                    "engine.redis.client_name (set by environment variable "
                            + "CENTRIFUGO_ENGINE_REDIS_CLIENT_NAME) is a Centrifugo option Weft does not support "
                            + "yet; ignored. Connections do not set a client name.",
                    "uni_grpc (set by command-line override uni_grpc.enabled) is a Centrifugo option Weft "
                            + "does not support yet; ignored. The unidirectional gRPC transport is not implemented.");
        }

        @Test
        void readsCentrifugoV6RedisSentinelKeys() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"engine": {"type": "redis", "redis": {
                      "sentinel_address": ["10.0.0.1:26379", "10.0.0.2:26379"], "sentinel_master_name": "mymaster",
                      "sentinel_user": "watcher", "sentinel_password": "secret",
                      "sentinel_tls": {"enabled": true, "insecure_skip_verify": true}, "password": "master-secret"}}}
                    """);

            assertThat(loaded.warnings()).isEmpty();
            var redis = loaded.config().engine().redis();
            assertThat(redis.sentinel()).isEqualTo(new dev.weft.redis.RedisSentinelConfig(
                    List.of("10.0.0.1:26379", "10.0.0.2:26379"), "mymaster", "watcher", "secret", true, true));
            assertThat(redis.password()).isEqualTo("master-secret");
        }

        @Test
        void acceptsEveryCentrifugoV6RedisEngineKey() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"engine": {"type": "redis", "redis": {
                      "address": "redis://127.0.0.1:6379", "prefix": "centrifugo", "connect_timeout": "1s",
                      "io_timeout": "4s", "db": 0, "user": "", "password": "", "client_name": "",
                      "force_resp2": false, "cluster_address": [], "sentinel_address": [], "sentinel_user": "",
                      "sentinel_password": "", "sentinel_master_name": "", "sentinel_client_name": "",
                      "tls": {"enabled": false, "insecure_skip_verify": false, "cert_pem": "", "key_pem": "",
                              "server_ca_pem": "", "client_ca_pem": "", "server_name": ""},
                      "sentinel_tls": {"enabled": false}, "use_lists": false, "presence_ttl": "60s",
                      "presence_hash_field_ttl": false, "presence_user_mapping": false}}}
                    """);

            assertThat(loaded.warnings()).as("Centrifugo's defaults are harmless").isEmpty();
            assertThat(loaded.config().engine().type()).isEqualTo("redis");
        }

        @Test
        void readsTheRedisEngineWithCentrifugoNames() throws Exception {
            LoadedConfig loaded = load("config.yaml", """
                    engine:
                      type: redis
                      redis:
                        address: ["127.0.0.1:6380", "redis://:secret@10.0.0.2:6379/2"]
                        prefix: myapp
                        password: pw
                        db: 3
                        io_timeout: 250ms
                        tls:
                          enabled: true
                    """, Map.of("WEFT_ENGINE_REDIS_CONNECT_TIMEOUT", "2s"), Map.of());

            EngineConfig engine = loaded.config().engine();
            assertThat(engine.type()).isEqualTo("redis");
            assertThat(engine.redis().addresses()).containsExactly("127.0.0.1:6380", "redis://:secret@10.0.0.2:6379/2");
            assertThat(engine.redis().prefix()).isEqualTo("myapp");
            assertThat(engine.redis().password()).isEqualTo("pw");
            assertThat(engine.redis().db()).isEqualTo(3);
            assertThat(engine.redis().ioTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(engine.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(engine.redis().tls()).isTrue();
            assertThat(loaded.warnings()).isEmpty();
            assertThat(ConfigLoader.load(Optional.empty(), Map.of("WEFT_ENGINE_REDIS_ADDRESS", "a:1, b:2"), Map.of())
                    .config().engine().redis().addresses()).as("a string lists the servers")
                    .containsExactly("a:1", "b:2");
            assertThat(ConfigLoader.load(Optional.empty(),
                    Map.of("CENTRIFUGO_ENGINE_REDIS_CLUSTER_ADDRESS", "a:1,a:2 b:1,b:2"), Map.of())
                    .config().engine().redis().clusterAddresses()).as("spaces separate clusters")
                    .containsExactly("a:1,a:2", "b:1,b:2");
        }

        @Test
        void readsTheNatsEngineInWeftsAndCentrifugosForm() throws Exception {
            EngineConfig engine = load("config.yaml", """
                    engine:
                      type: nats
                      nats:
                        url: nats://10.0.0.1:4222
                        prefix: myapp
                    """, Map.of(), Map.of()).config().engine();
            assertThat(engine.natsEngine().url()).isEqualTo("nats://10.0.0.1:4222");
            assertThat(engine.natsEngine().prefix()).isEqualTo("myapp");

            LoadedConfig broker = load("config.json", """
                    {"broker": {"enabled": true, "type": "nats", "nats": {"url": "nats://10.0.0.2:4222",
                                                                        "prefix": "centrifugo"}}}
                    """, Map.of(), Map.of());
            assertThat(broker.config().engine().natsEngine().url()).isEqualTo("nats://10.0.0.2:4222");
            assertThat(broker.config().engine().natsEngine().prefix()).isEqualTo("centrifugo");
            assertThat(broker.warnings()).isEmpty();

            assertThat(load("config.json", "{\"broker\": {\"enabled\": false, \"type\": \"nats\"}}", Map.of(),
                    Map.of()).config().engine().natsEngine()).as("a disabled broker leaves the memory engine").isNull();
            assertThatThrownBy(() -> load("config.json", "{\"engine\": {\"nats\": {\"prefix\": \"a b\"}}}",
                    Map.of(), Map.of())).hasMessageContaining("engine.nats.prefix");
        }

        @Test
        void readsTheLimitsWithCentrifugoAndWeftNames() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"client": {"connection_limit": 1000, "connection_rate_limit": 50,
                                "ip_connection_rate_limit": 5, "ip_connection_rate_burst": 10,
                                "command_rate_limit": 30, "command_rate_burst": 60, "command_refusal_limit": 7}}
                    """, Map.of("WEFT_CLIENT_COMMAND_RATE_LIMIT", "40"), Map.of());

            ClientOptions client = loaded.config().node().client();
            assertThat(client.connectionLimit()).isEqualTo(1000);
            assertThat(client.connectionRateLimit()).isEqualTo(50);
            assertThat(client.ipConnectionRateLimit()).isEqualTo(5);
            assertThat(client.ipConnectionRateBurst()).isEqualTo(10);
            assertThat(client.commandRateLimit()).as("environment over file").isEqualTo(40);
            assertThat(client.commandRateBurst()).isEqualTo(60);
            assertThat(client.commandRefusalLimit()).isEqualTo(7);
            assertThat(loaded.warnings()).isEmpty();
        }

        @Test
        void centrifugoProRateLimitsAreRecognisedAndPointToWeftsOwn() throws Exception {
            LoadedConfig loaded = load("config.json", """
                    {"client": {"rate_limit": {"client_command": {"enabled": true,
                        "default": {"enabled": true, "buckets": [{"interval": "1s", "rate": 100}]}}}}}
                    """);
            assertThat(loaded.warnings()).singleElement().asString()
                    .startsWith("client.rate_limit is a Centrifugo option Weft does not support yet")
                    .contains("client.command_rate_limit");
        }

        @Test
        void warnsAboutInsecureModes() throws Exception {
            LoadedConfig loaded = load("config.json", "{\"client\": {\"insecure\": true}, "
                    + "\"http_api\": {\"insecure\": true}}");

            assertThat(loaded.warnings()).hasSize(2);
            assertThat(loaded.warnings().get(0)).startsWith("client.insecure is on");
            assertThat(loaded.warnings().get(1)).startsWith("http_api.insecure is on");
        }
    }

    @Nested
    class Validation {

        @Test
        void wrongTypeNamesTheKeyAndTheValue() {
            assertThat(problems("{\"http_server\": {\"port\": \"abc\"}}"))
                    .containsExactly("http_server.port: expected integer, got \"abc\"");
            assertThat(problems("{\"client\": {\"insecure\": \"maybe\"}}"))
                    .containsExactly("client.insecure: expected boolean, got \"maybe\"");
            assertThat(problems("{\"client\": {\"allowed_origins\": {\"a\": 1}}}"))
                    .containsExactly("client.allowed_origins: expected list of strings, got an object");
            assertThat(problems("{\"client\": \"yes\"}"))
                    .containsExactly("client: expected an object of options, got \"yes\"");
        }

        @Test
        void wrongTypeFromTheEnvironmentNamesTheVariable() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                    Optional.empty(), Map.of("WEFT_HTTP_SERVER_PORT", "abc"), Map.of()));

            assertThat(e.problems()).containsExactly(
                    "http_server.port: expected integer, got \"abc\" "
                            + "(from environment variable WEFT_HTTP_SERVER_PORT)");
        }

        @Test
        void outOfRangeValues() {
            assertThat(problems("{\"http_server\": {\"port\": 70000}, \"websocket\": {\"message_size_limit\": 0},"
                    + " \"client\": {\"channel_limit\": -1, \"queue_max_size\": 0}}"))
                    .containsExactly(
                            "http_server.port: must be between 0 and 65535, got 70000",
                            "websocket.message_size_limit: must be at least 1, got 0",
                            "client.channel_limit: must be at least 0, got -1",
                            "client.queue_max_size: must be at least 1, got 0");
        }

        @Test
        void durationsNeedAUnit() {
            assertThat(problems("{\"client\": {\"ping_interval\": 25}}")).containsExactly(
                    "client.ping_interval: expected a duration string with a unit such as \"25s\", got the bare "
                            + "number 25 (Centrifugo v6 would read it as nanoseconds)");
            assertThat(problems("{\"client\": {\"stale_close_delay\": \"10 seconds\"}}")).containsExactly(
                    "client.stale_close_delay: expected a duration such as \"25s\", \"300ms\" or \"1h30m\", got "
                            + "\"10 seconds\"");
            assertThat(problems("{\"client\": {\"expired_close_delay\": \"-5s\"}}"))
                    .containsExactly("client.expired_close_delay: must not be negative, got \"-5s\"");
            assertThat(problems("{\"client\": {\"ping_interval\": \"0s\"}}"))
                    .containsExactly("client.ping_interval: must be at least 1ns, got \"0s\"");
        }

        @Test
        void pongTimeoutMustBeBelowPingInterval() {
            assertThat(problems("{\"client\": {\"ping_interval\": \"5s\", \"pong_timeout\": \"8s\"}}"))
                    .containsExactly("client.pong_timeout: must be less than client.ping_interval (8s is not less "
                            + "than 5s)");
        }

        @Test
        void invalidNamespaceNames() {
            assertThat(problems("{\"channel\": {\"namespaces\": [{\"name\": \"a\"}, {\"name\": \"bad name\"}, {}]}}"))
                    .containsExactly(
                            "channel.namespaces[0].name: invalid namespace name \"a\": must be at least 2 characters "
                                    + "of letters, digits, '-', '_' or '.' (^[-a-zA-Z0-9_.]{2,}$)",
                            "channel.namespaces[1].name: invalid namespace name \"bad name\": must be at least 2 "
                                    + "characters of letters, digits, '-', '_' or '.' (^[-a-zA-Z0-9_.]{2,}$)",
                            "channel.namespaces[2].name: required: every namespace needs a name");
        }

        @Test
        void duplicateNamespaces() {
            assertThat(problems("{\"channel\": {\"namespaces\": [{\"name\": \"chat\"}, {\"name\": \"news\"}, "
                    + "{\"name\": \"chat\"}]}}"))
                    .containsExactly("channel.namespaces[2].name: duplicate namespace name \"chat\" "
                            + "(also channel.namespaces[0])");
        }

        @Test
        void namespacesMustBeAListOfObjects() {
            assertThat(problems("{\"channel\": {\"namespaces\": {\"name\": \"chat\"}}}"))
                    .containsExactly("channel.namespaces: expected a list of namespace objects, got an object");
            assertThat(problems("{\"channel\": {\"namespaces\": [\"chat\"]}}"))
                    .containsExactly("channel.namespaces[0]: expected a namespace object with a name, got \"chat\"");
        }

        @Test
        void invalidNamespaceJsonFromTheEnvironment() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                    Optional.empty(), Map.of("WEFT_CHANNEL_NAMESPACES", "[{\"name\": "), Map.of()));

            assertThat(e.problems()).singleElement().asString()
                    .startsWith("channel.namespaces: expected a JSON list of namespace objects, got invalid JSON")
                    .endsWith("(from environment variable WEFT_CHANNEL_NAMESPACES)");
        }

        @Test
        void malformedOriginPatternsAreRefusedAsCentrifugoDoes() {
            assertThat(problems("{\"client\": {\"allowed_origins\": [\"https://ok.example\", \"https://[ab.example\"]}}"))
                    .containsExactly("client.allowed_origins: malformed origin pattern 'https://[ab.example': "
                            + "unterminated [");
        }

        @Test
        void invalidChannelRegex() {
            assertThat(problems("{\"channel\": {\"namespaces\": [{\"name\": \"chat\", \"channel_regex\": \"[a-z\"}]}}"))
                    .containsExactly("channel.namespaces[0].channel_regex: invalid regular expression \"[a-z\": "
                            + "Unclosed character class near index 3");
        }

        @Test
        void historySizeAndTtlGoTogether() {
            assertThat(problems("{\"channel\": {\"without_namespace\": {\"history_size\": 10}, "
                    + "\"namespaces\": [{\"name\": \"chat\", \"history_ttl\": \"60s\"}]}}"))
                    .containsExactly(
                            "channel.without_namespace.history_ttl: required when history_size is set "
                                    + "(history_size is 10); set both or neither",
                            "channel.namespaces[0].history_size: required when history_ttl is set "
                                    + "(history_ttl is 1m); set both or neither");
        }

        @Test
        void historyRulesFromCentrifugo() {
            assertThat(problems("{\"channel\": {\"history_meta_ttl\": \"1h\", \"namespaces\": ["
                    + "{\"name\": \"a1\", \"force_recovery\": true},"
                    + "{\"name\": \"a2\", \"history_size\": 5, \"history_ttl\": \"1500ms\"},"
                    + "{\"name\": \"a3\", \"history_size\": 5, \"history_ttl\": \"2h\"},"
                    + "{\"name\": \"a4\", \"history_size\": 5, \"history_ttl\": \"2h\", \"history_meta_ttl\": \"3h\"}"
                    + "]}}"))
                    .containsExactly(
                            "channel.namespaces[0].force_recovery: requires history: set history_size and history_ttl",
                            "channel.namespaces[1].history_ttl: must be a whole number of seconds, got 1.5s",
                            "channel.namespaces[2].history_ttl: 2h is longer than the history meta TTL 1h "
                                    + "(channel.history_meta_ttl); publications would outlive their stream");
        }

        @Test
        void logLevelMustBeKnown() {
            assertThat(problems("{\"log\": {\"level\": \"verbose\"}}")).containsExactly(
                    "log.level: expected one of none, trace, debug, info, warn, error, got \"verbose\"");
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            Path file = write("config.json", """
                    {"http_server": {"port": "abc"}, "client": {"ping_interval": "soon"},
                     "channel": {"namespaces": [{"name": "x"}, {"name": "chat", "channel_regex": "("}]}}
                    """);

            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                    Optional.of(file), Map.of("WEFT_HTTP_API_INSECURE", "perhaps"), Map.of()));

            assertThat(e.problems()).hasSize(5);
            assertThat(e.getMessage()).startsWith("invalid configuration (5 problems)")
                    .contains("\n  - http_server.port: expected integer, got \"abc\"")
                    .contains("http_api.insecure: expected boolean, got \"perhaps\" (from environment variable "
                            + "WEFT_HTTP_API_INSECURE)")
                    .contains("client.ping_interval:")
                    .contains("channel.namespaces[0].name:")
                    .contains("channel.namespaces[1].channel_regex:");
        }

        @Test
        void acceptsNumbersAsTextAndTextAsStrings() throws Exception {
            WeftConfig c = load("config.json", "{\"http_server\": {\"port\": \"9000\"}, \"node\": {\"name\": 7}, "
                    + "\"client\": {\"channel_limit\": 10.0}}").config();

            assertThat(c.httpServer().port()).isEqualTo(9000);
            assertThat(c.node().name()).isEqualTo("7");
            assertThat(c.node().client().channelLimit()).isEqualTo(10);
        }
    }

    @Nested
    class ConfigFileErrors {

        @Test
        void missingFile() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                    Optional.of(dir.resolve("nope.json")), Map.of(), Map.of()));

            assertThat(e.problems()).containsExactly("config file " + dir.resolve("nope.json") + " not found");
        }

        @Test
        void unsupportedExtension() {
            Path file = write("config.ini", "port=1");

            assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("unsupported extension; use .json, .yaml, .yml or .toml");
        }

        @Test
        void malformedJsonSaysWhere() {
            Path file = write("config.json", "{\n  \"client\": {\"insecure\": true,}\n}");

            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));

            assertThat(e.problems()).singleElement().asString()
                    .startsWith("config file " + file + " is not valid JSON: ").contains("(line 2,");
        }

        @Test
        void duplicateKeysAreAnError() {
            Path file = write("config.yaml", "http_server:\n  port: 1\n  port: 2\n");

            assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("Duplicate field 'port'");
        }

        @Test
        void topLevelMustBeAnObject() {
            Path file = write("config.json", "[1, 2]");

            assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                    .hasMessageContaining("the top level must be an object of options");
        }

        @Test
        void emptyFilesGiveDefaults() throws Exception {
            assertThat(load("config.yaml", "").config()).isEqualTo(WeftConfig.DEFAULT);
            assertThat(load("config.toml", "").config()).isEqualTo(WeftConfig.DEFAULT);
            assertThat(load("config.json", "{}").config()).isEqualTo(WeftConfig.DEFAULT);
        }
    }

    private LoadedConfig load(String name, String content) throws ConfigException {
        return load(name, content, Map.of(), Map.of());
    }

    private LoadedConfig load(String name, String content, Map<String, String> env, Map<String, String> overrides)
            throws ConfigException {
        return ConfigLoader.load(Optional.of(write(name, content)), env, overrides);
    }

    private List<String> problems(String json) {
        Path file = write("config.json", json);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
        assertThat(e).as("loading %s should fail", json).isNotNull();
        return e.problems();
    }

    private Path write(String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
