package dev.weft.core.limits;

import io.github.bucket4j.TimeMeter;

/**
 * Keeps log lines a client can cause on purpose (a refused token, a refused document) from flooding the log:
 * each client address may cause a few lines at once and then one a second; the rest are dropped. Unlike
 * {@link LogThrottle}, one noisy client does not silence the lines about everybody else.
 *
 * <p>Thread-safe; memory bounded by {@link KeyedRateLimiter}.
 */
public final class AddressLogLimit {
    private static final int BURST = 5;
    private static final int MAX_ADDRESSES = 10_000;

    private final KeyedRateLimiter lines = new KeyedRateLimiter(1, BURST, MAX_ADDRESSES, TimeMeter.SYSTEM_NANOTIME);

    /**
     * Whether a line about {@code remoteAddress} ({@code host:port}, {@code [v6]:port} or a bare host) may be
     * logged now; the port is ignored, so a client cannot earn more lines by opening more connections.
     */
    public boolean admit(String remoteAddress) {
        return lines.tryAcquire(host(remoteAddress)) == 0;
    }

    static String host(String remoteAddress) {
        if (remoteAddress == null) {
            return "";
        }
        if (remoteAddress.startsWith("[")) {
            int end = remoteAddress.indexOf(']');
            return end > 0 ? remoteAddress.substring(0, end + 1) : remoteAddress;
        }
        int colon = remoteAddress.indexOf(':');
        return colon >= 0 && colon == remoteAddress.lastIndexOf(':') ? remoteAddress.substring(0, colon)
                : remoteAddress;
    }
}
