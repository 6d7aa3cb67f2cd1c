package dev.weft.bench.target;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.WeftDialect;
import dev.weft.protocol.ProtocolType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Weft itself: {@code dev.weft.server.Main serve} (what {@code ./weft serve} runs) with
 * {@code targets/weft-bench.json}, measured with JSON or Protobuf clients. The {@code weft-proxy} variant
 * (JSON) adds a connect proxy and a publish proxy for every channel, pointing at a {@link ProxyBackend}
 * started with the server: every connect and every publish is then a call to the backend, the rest is the same.
 */
public final class WeftTarget implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProtocolType format;
    private final boolean proxied;

    public WeftTarget(ProtocolType format) {
        this(format, false);
    }

    private WeftTarget(ProtocolType format, boolean proxied) {
        this.format = format;
        this.proxied = proxied;
    }

    /** JSON clients, connects and publishes through event proxies. */
    public static WeftTarget proxied() {
        return new WeftTarget(ProtocolType.JSON, true);
    }

    @Override
    public String name() {
        return proxied ? "weft-proxy" : format == ProtocolType.PROTOBUF ? "weft-protobuf" : "weft";
    }

    @Override
    public Dialect dialect() {
        return new WeftDialect(format);
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        Path config = env.benchHome().resolve("targets/weft-bench.json");
        ProxyBackend backend = null;
        if (proxied) {
            backend = ProxyBackend.start(env.runDir(), env.log(name() + "-backend"));
            config = withProxies(config, backend, env.runDir());
        }
        try {
            int port = ServerProcess.freePort();
            List<String> command = env.java().command("dev.weft.server.Main", trackNativeMemory,
                    env.flightRecording(name()), List.of("serve", "--config", config.toString(),
                            "--address", "127.0.0.1", "--port", Integer.toString(port)));
            ServerProcess process = ServerProcess.start(command, Map.of(), env.runDir(), env.log(name()), port);
            ProcessRunning running = new ProcessRunning(process, port, jvmMemory(trackNativeMemory));
            return backend == null ? running : new WithBackend(running, backend);
        } catch (Exception e) {
            if (backend != null) {
                backend.close();
            }
            throw e;
        }
    }

    /** The bench config plus the proxies, written next to the run's logs. */
    private static Path withProxies(Path benchConfig, ProxyBackend backend, Path runDir) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(benchConfig.toFile());
        // 5 s instead of the 1 s default: on a loaded machine the latency is the result, not a refusal.
        config.withObject("/client/proxy/connect").put("enabled", true)
                .put("endpoint", backend.url("/connect").toString()).put("timeout", "5s");
        config.withObject("/channel/proxy/publish").put("endpoint", backend.url("/publish").toString())
                .put("timeout", "5s");
        config.withObject("/channel/without_namespace").put("publish_proxy_enabled", true);
        Path written = runDir.resolve("weft-proxy-" + System.currentTimeMillis() + ".json");
        Files.createDirectories(runDir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(written.toFile(), config);
        return written;
    }

    /** A JVM target's memory, through jcmd. */
    static ProcessRunning.MemoryProbe jvmMemory(boolean trackNativeMemory) {
        return (process, port) -> JvmMemory.sample(process.pid(), trackNativeMemory);
    }

    /** The server with its backend, stopped together; only the server's process is measured. */
    private record WithBackend(ProcessRunning server, ProxyBackend backend) implements Running {
        @Override
        public long pid() {
            return server.pid();
        }

        @Override
        public URI base() {
            return server.base();
        }

        @Override
        public MemorySample memory() throws Exception {
            return server.memory();
        }

        @Override
        public boolean alive() {
            return server.alive();
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                backend.close();
            }
        }
    }
}
