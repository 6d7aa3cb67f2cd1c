package dev.weft.bench.load;

import java.io.PrintStream;

/**
 * The progress line on stderr while a run is under way: rewritten in place on a terminal, a plain line at
 * most every few seconds otherwise (CI logs). Thread-safe.
 */
public final class Progress {

    private final PrintStream out;
    private final boolean terminal;
    private volatile String prefix = "";
    private long lastNanos;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public static Progress toStderr() {
        return new Progress(System.err, System.console() != null);
    }

    /** What the following updates are about, e.g. {@code "fanout weft n=1000"}. */
    public void stage(String stage) {
        prefix = stage;
        update("");
    }

    public synchronized void update(String detail) {
        long now = System.nanoTime();
        long interval = terminal ? 200_000_000L : 5_000_000_000L;
        if (now - lastNanos < interval && !detail.isEmpty()) {
            return;
        }
        lastNanos = now;
        String line = "[" + prefix + "] " + detail;
        if (terminal) {
            out.print("\r\033[K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the in-place line before other output. */
    public synchronized void done() {
        if (terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
