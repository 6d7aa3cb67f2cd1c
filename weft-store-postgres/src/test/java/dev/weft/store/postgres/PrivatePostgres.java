package dev.weft.store.postgres;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Postgres server of a test's own ({@code initdb} + {@code postgres} from the PATH) on a free port, with
 * {@code wal_level=logical}, so tests can stop, kill and restart it, or use logical replication, without
 * touching the machine's Postgres. Trust authentication for user {@code postgres}; database {@code postgres}.
 * {@code initdb} refuses to run as root, so as root the server runs as the {@code postgres} user (via
 * {@code setpriv}). Its data
 * survives {@link #stop()} and {@link #kill()}, and is deleted by {@link #close()}. Not thread-safe.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String SERVICE_USER = "postgres";

    private final int port;
    private final Path dir;
    private final Path dataDir;
    private Process process;

    /** Initialises a cluster in a temporary directory and starts it. */
    public PrivatePostgres() throws IOException, InterruptedException {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        this.dir = Files.createTempDirectory("weft-postgres-" + port);
        this.dataDir = dir.resolve("data");
        if (runningAsRoot()) {
            run(List.of("chown", SERVICE_USER, dir.toString()));
            run(List.of("chmod", "755", dir.toString()));
        }
        run(asServiceUser(List.of("initdb", "--auth=trust", "--username=" + SERVICE_USER, "--encoding=UTF8",
                "--no-sync", "-D", dataDir.toString())));
        start();
    }

    /** The server's address in libpq URI form, database {@code postgres}. */
    public String dsn() {
        return "postgresql://" + SERVICE_USER + "@127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the server on its data directory and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("postgres", "-D", dataDir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dir,
                "-c", "wal_level=logical", "-c", "max_replication_slots=10", "-c", "max_wal_senders=10",
                "-c", "fsync=off", "-c", "synchronous_commit=on", "-c", "shared_buffers=32MB",
                "-c", "max_connections=100"));
        process = new ProcessBuilder(asServiceUser(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + ": " + log());
            }
            if (acceptsQueries()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("postgres did not start on port " + port + ": " + log());
    }

    /** Stops the server (fast shutdown: sessions are ended, committed data kept) and waits for it to exit. */
    public void stop() throws InterruptedException, IOException {
        // SIGINT is the fast shutdown; SIGTERM ("smart") would wait for every client to leave.
        run(List.of("kill", "-INT", Long.toString(process.pid())));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Kills the server (SIGKILL of the postmaster; its backends notice and exit): committed transactions
     * survive, as after a crash.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        // Orphaned backends hold the shared memory until they see the postmaster gone; wait for them.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(dataDir.resolve("postmaster.pid")) && backendsAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** The server's own log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean acceptsQueries() throws InterruptedException {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            // The port opens before recovery ends; pg_isready tells when queries are accepted.
            Process ready = new ProcessBuilder("pg_isready", "-h", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
            return ready.waitFor() == 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean backendsAlive() {
        try {
            String pid = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim();
            return ProcessHandle.allProcesses().anyMatch(p -> p.parent().map(parent ->
                    Long.toString(parent.pid()).equals(pid)).orElse(false));
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServiceUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        // setpriv execs the command itself (runuser would fork), so the Process is the postmaster and a
        // SIGKILL reaches it.
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SERVICE_USER,
                "--regid=" + SERVICE_USER, "--init-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        // Its own directory as the working directory: the service user may not read the caller's.
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
