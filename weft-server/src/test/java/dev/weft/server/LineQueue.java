package dev.weft.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Lines of a streaming response body, handed from the reading thread to the test; then the end. */
final class LineQueue {
    private static final String END = "\u0000end";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    void add(String line) {
        lines.add(line);
    }

    /** The body ended (or the connection broke). */
    void end() {
        lines.add(END);
    }

    /** The next line, waiting up to 10 s; fails at the end of the body. */
    String next() throws InterruptedException {
        String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line within " + WAIT);
        }
        if (line.equals(END)) {
            lines.add(END);
            throw new AssertionError("the response ended");
        }
        return line;
    }

    /** Every line still to come, until the body ends (waiting up to {@code timeout}). */
    List<String> rest(Duration timeout) throws InterruptedException {
        List<String> rest = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the response did not end within " + timeout + "; got " + rest);
            }
            if (line.equals(END)) {
                lines.add(END);
                return rest;
            }
            rest.add(line);
        }
    }
}
