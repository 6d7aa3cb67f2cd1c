package dev.weft.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Redis or NATS server of the harness's own for one cluster run, on a free loopback port with its files in a
 * fresh directory, so its CPU is the run's alone (the machine's shared instances also serve other jobs) and
 * nothing is left behind: stopping it and deleting the directory is the clean-up. Configured as the machine's
 * instances are: Redis without persistence, NATS with JetStream in files.
 */
final class PrivateBroker implements AutoCloseable {

    private final ServerProcess process;
    private final Path dir;
    private final String url;

    private PrivateBroker(ServerProcess process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    static PrivateBroker start(ClusterTarget.Engine engine, TargetEnvironment env) throws Exception {
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory(env.runDir(), engine.name().toLowerCase() + "-");
        List<String> command = switch (engine) {
            case REDIS -> List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString());
            case NATS -> List.of(NatsTarget.binary(), "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-sd", dir.toString());
        };
        ServerProcess process = ServerProcess.start(command, Map.of(), dir, env.log(engine.name().toLowerCase()),
                port);
        String url = switch (engine) {
            case REDIS -> "redis://127.0.0.1:" + port;
            case NATS -> "nats://127.0.0.1:" + port;
        };
        return new PrivateBroker(process, dir, url);
    }

    /** The address the nodes are given ({@code redis://…} or {@code nats://…}). */
    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.alive();
    }

    @Override
    public void close() {
        process.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a directory left in the run's result directory is harmless
        }
    }
}
