package dev.weft.server.http;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.OptionalInt;

/**
 * The node's default connection limit, derived from the process's open-file limit ({@code ulimit -n}): every
 * connection is a file descriptor, and at the limit the kernel still completes the TCP handshake of the next
 * client but the server cannot accept it — the client hangs, and so do {@code /health} and the API. Stopping
 * short of the limit turns that into the clear refusal {@code client.connection_limit} gives (503, code 106)
 * while descriptors stay free for what is not a client connection.
 *
 * <p>The default is {@code max − open − reserve}: {@code open} is what the process holds when the server
 * starts (class-path JARs, event loops, log files, stores), and {@code reserve} — a tenth of the limit, at
 * least {@value #MIN_RESERVE} and at most {@value #MAX_RESERVE} — is kept for what comes later and is not
 * counted as a client connection: server API and {@code /health} requests, handshakes not yet admitted,
 * JARs and files opened later, outgoing connections (JWKS, brokers).
 *
 * <p>Stateless; thread-safe.
 */
public final class OpenFileBudget {
    static final long MIN_RESERVE = 64;
    static final long MAX_RESERVE = 4096;

    private final long max;
    private final long open;

    OpenFileBudget(long max, long open) {
        this.max = max;
        this.open = open;
    }

    /** This process's limit and use now; empty where the JDK cannot tell (not a Unix). */
    public static java.util.Optional<OpenFileBudget> current() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            long open = unix.getOpenFileDescriptorCount();
            if (max > 0 && open >= 0) {
                return java.util.Optional.of(new OpenFileBudget(max, open));
            }
        }
        return java.util.Optional.empty();
    }

    public long max() {
        return max;
    }

    public long open() {
        return open;
    }

    /** Descriptors kept out of the connection limit for what is not a client connection. */
    public long reserve() {
        return Math.clamp(max / 10, MIN_RESERVE, MAX_RESERVE);
    }

    /**
     * Client connections the descriptors allow: at least 1, at most {@link Integer#MAX_VALUE}; empty when the
     * limit is effectively unlimited (then there is nothing to derive).
     */
    public OptionalInt connectionLimit() {
        if (max >= Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(1, max - open - reserve()));
    }
}
