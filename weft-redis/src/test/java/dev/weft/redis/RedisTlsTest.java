package dev.weft.redis;

import dev.weft.core.broker.HistoryFilter;
import dev.weft.core.broker.PublishOptions;
import dev.weft.core.broker.RecordingHandler;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The broker over TLS, against a private {@code redis-server} serving only TLS with a self-signed certificate. */
class RedisTlsTest {

    private static PrivateRedis redis;
    private static Path dir;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        dir = Files.createTempDirectory("weft-redis-tls");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor()).as("openssl").isZero();
        redis = new PrivateRedis("--port", "0", "--tls-port", "{port}", "--tls-cert-file", cert.toString(),
                "--tls-key-file", key.toString(), "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Test
    void publishesAndDeliversOverTlsWhenTheCertificateIsAccepted() {
        RedisEngineConfig config = new RedisEngineConfig(List.of(redis.address()), List.of(), "weft", "", "", 0,
                true, true, null, null, null);
        RecordingHandler handler = new RecordingHandler();
        try (RedisBroker broker = new RedisBroker(config)) {
            broker.setEventHandler(handler);
            broker.subscribe("secure");
            broker.publish("secure", "over tls".getBytes(UTF_8), PublishOptions.withHistory(10, Duration.ofMinutes(1)));

            await().atMost(Duration.ofSeconds(5)).until(() -> handler.publications("secure").size() == 1);
            assertThat(broker.history("secure", HistoryFilter.all()).publications()).hasSize(1);
        }
    }

    @Test
    void aCertificateNoTrustedAuthoritySignedIsRefused() {
        RedisEngineConfig verifying = RedisEngineConfig.of(List.of("rediss://" + redis.address()), "weft");

        assertThatThrownBy(() -> new RedisBroker(verifying)).isInstanceOf(RedisConnectionException.class);
    }
}
