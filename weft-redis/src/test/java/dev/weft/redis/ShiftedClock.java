package dev.weft.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A wall clock for a {@link PrivateRedis} that a test can move: {@code shifted_clock.c}, compiled with
 * {@code gcc} and preloaded into {@code redis-server}, adds the offset this class writes to a file to every
 * time Redis reads (so {@code TIME} in scripts too). Not thread-safe.
 */
public final class ShiftedClock {

    private final Path dir;
    private final Path library;
    private final Path offsetFile;

    public ShiftedClock() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("weft-shifted-clock");
        Path source = dir.resolve("shifted_clock.c");
        try (InputStream in = ShiftedClock.class.getResourceAsStream("shifted_clock.c")) {
            Files.copy(in, source);
        }
        library = dir.resolve("shifted_clock.so");
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-o", library.toString(),
                source.toString(), "-ldl").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (gcc.waitFor() != 0) {
            throw new IllegalStateException("gcc could not build the shifted clock:\n" + output);
        }
        offsetFile = dir.resolve("offset");
        set(Duration.ZERO);
    }

    /** From now on the server's clock reads the machine's plus {@code offset} (whole seconds). */
    public void set(Duration offset) throws IOException {
        Path next = dir.resolve("offset.next");
        Files.writeString(next, Long.toString(offset.toSeconds()));
        Files.move(next, offsetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The environment that makes a process use this clock. */
    Map<String, String> environment() {
        return Map.of("LD_PRELOAD", library.toString(), "CLOCK_OFFSET_FILE", offsetFile.toString());
    }
}
