package dev.weft.bench.target;

import dev.weft.bench.load.Dialect;
import dev.weft.bench.load.NatsDialect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A private {@code nats-server} on free loopback ports with its WebSocket listener (no TLS, no compression),
 * connection limit lifted. Found on PATH or at /usr/sbin/nats-server (the Debian package).
 */
public final class NatsTarget implements Target {

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public Dialect dialect() {
        return new NatsDialect();
    }

    @Override
    public Running start(TargetEnvironment env, boolean trackNativeMemory) throws Exception {
        String binary = binary();
        int clientPort = ServerProcess.freePort();
        int wsPort = ServerProcess.freePort();
        Path config = env.runDir().resolve("nats-bench.conf");
        Files.createDirectories(env.runDir());
        Files.writeString(config, """
                listen: "127.0.0.1:%d"
                max_connections: 1000000
                websocket {
                  listen: "127.0.0.1:%d"
                  no_tls: true
                  compression: false
                }
                """.formatted(clientPort, wsPort));
        ServerProcess process = ServerProcess.start(List.of(binary, "-c", config.toString()), Map.of(),
                env.runDir(), env.log(name()), wsPort);
        // Go exposes no heap figure from outside; the resident set is the measure.
        return new ProcessRunning(process, wsPort,
                (p, port) -> new MemorySample(ProcStats.rssBytes(p.pid()), -1, -1));
    }

    static String binary() throws IOException {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nats-server"))) {
                return Path.of(dir, "nats-server").toString();
            }
        }
        throw new IOException("nats-server is not installed (not on PATH, not in /usr/sbin); the NATS target needs"
                + " it: apt-get install nats-server, or a release binary from github.com/nats-io/nats-server");
    }
}
