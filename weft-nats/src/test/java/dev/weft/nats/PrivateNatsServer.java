package dev.weft.nats;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server with JetStream of this test's own (never the machine's shared one), on a free port with its
 * store in a temporary directory, stopped and started again by its process: what a broker outage looks like.
 */
public final class PrivateNatsServer implements AutoCloseable {

    private final int port;
    private final Path storeDir;
    private Process process;

    public PrivateNatsServer() throws IOException {
        this.port = freePort();
        this.storeDir = Files.createTempDirectory("weft-nats-test");
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("nats-server", "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-sd", storeDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(storeDir.resolve("server.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("nats-server exited: " + Files.readString(storeDir.resolve("server.log")));
                }
                Thread.sleep(20);
            }
        }
        throw new IOException("nats-server did not listen on " + port + " within 10 s");
    }

    /** Stops the server the way a crash or a restart would: the store directory stays. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
