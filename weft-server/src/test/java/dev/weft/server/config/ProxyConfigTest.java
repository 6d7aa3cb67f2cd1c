package dev.weft.server.config;

import dev.weft.core.proxy.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Centrifugo v6's proxy keys read as Centrifugo reads them, and what Weft refuses at start. */
class ProxyConfigTest {

    private static ProxyConfig load(String key, String json) throws ConfigException {
        return ConfigLoader.load(Optional.empty(), Map.of(), Map.of(key, json)).config().proxies();
    }

    private static List<String> problems(Map<String, String> overrides) {
        return catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of(), overrides)).problems();
    }

    @Test
    void readsTheConnectionProxiesWithEveryField() throws Exception {
        ProxyConfig proxies = load("client.proxy", """
                {"connect": {"enabled": true, "endpoint": "http://backend:3000/connect", "timeout": "250ms",
                             "http_headers": ["Cookie", "X-Real-Ip"], "emulated_headers": ["Authorization"],
                             "include_connection_meta": true, "binary_encoding": true,
                             "http": {"static_headers": {"X-Secret": "s"}}},
                 "refresh": {"enabled": false, "endpoint": "http://backend:3000/refresh"}}""");

        var connect = proxies.connect();
        assertThat(connect.endpoint().toString()).isEqualTo("http://backend:3000/connect");
        assertThat(connect.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(connect.httpHeaders()).containsExactly("cookie", "x-real-ip");
        assertThat(connect.emulatedHeaders()).containsExactly("authorization");
        assertThat(connect.staticHeaders()).containsEntry("X-Secret", "s");
        assertThat(connect.includeConnectionMeta()).isTrue();
        assertThat(connect.binaryEncoding()).isTrue();
        assertThat(proxies.refresh()).as("not enabled").isNull();
    }

    @Test
    void routesNamespacesToTheDefaultOrANamedProxy() throws Exception {
        var loaded = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "channel.proxy", "{\"subscribe\": {\"endpoint\": \"http://b/subscribe\"}}",
                "proxies", "[{\"name\": \"pub1\", \"endpoint\": \"https://b/publish\"}]",
                "channel.namespaces", "[{\"name\": \"aa\", \"subscribe_proxy_enabled\": true},"
                        + "{\"name\": \"bb\", \"publish_proxy_enabled\": true, \"publish_proxy_name\": \"pub1\"}]",
                "rpc.proxy", "{\"endpoint\": \"http://b/rpc\"}",
                "rpc.namespaces", "[{\"name\": \"ns1\", \"proxy_enabled\": true}]"));

        ProxyConfig proxies = loaded.config().proxies();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(proxies.subscribe().keySet()).containsExactly("aa");
        assertThat(proxies.publish().get("bb").name()).isEqualTo("pub1");
        assertThat(proxies.rpc().keySet()).containsExactly("ns1");
        assertThat(proxies.rpcNamespace("ns1:getPrice")).isEqualTo("ns1");
        assertThat(proxies.connect()).isNull();
    }

    @Test
    void refusesGrpcEndpointsWithAClearMessage() {
        assertThat(problems(Map.of("client.proxy", "{\"connect\": {\"enabled\": true, "
                + "\"endpoint\": \"grpc://backend:9000\"}}")))
                .singleElement().asString().startsWith("client.proxy.connect.endpoint: gRPC proxies are not "
                        + "supported: give an http:// or https:// endpoint speaking Centrifugo's HTTP proxy protocol");
    }

    @Test
    void refusesSwitchesWithoutAProxyAndUnknownNames() {
        assertThat(problems(Map.of(
                "channel.without_namespace.subscribe_proxy_enabled", "true",
                "channel.namespaces", "[{\"name\": \"n1\", \"publish_proxy_enabled\": true, "
                        + "\"publish_proxy_name\": \"missing\"}]")))
                .anySatisfy(p -> assertThat(p).startsWith("channel.without_namespace.subscribe_proxy_enabled: "
                        + "is on, but channel.proxy.subscribe.endpoint is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("channel.namespaces[0].publish_proxy_name: no proxy named "
                        + "\"missing\" in proxies"));
    }

    @Test
    void aWholeSectionCanComeFromTheEnvironmentAsJson() throws Exception {
        ProxyConfig proxies = ConfigLoader.load(Optional.empty(), Map.of("WEFT_CLIENT_PROXY",
                "{\"connect\": {\"enabled\": true, \"endpoint\": \"http://b/connect\"}}"), Map.of())
                .config().proxies();

        assertThat(proxies.connect().timeout()).isEqualTo(Duration.ofSeconds(1));
    }
}
