package dev.weft.server.metrics;

import java.time.Duration;

/** Histogram bucket bounds shared by the latency and size meters: few, so a scrape stays small. */
final class Buckets {
    static final Duration[] LATENCY = {Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};
    static final double[] SIZE = {64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 16_777_216};

    private Buckets() {
    }
}
