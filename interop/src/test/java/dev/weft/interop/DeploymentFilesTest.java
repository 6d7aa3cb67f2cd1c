package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weft.server.config.ConfigLoader;
import dev.weft.server.config.WeftConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests and the Dockerfile in {@code dist/} (no cluster or image registry is reachable
 * here, so they are parsed and checked, not applied): probes on Weft's endpoints, a drain that fits the grace
 * period, more than one replica only on the Redis engine, and a configuration Weft accepts in strict mode.
 */
class DeploymentFilesTest {
    private static final Path DIST = ArtifactTest.DIST.getParent();

    @TempDir
    Path work;

    @Test
    void manifestsProbeHealthAndReadyAndRunSeveralReplicasOnRedis() throws Exception {
        Map<String, JsonNode> byKindAndName = new HashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(DIST.resolve("k8s/weft.yaml").toFile())) {
            for (JsonNode doc : docs.readAll()) {
                byKindAndName.put(doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText(), doc);
            }
        }
        JsonNode deployment = byKindAndName.get("Deployment/weft");
        assertThat(deployment).isNotNull();
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                .as("longer than the 10 s drain plus the preStop pause").isGreaterThan(15);

        String config = byKindAndName.get("ConfigMap/weft-config").path("data").path("config.yaml").asText();
        Path file = work.resolve("config.yaml");
        Files.writeString(file, config);
        Map<String, String> env = Map.of("WEFT_CLIENT_TOKEN_HMAC_SECRET_KEY", "k".repeat(32), "WEFT_HTTP_API_KEY", "a");
        WeftConfig weft = ConfigLoader.load(Optional.of(file), env, Map.of(), ConfigLoader.UnknownKeys.FAIL).config();
        assertThat(deployment.path("spec").path("replicas").asInt()).isGreaterThan(1);
        assertThat(weft.engine().type()).as("replicas share state through Redis").isEqualTo("redis");
        int internalPort = weft.httpServer().internalPortOrMain();
        List<Integer> containerPorts = container.path("ports").findValues("containerPort").stream()
                .map(JsonNode::asInt).toList();
        assertThat(containerPorts).contains(weft.httpServer().port(), internalPort);
    }

    @Test
    void dockerfileRunsTheTarballsLauncherInExecForm() throws Exception {
        String dockerfile = Files.readString(DIST.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ADD dist/target/weft-${VERSION}-linux-x64.tar.gz /opt/")
                .contains("ENTRYPOINT [\"/opt/weft/bin/weft\"]");
        assertThat(Files.readString(DIST.resolve("build-runtime.sh"))).contains("name=\"weft-$version-linux-x64\"");
    }
}
