package dev.weft.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the Node scenarios under {@code interop/node} (see {@code node/lib.mjs} for their stdout/stderr
 * and exit-code contract), installing their pinned dependencies with {@code npm ci} first when needed.
 *
 * <p>Thread-safe: installation is guarded by the class lock; each run owns its process.
 */
final class NodeScript {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private static boolean installed; // guarded by NodeScript.class

    private NodeScript() {
    }

    /** {@code interop/node}: set by Surefire ({@code weft.interop.nodeDir}), else relative to the module. */
    static Path nodeDir() {
        return Path.of(System.getProperty("weft.interop.nodeDir", "node")).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code npm ci} unless {@code node_modules} is already installed from the current
     * {@code package-lock.json} (npm writes {@code node_modules/.package-lock.json} on install).
     */
    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        Path dir = nodeDir();
        Path lock = dir.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) {
            throw new AssertionError("missing " + lock + ": the interop node project is incomplete");
        }
        Path installedLock = dir.resolve("node_modules/.package-lock.json");
        boolean upToDate = Files.isRegularFile(installedLock)
                && Files.getLastModifiedTime(installedLock).compareTo(Files.getLastModifiedTime(lock)) >= 0;
        if (!upToDate) {
            Result npm = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), INSTALL_TIMEOUT,
                    "npm (with Node 20+) must be on PATH to install the centrifuge-js client used by the interop tests");
            if (npm.exitCode() != 0) {
                throw new AssertionError("`npm ci` in " + dir + " failed with exit code " + npm.exitCode()
                        + "\n--- stdout\n" + npm.stdout() + "\n--- stderr\n" + npm.stderr());
            }
        }
        installed = true;
    }

    /** Runs {@code node <script>} in the node directory with {@code env} added to this JVM's environment. */
    static Result runScript(String script, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return runScript(script, env, timeout, event -> { });
    }

    /**
     * As {@link #runScript(String, Map, Duration)}, telling {@code onEvent} about each result line as the
     * scenario prints it, on a reader thread: for scenarios that need the driver to act while they run
     * (e.g. drop a connection server-side). An exception from {@code onEvent} fails the run.
     */
    static Result runScript(String script, Map<String, String> env, Duration timeout, Consumer<JsonNode> onEvent)
            throws IOException, InterruptedException {
        ensureInstalled();
        return run(nodeDir(), List.of("node", script), env, timeout,
                "node (20+) must be on PATH to run the centrifuge-js interop scenarios", onEvent);
    }

    private static Result run(Path dir, List<String> command, Map<String, String> env, Duration timeout,
                              String missingHint) throws IOException, InterruptedException {
        return run(dir, command, env, timeout, missingHint, null);
    }

    private static Result run(Path dir, List<String> command, Map<String, String> env, Duration timeout,
                              String missingHint, Consumer<JsonNode> onEvent) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start `" + String.join(" ", command) + "`: " + e.getMessage()
                    + " — " + missingHint, e);
        }
        process.getOutputStream().close();
        // Both pipes are drained concurrently so a chatty child can never block on a full pipe.
        Drain out = onEvent == null ? Drain.start(process.getInputStream(), command.get(0) + "-stdout")
                : Drain.lines(process.getInputStream(), command.get(0) + "-stdout", onEvent);
        Drain err = Drain.start(process.getErrorStream(), command.get(0) + "-stderr");
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Result result = new Result(String.join(" ", command), exited ? process.exitValue() : -1, !exited,
                out.text(), err.text());
        if (!exited) {
            throw new AssertionError("`" + result.command() + "` did not finish within " + timeout + "\n"
                    + result.transcript());
        }
        return result;
    }

    /** The numbers of a JSON array from a result line. */
    static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }

    /** What a finished process printed; {@link #events()} parses the scenario's JSON result lines. */
    record Result(String command, int exitCode, boolean timedOut, String stdout, String stderr) {

        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("scenario printed a non-JSON line on stdout: " + line + "\n"
                            + transcript(), e);
                }
            }
            return events;
        }

        Optional<JsonNode> event(String name) {
            return events().stream().filter(e -> name.equals(e.path("event").asText())).findFirst();
        }

        /** Every result line named {@code name}, in the order printed. */
        List<JsonNode> events(String name) {
            return events().stream().filter(e -> name.equals(e.path("event").asText())).toList();
        }

        JsonNode requireEvent(String name) {
            return event(name).orElseThrow(() -> new AssertionError(
                    "scenario printed no '" + name + "' result line\n" + transcript()));
        }

        /** Everything the process printed, for assertion messages and the test log. */
        String transcript() {
            return "--- " + command + " exit code " + exitCode + (timedOut ? " (timed out)" : "")
                    + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Reads one stream to the end on its own thread. */
    private static final class Drain {
        private final Thread thread;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private Drain(InputStream in, String name) {
            thread = Thread.ofVirtual().name(name).start(() -> {
                try (in) {
                    in.transferTo(buffer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        static Drain start(InputStream in, String name) {
            return new Drain(in, name);
        }

        /** Reads line by line, handing each JSON line to {@code onEvent} as well. */
        static Drain lines(InputStream in, String name, Consumer<JsonNode> onEvent) {
            return new Drain(in, name, onEvent);
        }

        private Drain(InputStream in, String name, Consumer<JsonNode> onEvent) {
            thread = Thread.ofVirtual().name(name).start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        buffer.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
                        if (!line.isBlank()) {
                            try {
                                onEvent.accept(JSON.readTree(line));
                            } catch (IOException e) {
                                // not JSON: Result.events() reports it with the transcript
                            } catch (RuntimeException | AssertionError e) {
                                buffer.writeBytes(("driver failed on this line: " + e + "\n")
                                        .getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        String text() throws InterruptedException {
            thread.join(Duration.ofSeconds(10));
            return buffer.toString(StandardCharsets.UTF_8); // synchronized with the writes
        }
    }
}
