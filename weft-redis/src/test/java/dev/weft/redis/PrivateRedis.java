package dev.weft.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own on a free port, without persistence (a restart loses everything), so
 * tests can stop, restart and freeze it without touching the machine's Redis. Not thread-safe.
 */
public final class PrivateRedis implements AutoCloseable {

    private final int port;
    /** A configuration file given before the arguments (a sentinel needs one it can rewrite), or null. */
    private final java.nio.file.Path configFile;
    private final List<String> extraArgs;
    /** Variables added to the server's environment. */
    private final java.util.Map<String, String> environment;
    /** Its own working directory: a cluster node writes its nodes.conf there. */
    private final java.nio.file.Path dir;
    private Process process;

    /** A server with {@code redis-server} arguments added ({@code {port}} stands for its port). */
    public PrivateRedis(String... extraArgs) throws IOException {
        this(null, java.util.Map.of(), List.of(extraArgs));
    }

    /** A server whose wall clock is {@code clock}: a test can move Redis's time. */
    public static PrivateRedis withClock(ShiftedClock clock) throws IOException {
        return new PrivateRedis(null, clock.environment(), List.of());
    }

    /** A server reading {@code config} (if not null) from a file of its own, then {@code extraArgs}. */
    private PrivateRedis(String config, java.util.Map<String, String> environment, List<String> extraArgs)
            throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        this.extraArgs = List.copyOf(extraArgs);
        this.environment = java.util.Map.copyOf(environment);
        this.dir = java.nio.file.Files.createTempDirectory("weft-redis-" + port);
        this.configFile = config == null ? null : java.nio.file.Files.writeString(dir.resolve("redis.conf"), config);
        start();
    }

    /**
     * A Redis Sentinel monitoring {@code master} under {@code masterName}, alone deciding (quorum 1) that a
     * master that has not answered for {@code downAfter} is down and failing over.
     */
    public static PrivateRedis sentinel(String masterName, PrivateRedis master, Duration downAfter)
            throws IOException {
        String config = "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 1\n"
                + "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis() + "\n"
                + "sentinel failover-timeout " + masterName + " " + downAfter.multipliedBy(3).toMillis() + "\n";
        return new PrivateRedis(config, java.util.Map.of(), List.of("--sentinel"));
    }

    /** A server that runs until the JVM exits, for tests shared by JUnit and jqwik. */
    public static PrivateRedis untilExit(String... extraArgs) {
        try {
            PrivateRedis redis = new PrivateRedis(extraArgs);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                redis.process.destroy();
                redis.deleteDir();
            }));
            return redis;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("redis-server"));
        if (configFile != null) {
            command.add(configFile.toString());
        }
        command.addAll(List.of("--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString()));
        extraArgs.forEach(arg -> command.add(arg.replace("{port}", Integer.toString(port))));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("/dev/null"));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** Stops the server (its data is gone) and waits for it to exit. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Kills the server (SIGKILL): it gets no chance to do anything more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                thaw();
            } catch (IOException | IllegalStateException ignored) {
                // it may not have been frozen
            }
            stop();
        }
        deleteDir();
    }

    /** Removes the working directory (its nodes.conf, if any); the server is stopped by then. */
    private void deleteDir() {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
